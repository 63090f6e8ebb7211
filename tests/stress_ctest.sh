#!/bin/sh
# Runs the whole test suite again and again on one build while the machine is
# kept busy, to find tests that pass or fail by chance (timing, ordering,
# shared files). Not run by .ci/run: it takes about an hour.
#
#   tests/stress_ctest.sh [-n RUNS] [-b BUILD_DIR] [-l LOAD]
#
# RUNS      full `ctest -j2` runs, one after another (default 10)
# BUILD_DIR an already built tree (default build)
# LOAD      what runs beside them, over and over until the last run ends:
#           user    a second `ctest -j2` of the user.* tests (default; the
#                   same programs at once on Linux and in a second QEMU)
#           compile a fresh configure and build of the kernel alone
#           cpu     two busy loops
#           none    nothing
#
# Each run's output goes to BUILD_DIR/stress/run-N.log and the load's to
# load.log there. Ends with a line per failed run naming the failed tests,
# and exits 0 only if every run passed.
set -eu
runs=10
build=build
load=user
if [ "${1:-}" = --load-loop ]; then
    load=$2 build=$3 logs=$4 root=$5
    load_loop=yes
else
    load_loop=no
fi
while [ "$load_loop" = no ] && getopts n:b:l: option; do
    case $option in
    n) runs=$OPTARG ;;
    b) build=$OPTARG ;;
    l) load=$OPTARG ;;
    *) sed -n '5,18p' "$0" >&2; exit 2 ;;
    esac
done

load_once() {
    case $load in
    user) ctest --test-dir "$build" -j2 -R '^user\.' >>"$logs/load.log" 2>&1 || true ;;
    compile)
        rm -rf "$logs/load-build"
        { cmake -S "$root/kernel" -B "$logs/load-build" -G Ninja \
            -DCMAKE_TOOLCHAIN_FILE="$root/toolchain.cmake" &&
            cmake --build "$logs/load-build"; } >>"$logs/load.log" 2>&1 || true ;;
    cpu) timeout 60 sh -c 'while :; do :; done' & timeout 60 sh -c 'while :; do :; done'; wait ;;
    none) sleep 60 ;;
    *) echo "unknown load: $load" >&2; exit 2 ;;
    esac
}

if [ "$load_loop" = yes ]; then
    while :; do load_once; done
fi

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
logs=$build/stress
rm -rf "$logs"
mkdir -p "$logs"
# The load loop runs in a session of its own so that it, and whatever it
# started, can be ended as one process group.
setsid sh "$0" --load-loop "$load" "$build" "$logs" "$root" &
load_group=$!
# (dash's kill takes no "--": a negative pid right after the signal. The
# pid itself too, in case the loop has not reached setsid yet.)
trap 'kill -TERM -$load_group $load_group 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

failed_runs=0
summary=""
run=1
while [ "$run" -le "$runs" ]; do
    started=$(date +%s)
    if ctest --test-dir "$build" -j2 --output-on-failure >"$logs/run-$run.log" 2>&1; then
        outcome=passed
    else
        outcome=FAILED
        failed_runs=$((failed_runs + 1))
        names=$(sed -n 's/^ *[0-9]* - \([^ ]*\) .*/\1/p' "$logs/run-$run.log" | tr '\n' ' ')
        summary="$summary
run $run failed: $names(see $logs/run-$run.log)"
    fi
    echo "run $run of $runs: $outcome in $(($(date +%s) - started)) s ($(grep -h 'tests passed' "$logs/run-$run.log"))"
    run=$((run + 1))
done
[ -n "$summary" ] && echo "$summary"
echo "$((runs - failed_runs)) of $runs runs passed under load '$load'"
[ "$failed_runs" -eq 0 ]

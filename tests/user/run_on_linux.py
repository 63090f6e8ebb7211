#!/usr/bin/env python3
"""Runs one of Kite's user-space test programs on the build machine's Linux
(the same static binary Kite runs) and checks it ended as it must: status 0,
or, for crash_<signal>_..., killed by that signal. This is how the tests
assert Linux's behaviour and not only Kite's."""
import argparse
import os
import shutil
import signal
import subprocess
import sys


# The programs use fixed names under /tmp, as they do on Kite. On the build
# machine each run gets a /tmp of its own (a tmpfs in a private mount
# namespace), so two runs at once (two ctest runs, or a test given twice)
# cannot see each other's files, and nothing is left in the machine's /tmp.
# The directories holding the binary and its data are bound back at their
# own paths, in case the build directory itself is under /tmp; the bind
# goes through a descriptor opened before the tmpfs hid them.
PRIVATE_TMP = r"""
set -e
program_dir=$1 data_dir=$2
shift 2
exec 8<"$program_dir" 9<"$data_dir"
mount -t tmpfs -o mode=1777,size=512m kite-test-tmp /tmp
for directory in "$program_dir" "$data_dir"; do
    case $directory in /tmp/*)
        mkdir -p "$directory"
        if [ "$directory" = "$program_dir" ]; then from=8; else from=9; fi
        mount --no-canonicalize --bind /proc/self/fd/$from "$directory";;
    esac
done
exec 8<&- 9<&-
exec "$@"
"""


def private_tmp_command(binary, data):
    """The prefix that runs a command with a private /tmp, or nothing when
    this user may not make mount namespaces (then ctest's RESOURCE_LOCK on
    the machine's /tmp is what keeps the runs apart)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return []
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", PRIVATE_TMP, "sh",
            os.path.dirname(os.path.abspath(binary)), os.path.abspath(data)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    name = os.path.basename(args.binary)
    expected_signal = None
    if name.startswith("crash_"):
        expected_signal = getattr(signal, name.split("_")[1].upper())
    result = subprocess.run(private_tmp_command(args.binary, args.data) + [args.binary, args.data],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                            cwd="/")
    sys.stdout.write(result.stdout)
    sys.stdout.write(result.stderr)
    if expected_signal is not None:
        if result.returncode != -expected_signal:
            print(f"FAIL: {name} ended with {result.returncode}, expected signal {expected_signal}")
            return 1
        print(f"{name}: killed by signal {expected_signal} on Linux, as on Kite")
        return 0
    if result.returncode != 0:
        print(f"FAIL: {name} exited with {result.returncode} on Linux")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The shell's figures (issue 14, docs/performance.md), not a test: two
scripts, a 100 000-iteration arithmetic loop and a loop that runs /bin/true
1000 times, timed (best of five, wall clock) with their peak resident size
(VmHWM, which each script reads from /proc/$$/status as it ends) under each
shell given, on this machine's Linux; with --iso, also inside Kite, where
/bench/bench_shell times the same scripts with rdtsc under -icount
shift=0,sleep=off (instructions) and under plain TCG.

    python3 tests/bench/shell_bench.py --shell build/user/root/bin/sh --shell /usr/bin/dash [--iso build/kite.iso]
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "qemu"))

SCRIPTS = {
    "arith loop 100 000": "i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done",
    "fork+exec 1000": "i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i + 1)); done",
}
PEAK = "; grep VmHWM /proc/$$/status"


def host(shell, script):
    best, peak = None, None
    for _ in range(5):
        start = time.monotonic()
        out = subprocess.run([shell, "-c", script + PEAK], capture_output=True, text=True,
                             env={"PATH": "/bin:/usr/bin"}, check=True)
        elapsed = time.monotonic() - start
        best = elapsed if best is None else min(best, elapsed)
        peak = int(re.search(r"VmHWM:\s+(\d+)", out.stdout).group(1))
    return f"{best * 1000:.0f} ms, {peak} KiB peak"


def kite(iso, icount):
    from kite_qemu import Machine
    with Machine(iso, append="kite.ubench=bench_shell", icount=icount, echo=False) as machine:
        machine.expect(r"^UBENCH DONE$", timeout=900)
    return dict(re.findall(r"^UBENCH (\S+) (-?\d+)$", machine.output, re.MULTILINE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="append", default=[])
    parser.add_argument("--iso")
    args = parser.parse_args()
    for shell in args.shell:
        for name, script in SCRIPTS.items():
            print(f"{shell:40} {name:20} {host(shell, script)}")
    if args.iso:
        for icount in (True, False):
            label = "Kite icount" if icount else "Kite TCG"
            for name, value in sorted(kite(args.iso, icount).items()):
                print(f"{label:40} {name:20} {value} cycles")


if __name__ == "__main__":
    main()

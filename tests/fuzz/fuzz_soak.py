#!/usr/bin/env python3
"""The fuzz-soak target: fuzz_syscalls with a seed and a call count, on Kite
in QEMU (kite.utest_args gives the program its argv) and then, for
comparison, the same static binary as init under Debian's Linux in the same
QEMU (../shared/peer-linux/linux-run.sh). Prints each run's "fuzz:" figure
lines; fails if Kite's run fails (a panic, a hang the watchdog could not
kill, a leak, fewer calls than asked) or Linux's run did not finish.
The seed: --seed, else $FUZZ_SEED, else 1; the count: --calls, else
$FUZZ_CALLS, else 1 000 000."""
import argparse
import os
import re
import subprocess
import sys


def figures(output):
    return [line for line in output.splitlines() if line.startswith("fuzz:") or "SUMMARY" in line
            or "panic" in line.lower() or "LEAK CHECK" in line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--linux-run", required=True)
    parser.add_argument("--seed", default=os.environ.get("FUZZ_SEED") or "1")
    parser.add_argument("--calls", default=os.environ.get("FUZZ_CALLS") or "1000000")
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    parser.add_argument("--skip-linux", action="store_true")
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    kite = subprocess.run(
        [sys.executable, os.path.join(here, "..", "qemu", "test_kernel.py"), "--iso", args.iso,
         "--kind", "utest", "--tests", "fuzz_syscalls", "--timeout", str(args.timeout),
         "--append", f"kite.utest_args={args.seed},{args.calls}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(f"== Kite (seed {args.seed}, {args.calls} calls)")
    print("\n".join(figures(kite.stdout)))
    if kite.returncode != 0:
        print(kite.stdout[-6000:])
    ok = kite.returncode == 0
    if not args.skip_linux:
        linux = subprocess.run([args.linux_run, "--timeout", str(int(args.timeout)), args.binary,
                                args.seed, args.calls],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(f"== Linux as init in QEMU (seed {args.seed}, {args.calls} calls)")
        print("\n".join(figures(linux.stdout)))
        if not re.search(r"^fuzz_syscalls \(Linux\): \d+ checks, 0 failed$", linux.stdout,
                         re.MULTILINE):
            print(linux.stdout[-6000:])
            print("FAIL: the run under Linux did not finish")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

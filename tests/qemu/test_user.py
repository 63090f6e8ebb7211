#!/usr/bin/env python3
"""Boots build/kite.iso with kite.utest=<selection>: the kernel runs each
user-space test program from /test in its own process and reports
"UTEST <name> ... ok|FAIL", a leak check, and a summary; QEMU exits with
the pass code only if everything passed."""
import argparse
import re
import sys

from kite_qemu import EXIT_PASS, Machine, Timeout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--tests", default="all")
    parser.add_argument("--memory", default="128M")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()

    with Machine(args.iso, append=f"kite.utest={args.tests}", memory=args.memory) as machine:
        try:
            summary = machine.expect(r"^UTEST SUMMARY: (\d+) passed, (\d+) failed$", args.timeout)
            code = machine.wait_exit(timeout=10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    results = re.findall(r"^UTEST (\S+) \.\.\. (ok|FAIL)", machine.output, re.MULTILINE)
    passed = [n for n, r in results if r == "ok"]
    failed = [n for n, r in results if r == "FAIL"]
    leak_ok = re.search(r"^UTEST LEAK CHECK: .*: ok$", machine.output, re.MULTILINE)
    problems = []
    if code != EXIT_PASS:
        problems.append(f"QEMU exit code {code}, expected {EXIT_PASS}")
    if failed:
        problems.append("failed: " + ", ".join(failed))
    if not leak_ok:
        problems.append("the leak check did not pass")
    if not passed:
        problems.append("no test passed")
    if int(summary.group(1)) != len(passed):
        problems.append("the summary does not match the test lines")
    if problems:
        print("\nFAIL: " + "; ".join(problems))
        return 1
    print(f"\n{len(passed)} user-space tests passed on Kite, no leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())

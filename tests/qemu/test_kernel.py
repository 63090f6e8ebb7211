#!/usr/bin/env python3
"""Boots build/kite.iso with kite.test=<selection> and checks the in-kernel
test run: every test line is ok, the summary agrees with them, and QEMU
exited through isa-debug-exit with the pass code (33)."""
import argparse
import re
import sys

from kite_qemu import EXIT_PASS, Machine, Timeout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--tests", default="all")
    parser.add_argument("--memory", default="128M")
    parser.add_argument("--append", default="kite.heap_debug=1",
                        help="more kernel options (default: heap debug checks on)")
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()

    append = f"kite.test={args.tests} {args.append}".strip()
    with Machine(args.iso, append=append, memory=args.memory) as machine:
        try:
            summary = machine.expect(r"^KTEST SUMMARY: (\d+) passed, (\d+) failed$", args.timeout)
            code = machine.wait_exit(timeout=10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    output = machine.output
    results = re.findall(r"^KTEST (\S+) \.\.\. (ok|FAIL)$", output, re.MULTILINE)
    passed = sum(1 for _, r in results if r == "ok")
    failed = [name for name, r in results if r == "FAIL"]
    problems = []
    if code != EXIT_PASS:
        problems.append(f"QEMU exit code {code}, expected {EXIT_PASS}")
    if failed:
        problems.append("failed: " + ", ".join(failed))
    if passed == 0:
        problems.append("no test passed")
    if (int(summary.group(1)), int(summary.group(2))) != (passed, len(failed)):
        problems.append("the summary does not match the test lines")
    if problems:
        print("\nFAIL: " + "; ".join(problems))
        return 1
    print(f"\n{passed} kernel tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Boots build/kite.iso with a test selection and checks the run:
  --kind ktest: in-kernel tests (kite.test=...), lines "KTEST <name> ... ok|FAIL";
  --kind utest: user-space test programs (kite.utest=...), lines
                "UTEST <name> ... ok|FAIL (...)", plus a leak check that must pass.
Every test line must be ok, the summary must agree with them, and QEMU must
have exited through isa-debug-exit with the pass code (33). --cpu picks
QEMU's CPU model; each --expect is a pattern some console line must match."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from kite_qemu import EXIT_PASS, Machine, Timeout, disk_options

OPTION = {"ktest": "kite.test", "utest": "kite.utest"}
PREFIX = {"ktest": "KTEST", "utest": "UTEST"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--kind", choices=sorted(OPTION), default="ktest")
    parser.add_argument("--tests", default="all")
    parser.add_argument("--memory", default="128M")
    parser.add_argument("--append", default="kite.heap_debug=1",
                        help="more kernel options (default: heap debug checks on)")
    parser.add_argument("--timeout", type=float, default=90)
    parser.add_argument("--no-skips", action="store_true",
                        help="a skipped test fails the run (for a CPU that has every feature)")
    parser.add_argument("--cpu", help="QEMU's -cpu (default: QEMU's own, qemu64 under TCG)")
    parser.add_argument("--smp", type=int, help="QEMU's -smp: how many CPUs (default 1)")
    parser.add_argument("--expect", action="append", default=[], metavar="REGEX",
                        help="a line the console must show (may be given again)")
    parser.add_argument("--disk", help="a raw disk image to attach as virtio-blk (/dev/vda)")
    parser.add_argument("--new-ext2", metavar="SIZE",
                        help="attach a new empty ext2 image of SIZE (mke2fs) as /dev/vda")
    args = parser.parse_args()
    if args.new_ext2:
        scratch = tempfile.TemporaryDirectory(prefix="kite-ext2-")
        args.disk = os.path.join(scratch.name, "disk.img")
        subprocess.run([shutil.which("mke2fs") or "/sbin/mke2fs", "-q", "-F", "-t", "ext2",
                        "-b", "4096", args.disk, args.new_ext2], check=True)

    prefix = PREFIX[args.kind]
    append = f"{OPTION[args.kind]}={args.tests} {args.append}".strip()
    extra = ["-cpu", args.cpu] if args.cpu else []
    if args.smp:
        extra += ["-smp", str(args.smp)]
    if args.disk:
        extra += disk_options(args.disk)
    with Machine(args.iso, append=append, memory=args.memory, extra=extra) as machine:
        try:
            summary = machine.expect(
                rf"^{prefix} SUMMARY: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", args.timeout)
            code = machine.wait_exit(timeout=10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    results = re.findall(rf"^{prefix} (\S+) \.\.\. (ok|FAIL)", machine.output, re.MULTILINE)
    passed = sum(1 for _, r in results if r == "ok")
    failed = [name for name, r in results if r == "FAIL"]
    skipped = re.findall(rf"^{prefix} (\S+) \.\.\. skipped$", machine.output, re.MULTILINE)
    for name in skipped:
        print(f"SKIPPED: {name}")
    problems = []
    if code != EXIT_PASS:
        problems.append(f"QEMU exit code {code}, expected {EXIT_PASS}")
    if failed:
        problems.append("failed: " + ", ".join(failed))
    if skipped and args.no_skips:
        problems.append("skipped (this run needs them all): " + ", ".join(skipped))
    if passed == 0:
        problems.append("no test passed")
    leak_check = args.kind == "utest"
    if leak_check and not re.search(r"^UTEST LEAK CHECK: .*: ok$", machine.output, re.MULTILINE):
        problems.append("the leak check did not pass")
    for pattern in args.expect:
        if not re.search(pattern, machine.output, re.MULTILINE):
            problems.append(f"no console line matches {pattern!r}")
    if (int(summary.group(1)) != passed or int(summary.group(2)) < len(failed)
            or int(summary.group(3) or 0) != len(skipped)):
        problems.append("the summary does not match the test lines")
    if problems:
        print("\nFAIL: " + "; ".join(problems))
        return 1
    print(f"\n{passed} {'kernel' if args.kind == 'ktest' else 'user-space'} tests passed"
          + (f", {len(skipped)} skipped" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

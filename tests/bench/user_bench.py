#!/usr/bin/env python3
"""User-space benchmarks (not tests): the programs in /bench (built from
tests/user/bench_*.c) run on Kite under TCG with -icount shift=0,sleep=off
(rdtsc counts guest instructions) and under plain TCG; with --linux, the
same static binaries also run as /init under Debian's Linux in the same
QEMU (../shared/peer-linux/linux-run.sh) with the same flags.

    python3 tests/bench/user_bench.py --iso build/kite.iso --bench-dir build/user/root/bench [--linux]
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "qemu"))
from kite_qemu import Machine  # noqa: E402

PEER_LINUX = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "peer-linux",
                          "linux-run.sh")


def kite(iso, icount):
    with Machine(iso, append="kite.ubench=all", icount=icount, echo=False) as machine:
        machine.expect(r"^UBENCH DONE$", timeout=600)
    return dict(re.findall(r"^UBENCH (\S+) (\d+)$", machine.output, re.MULTILINE))


def linux(binary, icount):
    command = ["bash", PEER_LINUX, "--timeout", "300"]
    if icount:
        command += ["--icount", "shift=0,sleep=off"]
    result = subprocess.run(command + [binary], capture_output=True, text=True)
    return dict(re.findall(r"^UBENCH (\S+) (\d+)$", result.stdout, re.MULTILINE))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--bench-dir", required=True)
    parser.add_argument("--linux", action="store_true")
    args = parser.parse_args()
    columns = {"Kite icount": kite(args.iso, True), "Kite TCG": kite(args.iso, False)}
    if args.linux and os.path.exists(PEER_LINUX):
        for icount, label in ((True, "Linux icount"), (False, "Linux TCG")):
            merged = {}
            for name in sorted(os.listdir(args.bench_dir)):
                merged.update(linux(os.path.join(args.bench_dir, name), icount))
            columns[label] = merged
    names = sorted(set().union(*columns.values()))
    print(f"{'benchmark':<24}" + "".join(f"{c:>15}" for c in columns))
    for name in names:
        print(f"{name:<24}" + "".join(f"{columns[c].get(name, '-'):>15}" for c in columns))


if __name__ == "__main__":
    main()

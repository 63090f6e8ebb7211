#!/usr/bin/env python3
"""In-kernel benchmarks (not tests): boots build/kite.iso with
kite.bench=<selection> under TCG with -icount shift=0,sleep=off (rdtsc counts
guest instructions: repeatable) and under plain TCG (rdtsc follows the host
clock: a second opinion), and prints cycles per operation side by side.

    python3 tests/bench/kernel_bench.py --iso build/kite.iso [--bench all]
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "qemu"))
from kite_qemu import EXIT_PASS, Machine  # noqa: E402


def run(iso, selection, icount):
    with Machine(iso, append=f"kite.bench={selection}", icount=icount, echo=False) as machine:
        machine.expect(r"^KBENCH DONE$", timeout=600)
        code = machine.wait_exit(timeout=30)
    if code != EXIT_PASS:
        raise SystemExit(f"benchmark run failed (QEMU exit code {code}):\n{machine.output}")
    return dict(re.findall(r"^KBENCH (\S+) (\d+) cycles/op$", machine.output, re.MULTILINE))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--bench", default="all")
    parser.add_argument("--smoke", action="store_true",
                        help="one plain-TCG run; fail unless every registered benchmark printed "
                             "a figure (keeps the benchmark mode working; asserts nothing about "
                             "the figures, which depend on host load)")
    args = parser.parse_args()
    if args.smoke:
        results = run(args.iso, args.bench, icount=False)
        expected = {"frame_alloc_free", "map_unmap_4k", "kmalloc_kfree_32", "kmalloc_kfree_256",
                    "kmalloc_kfree_4096", "interrupt_round_trip", "timer_tick_overhead"}
        if not expected <= set(results):
            print(f"FAIL: missing benchmarks {sorted(expected - set(results))}; got {results}")
            return 1
        print(f"{len(results)} benchmarks ran: {', '.join(sorted(results))}")
        return 0
    counted = run(args.iso, args.bench, icount=True)
    timed = run(args.iso, args.bench, icount=False)
    print(f"{'benchmark':<24} {'icount (instr/op)':>18} {'TCG (cycles/op)':>16}")
    for name in sorted(counted):
        print(f"{name:<24} {counted[name]:>18} {timed.get(name, '?'):>16}")


if __name__ == "__main__":
    sys.exit(main())

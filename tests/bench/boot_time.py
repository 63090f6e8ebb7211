#!/usr/bin/env python3
"""Boot-time benchmark (not a test): boots build/kite.iso several times and
reports the time from starting QEMU to the kernel's banner on the serial
console, GRUB and firmware included.

    python3 tests/bench/boot_time.py --iso build/kite.iso [--runs 7] [--icount]

Under TCG the figure depends on the host; --icount runs the guest with
-icount shift=0,sleep=off (one instruction per virtual nanosecond), which
changes the speed of emulation and so is a second, different figure.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "qemu"))
from kite_qemu import Machine  # noqa: E402


def boot_once(iso, icount):
    with Machine(iso, icount=icount, echo=False) as machine:
        machine.expect(r"^Kite \d+\.\d+\.\d+ \(x86_64\)", timeout=60)
        banner = time.monotonic() - machine.started_at
        machine.expect(r"^/ \$ ", timeout=60)  # the shell's prompt
        up = time.monotonic() - machine.started_at
    return banner, up


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--icount", action="store_true")
    args = parser.parse_args()

    boot_once(args.iso, args.icount)  # warm the host's file cache
    results = [boot_once(args.iso, args.icount) for _ in range(args.runs)]
    banners = sorted(b for b, _ in results)
    ups = sorted(u for _, u in results)
    mode = "TCG with -icount shift=0,sleep=off" if args.icount else "TCG"
    print(f"boot time over {args.runs} boots ({mode}), QEMU start to serial line:")
    print(f"  banner:     median {statistics.median(banners):.3f} s "
          f"(min {banners[0]:.3f}, max {banners[-1]:.3f})")
    print(f"  shell prompt: median {statistics.median(ups):.3f} s "
          f"(min {ups[0]:.3f}, max {ups[-1]:.3f})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Boot smoke test: boots build/kite.iso exactly as `run` does (no test
options) and checks the banner and the memory map on the serial console,
against the machine QEMU was told to emulate."""
import argparse
import re
import sys
import time

from kite_qemu import Machine, Timeout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    memory_mib = 128
    with Machine(args.iso, memory=f"{memory_mib}M") as machine:
        try:
            machine.expect(r"^Kite \d+\.\d+\.\d+ \(x86_64\) - booted by GRUB", args.timeout)
            machine.expect(r'^command line: ""$', 10)
            count = int(machine.expect(r"^memory map \((\d+) entries\):$", 10).group(1))
            machine.expect(r"^usable memory: .* \((\d+) bytes\)$", 10)
            machine.expect(r'^module "initrd": 0x[0-9a-f]+-0x[0-9a-f]+ \(\d+ bytes\)$', 10)
            machine.expect(r"^Kite is up\..*halting\.$", 10)
            # Serial is written before VGA, so the screen may lag a moment.
            deadline = time.monotonic() + 10
            while True:
                screen = machine.vga_text()
                if any(line.startswith("Kite is up.") for line in screen) or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1

    output = machine.output
    regions = re.findall(r"^  0x([0-9a-f]{16})-0x([0-9a-f]{16}) +(.+?) \S+ \S+$", output, re.MULTILINE)
    usable = int(re.search(r"^usable memory: .* \((\d+) bytes\)$", output, re.MULTILINE).group(1))
    problems = []
    if len(regions) != count:
        problems.append(f"{len(regions)} memory map lines, the header says {count}")
    available = [(int(a, 16), int(b, 16)) for a, b, kind in regions if kind.strip() == "available"]
    if sum(end - start + 1 for start, end in available) != usable:
        problems.append("usable memory is not the sum of the available regions")
    # QEMU's RAM minus the holes the BIOS keeps (under 1 MiB and a few hundred KiB at the top).
    if not (memory_mib - 2) * 2**20 <= usable <= memory_mib * 2**20:
        problems.append(f"usable memory {usable} does not match -m {memory_mib}M")
    if not any(start == 0x100000 for start, _ in available):
        problems.append("no available region starting at 1 MiB")
    # Every line went to VGA too: the screen's lines are the serial output's.
    serial_lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    screen_lines = [line for line in screen if line]
    if not screen_lines or not screen_lines[0].startswith("Kite "):
        problems.append(f"the VGA screen does not start with the banner: {screen_lines[:1]}")
    if screen_lines != serial_lines[-len(screen_lines):]:
        import difflib
        print("\n".join(difflib.unified_diff(serial_lines[-len(screen_lines):], screen_lines,
                                             "serial", "vga", lineterm="")))
        problems.append("the VGA screen differs from the serial output")
    if problems:
        print("\nVGA screen:\n" + "\n".join(screen))
        print("\nFAIL: " + "; ".join(problems))
        return 1
    print("\nboot smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

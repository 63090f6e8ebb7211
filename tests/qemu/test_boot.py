#!/usr/bin/env python3
"""Boot smoke test: boots build/kite.iso exactly as `run` does (no test
options) with a given amount of RAM and checks, on the serial console:
- the banner and the memory map, and that the VGA screen shows the same;
- the physical allocator's figures against the memory map: the usable frame
  count is recomputed here from the printed map (type-1 regions, page-aligned
  inward, above 1 MiB, minus the kernel image, the boot information block and
  the initrd), and at most a small, bounded number of frames is in use.
"""
import argparse
import difflib
import re
import subprocess
import sys
import time

from kite_qemu import Machine, Timeout

PAGE = 4096
# Frames the kernel may use at boot besides its Page array: the 254 shared
# kernel-half page directory pointer tables plus a little slack.
BOOT_USE_LIMIT = 300


def kernel_image_range(elf):
    symbols = dict(line.split()[::-2] for line in
                   subprocess.run(["nm", elf], capture_output=True, text=True,
                                  check=True).stdout.splitlines() if len(line.split()) == 3)
    return int(symbols["_kernel_phys_start"], 16), int(symbols["_kernel_phys_end"], 16)


def subtract(ranges, begin, end):
    out = []
    for b, e in ranges:
        if e <= begin or b >= end:
            out.append((b, e))
            continue
        if b < begin:
            out.append((b, begin))
        if e > end:
            out.append((end, e))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--memory-mib", type=int, default=128)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    with Machine(args.iso, memory=f"{args.memory_mib}M", append="init=/bin/hello") as machine:
        try:
            machine.expect(r"^Kite \d+\.\d+\.\d+ \(x86_64\) - booted by GRUB", args.timeout)
            machine.expect(r'^command line: " ?init=/bin/hello"$', 10)
            count = int(machine.expect(r"^memory map \((\d+) entries\):$", 10).group(1))
            machine.expect(r"^usable memory: .* \((\d+) bytes\)$", 10)
            info = machine.expect(r"^boot information: 0x([0-9a-f]+)-0x([0-9a-f]+) ", 10)
            module = machine.expect(r'^module "initrd": 0x([0-9a-f]+)-0x([0-9a-f]+) ', 10)
            phys = machine.expect(r"^frames: (\d+) usable, (\d+) managed, (\d+) free, "
                                  r"(\d+) for boot metadata$", 30)
            machine.expect(r"^Kite is up\.$", 30)
            # The first process, /bin/hello from the initrd, in ring 3.
            machine.expect(r"^Hello from userspace!$", 30)
            machine.expect(r"^/bin/hello exited with wait status 0x0$", 30)
            machine.expect(r"^kite> ", 30)
            # Serial is written before VGA, so the screen may lag a moment.
            deadline = time.monotonic() + 10
            while True:
                screen = machine.vga_text()
                if (screen and any(line.startswith("kite>") for line in screen)) or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1

    output = machine.output
    problems = []
    regions = re.findall(r"^  0x([0-9a-f]{16})-0x([0-9a-f]{16}) +(.+?) \S+ \S+$", output, re.MULTILINE)
    if len(regions) != count:
        problems.append(f"{len(regions)} memory map lines, the header says {count}")
    available = [(int(a, 16), int(b, 16) + 1) for a, b, kind in regions if kind.strip() == "available"]
    ram = sum(e - b for b, e in available)
    if not (args.memory_mib - 2) * 2**20 <= ram <= args.memory_mib * 2**20:
        problems.append(f"available memory {ram} does not match -m {args.memory_mib}M")

    usable = [((b + PAGE - 1) // PAGE * PAGE, e // PAGE * PAGE) for b, e in available]
    usable = subtract(usable, 0, 2**20)
    for begin, end in (kernel_image_range(args.elf),
                       (int(info.group(1), 16), int(info.group(2), 16)),
                       (int(module.group(1), 16), int(module.group(2), 16))):
        usable = subtract(usable, begin // PAGE * PAGE, (end + PAGE - 1) // PAGE * PAGE)
    expected_frames = sum(e - b for b, e in usable if e > b) // PAGE
    frames_usable, managed, free, boot = (int(phys.group(i)) for i in range(1, 5))
    if frames_usable != expected_frames:
        problems.append(f"kernel reports {frames_usable} usable frames, the map gives {expected_frames}")
    if managed != frames_usable - boot:
        problems.append(f"managed {managed} != usable {frames_usable} - boot {boot}")
    # The Page array: 16 bytes per frame of the span the allocator covers.
    if boot > (max(e for _, e in usable) // PAGE) * 16 // PAGE + 2:
        problems.append(f"{boot} frames used for boot metadata is more than the Page array needs")
    if not managed - BOOT_USE_LIMIT <= free <= managed:
        problems.append(f"{managed - free} frames in use after boot (limit {BOOT_USE_LIMIT})")

    # Every line went to VGA too: the screen's lines are the serial output's.
    # (VGA wraps lines at 80 columns.)
    serial_lines = [line[i:i + 80].rstrip() for line in output.splitlines() if line.strip()
                    for i in range(0, len(line), 80)]
    screen_lines = [line for line in screen if line]
    if screen_lines != serial_lines[-len(screen_lines):]:
        print("\n".join(difflib.unified_diff(serial_lines[-len(screen_lines):], screen_lines,
                                             "serial", "vga", lineterm="")))
        problems.append("the VGA screen differs from the serial output")
    if problems:
        print("\nVGA screen:\n" + "\n".join(screen))
        print("\nFAIL: " + "; ".join(problems))
        return 1
    print(f"\nboot smoke test passed: {frames_usable} usable frames as the map says, "
          f"{managed - free} in use after boot")
    return 0


if __name__ == "__main__":
    sys.exit(main())

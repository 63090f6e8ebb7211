#!/usr/bin/env python3
"""Checks on the linked kernel that no boot can show:
- kite.elf has no undefined symbols and was linked with -nostdlib and no
  library at all (no libgcc, no libc, no crt files);
- its entry point is the 32-bit _start inside the first 32 KiB that holds
  the Multiboot2 header;
- the symbol table carried in .ksyms lists exactly the text symbols that the
  final ELF has, at the same addresses (the two-stage link did not move code);
- the stack protector is on, and off where the guard changes under a frame.
"""
import argparse
import os
import re
import struct
import subprocess
import sys


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel-build", required=True)
    args = parser.parse_args()
    elf = os.path.join(args.kernel_build, "kite.elf")
    problems = []

    undefined = run("nm", "-u", elf).split()
    if undefined:
        problems.append(f"undefined symbols: {undefined}")

    link = run("ninja", "-C", args.kernel_build, "-t", "commands", "kite.elf").splitlines()[-1]
    if "-nostdlib" not in link.split():
        problems.append("the kernel link does not use -nostdlib")
    libraries = [w for w in link.split() if w.startswith("-l") or re.search(r"\.(a|so)$", w)
                 or re.search(r"crt\w*\.o$", w)]
    if libraries:
        problems.append(f"the kernel link pulls in libraries: {libraries}")

    with open(elf, "rb") as f:
        image = f.read()
    header = image.find(struct.pack("<I", 0xE85250D6))
    if not 0 <= header < 32768 or header % 8:
        problems.append(f"Multiboot2 header at file offset {header}, must be 8-aligned below 32 KiB")
    entry = struct.unpack_from("<Q", image, 24)[0]
    start = int(re.search(r"^([0-9a-f]+) T _start$", run("nm", elf), re.M).group(1), 16)
    if entry != start or entry >= 2**32:
        problems.append(f"entry point {entry:#x} is not the 32-bit _start ({start:#x})")

    # .ksyms against the ELF's own symbols.
    sections = run("readelf", "-SW", elf)
    match = re.search(r"\.ksyms\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
    offset, size = int(match.group(2), 16), int(match.group(3), 16)
    blob = image[offset:offset + size]
    magic, count, strings_offset, _ = struct.unpack_from("<IIII", blob)
    table = {}
    for i in range(count):
        address, name_offset, _ = struct.unpack_from("<QII", blob, 16 + 16 * i)
        end = blob.index(b"\0", strings_offset + name_offset)
        table[address] = blob[strings_offset + name_offset:end].decode()
    actual = {}
    for line in run("nm", "-n", "-C", "--defined-only", elf).splitlines():
        address, kind, name = line.split(None, 2)
        if kind in "tTwW" and int(address, 16) >= 0xFFFFFFFF80000000:
            actual.setdefault(int(address, 16), name)
    missing = [f"{a:#x} {n}" for a, n in actual.items()
               if table.get(a) != n and not re.fullmatch(r"\w+\.\w+", n)]
    if magic != 0x4D59534B or count < 50:
        problems.append(f".ksyms is not a symbol table (magic {magic:#x}, {count} entries)")
    if missing:
        problems.append(f"{len(missing)} text symbols differ from .ksyms, e.g. {missing[:3]}")

    # The stack protector (kernel/debug/stack_protector.h): the guard changes
    # while kernel_main and stack_protector::init are on the boot stack, so
    # neither may check a canary on return; most other functions with
    # buffers do.
    disassembly = run("objdump", "-d", "--no-show-raw-insn", elf)
    checking = set()
    function = None
    for line in disassembly.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if header:
            function = header.group(1)
        elif function and re.search(r"\bcall\s.*<__stack_chk_fail>", line):
            checking.add(function)
    for name in ("kernel_main", "_ZN4kite15stack_protector4initEv"):
        if name in checking:
            problems.append(f"{name} checks a stack canary, but the guard changes under it")
    if len(checking) < 200:
        problems.append(f"only {len(checking)} functions check a stack canary: "
                        "is -fstack-protector-strong on?")

    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
        return 1
    print(f"kernel link OK: no undefined symbols, no libraries, {count} symbols in .ksyms match, "
          f"{len(checking)} functions check a stack canary")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes the kernel symbol table (.ksyms) from the stage-1 kernel ELF.

Layout (kernel/debug/ksyms.h): a 16-byte header (magic "KSYM", count,
strings_offset, strings_size), count 16-byte entries (u64 address, u32
name_offset, u32 size) sorted by address, then NUL-terminated names.
Only text symbols go in; names are demangled by nm.
"""
import argparse
import re
import struct
import subprocess
import sys

MAGIC = 0x4D59534B
NASM_LOCAL_LABEL = re.compile(r"[A-Za-z_]\w*\.[A-Za-z_]\w*")


def text_symbols(nm, elf):
    out = subprocess.run([nm, "-n", "-S", "-C", "--defined-only", elf],
                         check=True, capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        parts = line.split(None, 3)
        # "address size type name" or, without a size, "address type name".
        if len(parts) == 4 and len(parts[2]) == 1:
            address, size, kind, name = parts[0], parts[1], parts[2], parts[3]
        else:
            parts = line.split(None, 2)
            if len(parts) != 3:
                continue
            address, kind, name = parts
            size = "0"
        if kind not in "tTwW":
            continue
        address = int(address, 16)
        if address < 0xFFFFFFFF80000000:
            continue  # the 32-bit bootstrap, unmapped after boot
        if NASM_LOCAL_LABEL.fullmatch(name):
            continue  # "function.label": a place inside function, not a function
        # Keep the first name at an address (nm -n lists aliases together).
        symbols.setdefault(address, (int(size, 16), name))
    return sorted((a, s, n) for a, (s, n) in symbols.items())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nm", required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    symbols = text_symbols(args.nm, args.elf)
    strings = bytearray()
    entries = bytearray()
    for address, size, name in symbols:
        entries += struct.pack("<QII", address, len(strings), min(size, 0xFFFFFFFF))
        strings += name.encode() + b"\0"
    strings_offset = 16 + len(entries)
    header = struct.pack("<IIII", MAGIC, len(symbols), strings_offset, len(strings))
    with open(args.out, "wb") as f:
        f.write(header + entries + strings)
    print(f"gen_ksyms: {len(symbols)} symbols, {strings_offset + len(strings)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()

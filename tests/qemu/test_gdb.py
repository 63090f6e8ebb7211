#!/usr/bin/env python3
"""The GDB session that README.md shows, run for real: QEMU halted with a
GDB stub, GDB attaches, breaks in kernel_main (a hardware breakpoint, since
the kernel's addresses are not mapped until the bootstrap has run) and sees
the Multiboot2 magic as its first argument."""
import argparse
import shutil
import socket
import subprocess
import sys

from kite_qemu import Machine


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--elf", required=True)
    args = parser.parse_args()
    if not shutil.which("gdb"):
        print("SKIPPED: gdb is not installed")
        return 0

    port = free_port()
    with Machine(args.iso, extra=["-gdb", f"tcp:127.0.0.1:{port}", "-S"], echo=False):
        result = subprocess.run(
            ["gdb", "-q", "-batch", "-nx", args.elf,
             "-ex", f"target remote 127.0.0.1:{port}",
             "-ex", "hbreak kernel_main", "-ex", "continue", "-ex", "bt", "-ex", "kill"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    print(output)
    expected = ["Breakpoint 1, kernel_main (multiboot_magic=920085129",  # 0x36d76289
                "in higher_half_entry ()"]
    missing = [e for e in expected if e not in output]
    if missing:
        print(f"FAIL: GDB did not show {missing}")
        return 1
    print("GDB broke in kernel_main")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Counts the instructions one kernel entry executes, per function: boots
Kite with a GDB stub, lets `--function` be hit `--skip` times (to get past
cold caches and first-time work), then single-steps until the CPU is back
in user mode and prints how many instructions each function (or inlined
function) took. A measuring tool, not a test; slow (one GDB round trip per
instruction), so meant for paths of a few thousand instructions.

    python3 tests/bench/gdb_trace.py --iso build/kite.iso --elf build/kernel/kite.elf \\
        --append kite.ubench=bench_syscalls --function sys_read --skip 30
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "qemu"))
from kite_qemu import Machine  # noqa: E402

# Runs inside GDB: the parameters come in as convenience variables' names.
GDB_SCRIPT = r'''
import collections
import gdb

function, skip, limit = FUNCTION, SKIP, LIMIT
gdb.execute("hbreak " + function)
for _ in range(skip + 1):
    gdb.execute("continue", to_string=True)
gdb.execute("delete")
counts = collections.Counter()
path = []
steps = 0
while steps < limit:
    pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
    if pc < 0x800000000000:  # back in user mode
        break
    try:
        name = gdb.selected_frame().name() or hex(pc)
    except gdb.error:
        name = hex(pc)
    counts[name] += 1
    if not path or path[-1] != name:
        path.append(name)
    gdb.execute("stepi", to_string=True)
    steps += 1
print("TRACE instructions %d%s" % (steps, " (limit reached)" if steps == limit else ""))
for name, n in counts.most_common():
    print("TRACE %6d  %s" % (n, name))
print("TRACE path: " + " -> ".join(path))
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--append", default="kite.ubench=bench_syscalls")
    parser.add_argument("--function", default="sys_read")
    parser.add_argument("--skip", type=int, default=30)
    parser.add_argument("--limit", type=int, default=5000)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = GDB_SCRIPT.replace("FUNCTION", repr(args.function)).replace(
        "SKIP", str(args.skip)).replace("LIMIT", str(args.limit))
    with tempfile.NamedTemporaryFile("w", suffix=".py") as file, \
            Machine(args.iso, append=args.append, echo=False,
                    extra=["-gdb", f"tcp:127.0.0.1:{port}"]):
        file.write(script)
        file.flush()
        result = subprocess.run(
            ["gdb", "-q", "-batch", "-nx", args.elf, "-ex", f"target remote 127.0.0.1:{port}",
             "-x", file.name],
            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    lines = [line[6:] for line in result.stdout.splitlines() if line.startswith("TRACE ")]
    if not lines:
        print(result.stdout[-3000:] + result.stderr[-3000:])
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Builds the initrd: a ustar archive of initrd/ plus the trees of built user
programs (bin/, test/, bench/), with the test data files the exec tests need
generated from a built program. Deterministic (sorted, zero times and
owners) and written only when its contents change, so the ISO is remade only
when something in it did.

    make_initrd.py --out initrd.tar --tree initrd/ --tree build/user/root
"""
import argparse
import io
import os
import struct
import tarfile


def test_data(hello_path):
    """Files for tests/user/exec_errors.c: (name, mode, bytes)."""
    with open(hello_path, "rb") as f:
        elf = bytearray(f.read())
    other_machine = bytearray(elf)
    other_machine[18:20] = struct.pack("<H", 183)  # EM_AARCH64
    dynamic = bytearray(elf)
    phoff, = struct.unpack_from("<Q", elf, 32)
    phnum, = struct.unpack_from("<H", elf, 56)
    for i in range(phnum):  # turn PT_GNU_STACK (or else the last header) into PT_INTERP
        at = phoff + i * 56
        if struct.unpack_from("<I", dynamic, at)[0] == 0x6474E551 or i == phnum - 1:
            struct.pack_into("<I", dynamic, at, 3)
            break
    return [
        ("not_elf", 0o755, b"this is not a program\n"),
        ("not_executable", 0o644, bytes(elf)),
        ("truncated_elf", 0o755, bytes(elf[:100])),
        ("other_machine_elf", 0o755, bytes(other_machine)),
        ("dynamic_elf", 0o755, bytes(dynamic)),
        ("script", 0o755, b"#!/test/exec_errors   --as-interpreter  \nignored\n"),
    ]


def add_tree(archive, root):
    for directory, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        relative = os.path.relpath(directory, root)
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(directory, d))]:
            path = os.path.join(directory, name)
            info = archive.gettarinfo(path, arcname=os.path.normpath(os.path.join(relative, name)))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = 0
            if info.isfile():
                with open(path, "rb") as f:
                    archive.addfile(info, f)
            else:
                archive.addfile(info)
        for name in dirs:
            if not os.path.islink(os.path.join(directory, name)):
                info = tarfile.TarInfo(os.path.normpath(os.path.join(relative, name)))
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                archive.addfile(info)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tree", action="append", default=[])
    parser.add_argument("--test-data-from", help="a built program to derive exec test data from")
    parser.add_argument("--test-data-dir", help="also write the test data files here (for Linux runs)")
    args = parser.parse_args()

    if args.test_data_dir and args.test_data_from and os.path.exists(args.test_data_from):
        os.makedirs(args.test_data_dir, exist_ok=True)
        for name, mode, data in test_data(args.test_data_from):
            path = os.path.join(args.test_data_dir, name)
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, mode)

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for tree in args.tree:
            if os.path.isdir(tree):
                add_tree(archive, tree)
        if args.test_data_from and os.path.exists(args.test_data_from):
            for name, mode, data in test_data(args.test_data_from):
                info = tarfile.TarInfo(f"test/data/{name}")
                info.size = len(data)
                info.mode = mode
                archive.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    if os.path.exists(args.out):
        with open(args.out, "rb") as f:
            if f.read() == data:
                return
    with open(args.out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()

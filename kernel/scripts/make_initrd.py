#!/usr/bin/env python3
"""Builds the initrd: a ustar archive of initrd/ plus the trees of built user
programs (bin/, test/, bench/), with the test data files the exec tests need
generated from a built program. Deterministic (sorted, zero times and
owners) and written only when its contents change, so the ISO is remade only
when something in it did.

    make_initrd.py --out initrd.tar --tree initrd/ --tree build/user/root \
        --busybox /bin/busybox

With --busybox, that binary goes in unmodified as /usr/bin/busybox, with a
symlink /usr/bin/NAME -> busybox for each of its applets that no tree puts
in /bin or /sbin: Kite's own programs stay the defaults (PATH is
/bin:/usr/bin) and busybox picks the applet from argv[0]'s last component.
"""
import argparse
import io
import os
import struct
import subprocess
import sys
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


def has_interpreter(elf):
    """Whether a 64-bit ELF file asks for a dynamic loader (PT_INTERP)."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    phnum, = struct.unpack_from("<H", elf, 56)
    return any(struct.unpack_from("<I", elf, phoff + i * 56)[0] == 3 for i in range(phnum))


def busybox_entries(busybox, trees, copyright_file):
    """(TarInfo, bytes or None) for /usr/bin/busybox, its applet links and
    Debian's copyright file (its licence, GPL-2.0) beside the binary."""
    with open(busybox, "rb") as f:
        binary = f.read()
    if binary[:4] != b"\x7fELF" or has_interpreter(binary):
        sys.exit(f"make_initrd.py: {busybox} is not a static ELF program "
                 "(tests/deps.sh installs Debian's busybox-static)")
    listing = subprocess.run([busybox, "--list"], check=True, capture_output=True, text=True)
    taken = set()
    for tree in trees:
        for directory in ("bin", "sbin"):
            if os.path.isdir(os.path.join(tree, directory)):
                taken.update(os.listdir(os.path.join(tree, directory)))
    entries = []
    for name in ("usr", "usr/bin"):
        info = tarfile.TarInfo(name)
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        entries.append((info, None))
    info = tarfile.TarInfo("usr/bin/busybox")
    info.size = len(binary)
    info.mode = 0o755
    entries.append((info, binary))
    if copyright_file and os.path.exists(copyright_file):
        with open(copyright_file, "rb") as f:
            text = f.read()
        for name in ("usr/share", "usr/share/doc", "usr/share/doc/busybox"):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            entries.append((info, None))
        info = tarfile.TarInfo("usr/share/doc/busybox/copyright")
        info.size = len(text)
        info.mode = 0o644
        entries.append((info, text))
    for applet in sorted(set(listing.stdout.split())):
        if applet in taken or applet == "busybox" or "/" in applet:
            continue
        info = tarfile.TarInfo(f"usr/bin/{applet}")
        info.type = tarfile.SYMTYPE
        info.linkname = "busybox"
        info.mode = 0o777
        entries.append((info, None))
    return entries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tree", action="append", default=[])
    parser.add_argument("--test-data-from", help="a built program to derive exec test data from")
    parser.add_argument("--test-data-dir", help="also write the test data files here (for Linux runs)")
    parser.add_argument("--busybox", help="a static busybox for /usr/bin, with its applet links")
    parser.add_argument("--busybox-copyright", help="its Debian copyright file, for /usr/share/doc")
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
        if args.busybox:
            for info, data in busybox_entries(args.busybox, args.tree, args.busybox_copyright):
                archive.addfile(info, io.BytesIO(data) if data is not None else None)
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

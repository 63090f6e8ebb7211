#!/usr/bin/env python3
"""root= puts / on an ext2 disk, with the initrd as the fallback
(kernel/fs/root_disk.h). The root image is the initrd's own tree (the
build's initrd.tar, unpacked) with /dev, /proc, /tmp and /initrd added and
two things only the disk has, copied in by `mke2fs -t ext2 -d`. Six boots
of a few seconds each:

1. root=/dev/vda rw: /proc/mounts shows the disk on / and /dev, /proc, /tmp
   and the initrd (/initrd) on it; kite.mnt does not mount the disk again;
   programs run from it; /initrd unmounts; a file written to / is synced;
   `umount /` is EBUSY.
2. root=vda (the bare name; read-only, Linux's default): the file is there
   after the reboot, / is ro and refuses a write.
3. root=/dev/vda1 rw rootfstype=ext2: the same file system in an MBR
   partition, with no /tmp and no /initrd: both reported, / still works.
4. root=/dev/vdz: no such disk, / stays on the initrd (and kite.mnt mounts
   the disk that is there on /mnt).
5. root= a disk of zeros: not ext2, / stays on the initrd.
6. root= an ext2 disk without /sbin/init: / stays on the initrd, and the
   disk, let go, is mounted on /mnt by kite.mnt."""
import argparse
import os
import shutil
import struct
import subprocess
import tempfile

from kite_qemu import Checks, find_tool, Machine, disk_options, run_main

PROMPT = r"^/ \$ "
FALLBACK = "/ stays on the initrd"


class Session:
    """One boot with image as vda and append on the command line."""

    def __init__(self, iso, image, append):
        self.machine = Machine(iso, extra=disk_options(image), append=append, echo=False)

    def __enter__(self):
        self.machine.__enter__()
        self.machine.expect(PROMPT, 120)
        self.boot_log = self.machine.output
        return self

    def __exit__(self, *exc):
        self.machine.kill()

    def output_of(self, command, timeout=60):
        """What command printed (without its echo and the prompt after it)."""
        start = len(self.machine.output)
        self.machine.send(command + "\n")
        self.machine.expect(PROMPT, timeout)
        lines = self.machine.output[start:].splitlines()[1:-1]
        return "\n".join(lines)


def partitioned(file_system, out):
    """An MBR disk with file_system as its one partition, from sector 2048."""
    size = os.path.getsize(file_system)
    sectors = size // 512
    entry = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83, b"\0\0\0", 2048, sectors)
    mbr = bytearray(512)
    mbr[446:446 + 16] = entry
    mbr[510:512] = b"\x55\xaa"
    with open(out, "wb") as disk, open(file_system, "rb") as source:
        disk.write(mbr)
        disk.write(bytes(2048 * 512 - 512))
        shutil.copyfileobj(source, disk)


def make_ext2(mke2fs, tree, image, size):
    """An ext2 image of size bytes holding tree (mke2fs -d)."""
    with open(image, "wb") as f:
        f.truncate(size)  # made here, so mke2fs says nothing of creating it
    subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, image],
                   check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--initrd", required=True, help="the build's initrd.tar")
    args = parser.parse_args()
    mke2fs, debugfs = find_tool("mke2fs"), find_tool("debugfs")
    if not (mke2fs and debugfs):
        print("SKIPPED: e2fsprogs (mke2fs, debugfs) not installed")
        return 0
    check = Checks()

    def mounts_of(session):
        return session.output_of("cat /proc/mounts").splitlines()

    with tempfile.TemporaryDirectory(prefix="kite-root-") as work:
        tree = os.path.join(work, "tree")
        os.mkdir(tree)
        subprocess.run(["tar", "xf", args.initrd, "-C", tree], check=True)
        for directory in ("dev", "proc", "tmp", "initrd"):
            os.makedirs(os.path.join(tree, directory), exist_ok=True)
        with open(os.path.join(tree, "disk-only"), "w") as f:
            f.write("this / is the disk\n")
        shutil.copy(os.path.join(tree, "bin", "hello"), os.path.join(tree, "bin", "hello-disk"))
        image = os.path.join(work, "root.img")
        make_ext2(mke2fs, tree, image, 40 << 20)

        # 1. The disk as /, read-write.
        with Session(args.iso, image, "root=/dev/vda rw") as s:
            check("root=/dev/vda: / is /dev/vda (ext2, rw); the initrd is on /initrd" in s.boot_log,
                  "the boot says / is the disk")
            check("kite.mnt" not in s.boot_log, "kite.mnt leaves the root disk alone")
            mounts = mounts_of(s)
            check(mounts[:1] == ["/dev/vda / ext2 rw,relatime 0 0"], f"/ is ext2 ({mounts[:1]})")
            for target, kind in (("/dev", "devtmpfs"), ("/dev/shm", "tmpfs"), ("/proc", "proc"),
                                 ("/tmp", "tmpfs"), ("/initrd", "ramfs")):
                check(any(line.split()[1:3] == [target, kind] for line in mounts),
                      f"{kind} on {target}")
            check(not any(" /mnt " in line for line in mounts), "nothing on /mnt")
            check(s.output_of("cat /disk-only") == "this / is the disk", "/ has the disk's files")
            check(s.output_of("hello-disk") == "Hello from userspace!",
                  "a program only the disk has runs")
            check(s.output_of("/bin/hello") == "Hello from userspace!", "/bin/hello runs")
            check(s.output_of("ls /initrd/bin/hello") == "/initrd/bin/hello",
                  "the initrd is reachable on /initrd")
            s.output_of("umount /initrd")
            check(s.output_of("ls /initrd") == "", "umount /initrd lets the initrd go")
            text = s.output_of("umount /")
            check("Device or resource busy" in text, f"umount / is EBUSY ({text!r})")
            s.output_of("echo written on the disk > /root-note; sync")
        note = subprocess.run([debugfs, "-R", "cat /root-note", image], capture_output=True)
        check(note.stdout == b"written on the disk\n", "the host reads /root-note from the image")

        # 2. The same disk read-only: root= without rw.
        with Session(args.iso, image, "root=vda") as s:
            check("root=vda: / is /dev/vda (ext2, ro)" in s.boot_log, "the boot says / is ro")
            check(mounts_of(s)[:1] == ["/dev/vda / ext2 ro,relatime 0 0"], "/ is ext2, ro")
            check(s.output_of("cat /root-note") == "written on the disk",
                  "/root-note survives the reboot")
            text = s.output_of("echo no > /other")
            check("Read-only file system" in text, f"a read-only / refuses a write ({text!r})")
            # Kite's ext2 cannot make a read-only volume writable in place
            # (Linux can): the remount is EROFS, and / does not claim rw.
            text = s.output_of("mount -o remount,rw /")
            check("Read-only file system" in text and
                  mounts_of(s)[:1] == ["/dev/vda / ext2 ro,relatime 0 0"],
                  f"remounting a read-only / rw is EROFS ({text!r})")

        # 3. In a partition, without /tmp and /initrd.
        variant = os.path.join(work, "variant.img")
        shutil.copy(image, variant)
        for directory in ("/tmp", "/initrd"):
            subprocess.run([debugfs, "-w", "-R", f"rmdir {directory}", variant], check=True,
                           capture_output=True)
        disk = os.path.join(work, "partitioned.img")
        partitioned(variant, disk)
        with Session(args.iso, disk, "root=/dev/vda1 rw rootfstype=ext2") as s:
            check("root=/dev/vda1: no /tmp directory on it; /tmp is not mounted" in s.boot_log,
                  "a missing /tmp is reported")
            check("root=/dev/vda1: / is /dev/vda1 (ext2, rw); no /initrd on it" in s.boot_log,
                  "a missing /initrd is reported")
            mounts = mounts_of(s)
            check(mounts[:1] == ["/dev/vda1 / ext2 rw,relatime 0 0"], f"/ is vda1 ({mounts[:1]})")
            check(not any(line.split()[1] in ("/tmp", "/initrd") for line in mounts),
                  "nothing on /tmp or /initrd")
            check(s.output_of("cat /root-note") == "written on the disk", "the partition's files")

        # 4-6. Fallbacks: the initrd stays /, the shell works.
        zeros = os.path.join(work, "zeros.img")
        with open(zeros, "wb") as f:
            f.truncate(4 << 20)
        bare_tree = os.path.join(work, "bare")
        os.makedirs(os.path.join(bare_tree, "dev"))
        with open(os.path.join(bare_tree, "note"), "w") as f:
            f.write("no init here\n")
        bare = os.path.join(work, "bare.img")
        make_ext2(mke2fs, bare_tree, bare, 4 << 20)
        cases = (
            (image, "root=/dev/vdz rw", "root=/dev/vdz: no such disk; " + FALLBACK, True),
            (zeros, "root=/dev/vda", "root=/dev/vda: not mounted: ext2: ", False),
            (bare, "root=/dev/vda rw", "root=/dev/vda: no program /sbin/init on it; " + FALLBACK,
             True),
        )
        for disk, append, message, on_mnt in cases:
            with Session(args.iso, disk, append) as s:
                check(message in s.boot_log and FALLBACK in s.boot_log,
                      f"{append}: the boot says {message!r}")
                check(s.output_of("hello") == "Hello from userspace!", f"{append}: the shell works")
                mounts = mounts_of(s)
                check(mounts[:1] == ["initrd / ramfs ro,relatime 0 0"], f"{append}: / is the initrd")
                check(any(line.startswith("/dev/vda /mnt ext2 ") for line in mounts) == on_mnt,
                      f"{append}: kite.mnt {'mounts' if on_mnt else 'does not mount'} vda on /mnt")
                check("panic" not in s.machine.output.lower(), f"{append}: no panic")

    return check.finish("root disk test passed")


if __name__ == "__main__":
    run_main(main)

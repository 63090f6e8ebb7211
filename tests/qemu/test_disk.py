#!/usr/bin/env python3
"""Kite's disks end to end, on a fresh ext2 image made here by mke2fs and
attached as virtio-blk (or, with --interface ide, ATA):

1. Storm: /test/disk_storm on /mnt (10 000 files in a tree, a 64 MiB file
   of a known pattern, random writes against a model, rename/link/unlink
   storms, filling the disk to ENOSPC and freeing it; every result checked
   in the guest), then umount. On the host, `e2fsck -fn` must find the
   image clean and `debugfs` must read back what Kite wrote.
2. Reboot: a file written and synced is there after QEMU is killed and
   booted again (the user's session of the README).
3. Power cut: known files are synced, a write storm starts, and QEMU is
   killed in the middle of it; `e2fsck -fy` repairs the image and the
   synced files are intact.
4. Leaks: mounting, using and unmounting the disk from the shell leave
   /proc/kite/memory as it was.

Nothing waits on time except the power cut, which waits for the storm to
be under way (its first output) and then cuts at once: whatever the storm
had written, only the synced files are checked."""
import argparse
import os
import re
import shutil
import subprocess
import tempfile

from kite_qemu import Checks, find_tool, Machine, disk_options, run_main

PROMPT = r"^/ \$ "
STORM_DONE = r"^disk_storm \(Kite\): \d+ checks, (\d+) failed$"


def pattern(size):
    """disk_storm's big file: byte i is (i*7 + (i>>12)*13 + 1) mod 256."""
    base = bytes(((i * 7) + 1) & 0xFF for i in range(4096))
    out = bytearray()
    for page in range(size // 4096):
        add = (page * 13) & 0xFF
        # (i*7 + 1 + page*13) for i in the page; page*4096*7 is 0 mod 256.
        out += bytes((b + add) & 0xFF for b in base)
    return bytes(out)


class Session:
    def __init__(self, iso, image, interface, append=None, read_only=False):
        drive = disk_options(image, interface)
        if read_only:
            drive[-1] += ",readonly=on"
        self.machine = Machine(iso, extra=drive, append=append, echo=False)

    def __enter__(self):
        self.machine.__enter__()
        self.machine.expect(PROMPT, 120)
        return self

    def __exit__(self, *exc):
        self.machine.kill()

    def run(self, command, *patterns, timeout=120):
        """Types command; waits for each pattern, then the prompt; the last match."""
        self.machine.send(command + "\n")
        match = None
        for p in patterns:
            match = self.machine.expect(p, timeout)
        self.machine.expect(PROMPT, timeout)
        return match

    def output_of(self, command, timeout=60):
        start = self.machine.position()
        self.run(command, timeout=timeout)
        text = self.machine.output[start:]
        lines = text.splitlines()[1:-1]  # the echoed command and the prompt
        return "\n".join(lines)


def debugfs_cat(debugfs, image, path):
    result = subprocess.run([debugfs, "-R", f"cat {path}", image], capture_output=True,
                            timeout=120)
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--interface", default="virtio", choices=["virtio", "ide"])
    parser.add_argument("--small", action="store_true", help="disk_storm's small sizes")
    args = parser.parse_args()
    mke2fs, e2fsck, debugfs = find_tool("mke2fs"), find_tool("e2fsck"), find_tool("debugfs")
    if not (mke2fs and e2fsck and debugfs):
        print("SKIPPED: e2fsprogs (mke2fs, e2fsck, debugfs) not installed")
        return 0
    device = "vda" if args.interface == "virtio" else "sda"
    append = None if device == "vda" else "kite.mnt=sda"
    size = "32M" if args.small else "160M"
    storm_size = "small" if args.small else "big"
    check = Checks()

    with tempfile.TemporaryDirectory(prefix="kite-disk-") as work:
        image = os.path.join(work, "disk.img")
        subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-b", "4096", image, size], check=True)

        # 1. The storm, then the host's e2fsck and debugfs.
        with Session(args.iso, image, args.interface, append) as s:
            s.run("cat /proc/mounts", rf"^/dev/{device} /mnt ext2 rw")
            storm = s.run(f"/test/disk_storm /mnt {storm_size} keep", STORM_DONE, timeout=900)
            check(storm.group(1) == "0", f"disk_storm on ext2: {storm.group(0)}")
            s.run("umount /mnt")
            s.run("cat /proc/mounts")
            check(f"/dev/{device} /mnt" not in s.machine.output.split("umount /mnt")[-1],
                  "umount took /mnt off the mount table")
        fsck = subprocess.run([e2fsck, "-fn", image], capture_output=True, text=True, timeout=300)
        check(fsck.returncode == 0, "e2fsck -fn finds the image clean after the storm")
        if fsck.returncode != 0:
            print(fsck.stdout[-3000:], fsck.stderr[-1000:])
        check(debugfs_cat(debugfs, image, "/tree/d0/f0") == b"file 0 0\n",
              "debugfs reads /tree/d0/f0 as Kite wrote it")
        last = 299 if args.small else 9999
        check(debugfs_cat(debugfs, image, f"/tree/d{last // 100}/f{last % 100}") ==
              f"file {last // 100} {last % 100}\n".encode(),
              "debugfs reads the last file of the tree as Kite wrote it")
        big = debugfs_cat(debugfs, image, "/big")
        big_size = (1 << 20) if args.small else (64 << 20)
        check(big == pattern(big_size), f"debugfs reads /big ({big_size} bytes) as Kite wrote it")

        # 2. A file written and synced survives QEMU's end and a new boot.
        with Session(args.iso, image, args.interface, append) as s:
            s.run("echo hi > /mnt/note; sync")
        with Session(args.iso, image, args.interface, append) as s:
            check(s.output_of("cat /mnt/note").strip() == "hi", "/mnt/note survives a reboot")
            text = s.output_of(f"cat /mnt/tree/d{last // 100}/f{last % 100}")
            check(text.strip() == f"file {last // 100} {last % 100}", "the tree survives too")

            # 4. Leaks: unmount, then mount, use and unmount again.
            s.run("umount /mnt")
            before = s.output_of("cat /proc/kite/memory")
            s.run(f"mount -t ext2 /dev/{device} /mnt")
            storm = s.run("/test/disk_storm /mnt/leak small", STORM_DONE, timeout=600)
            check(storm.group(1) == "0", f"disk_storm after a remount: {storm.group(0)}")
            s.run("umount /mnt")
            after = s.output_of("cat /proc/kite/memory")
            check(before == after and "free_frames" in before,
                  f"mount, use and umount leave memory as it was ({before!r} -> {after!r})")
            s.run(f"mount -t ext2 /dev/{device} /mnt")

            # 3. Power cut: sync known files, start a storm, kill QEMU in it.
            s.run("mkdir /mnt/known; for i in 1 2 3 4 5; do echo synced $i > /mnt/known/$i; done;"
                  " sync")
            # The storm runs over and over (each run cleans up after itself,
            # so the disk never fills); the cut comes while one is running.
            # (Busybox's shell runs the loop: Kite's cannot background one.)
            s.machine.send("busybox sh -c 'while true; do /test/disk_storm /mnt/cut small; done' &"
                           " sleep 3; echo cutting now\n")
            s.machine.expect(r"^cutting now$", 120)
        fsck = subprocess.run([e2fsck, "-fy", image], capture_output=True, text=True, timeout=300)
        check(fsck.returncode in (0, 1), f"e2fsck -fy repairs the image (exit {fsck.returncode})")
        for i in range(1, 6):
            check(debugfs_cat(debugfs, image, f"/known/{i}") == f"synced {i}\n".encode(),
                  f"synced file /known/{i} is intact after the power cut")

        # 5. A read-only disk (virtio's RO feature; QEMU refuses read-only IDE
        # disks) mounts read-only: reads work, writes are EROFS.
        if args.interface == "virtio":
            with Session(args.iso, image, args.interface, append, read_only=True) as s:
                s.run("cat /proc/mounts", rf"^/dev/{device} /mnt ext2 ro")
                check(s.output_of("cat /mnt/known/1").strip() == "synced 1",
                      "a read-only disk reads")
                text = s.output_of("echo no > /mnt/other")
                check("Read-only file system" in text,
                      f"a read-only disk refuses a write ({text!r})")

    return check.finish("disk test passed")


if __name__ == "__main__":
    run_main(main)

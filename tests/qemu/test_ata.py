#!/usr/bin/env python3
"""The ATA driver on QEMU's PIIX IDE controller, from the shell of the real
kite.iso. Two disks are attached beside the CD-ROM Kite boots from (the
secondary master, an ATAPI device the driver must leave alone):

  sda: a 16 MiB image with a known pattern in every sector and an MBR with
       one partition from sector 2048 (what the host wrote, byte for byte);
  sdb: a 200 GiB sparse image, whose last sectors need 48-bit addresses;
  sdc: a 4 MiB disk beside the CD-ROM (the secondary slave) behind QEMU's
       blkdebug driver, which fails reads of sector 1000 and writes of
       sector 2000 as a bad drive would: EIO, and the channel goes on.

Busybox's dd reads sectors of /dev/sda, /dev/sda1 and /dev/sdb, and md5sum
prints their digests, checked against the host's; dd then writes into
/dev/sda1 at an offset (whole sectors and a partial one, which the block
node reads, changes and writes back) and near the end of /dev/sdb. After
Kite powers off, the host reads the images: the bytes are where the
partition's start plus the offset put them, and their neighbours are
unchanged. /proc/bus/pci/devices names the controller's driver. Before
the shell session, a boot runs the in-kernel test of longer and queued
requests (kernel/tests/ata_tests.cpp) on the same disks. All of it runs
twice: with bus-master DMA, then with PIO (libata.dma=0)."""
import argparse
import hashlib
import os
import struct
import sys
import tempfile

from kite_qemu import EXIT_PASS, Machine, Timeout

KITE_PROMPT = r"^/ \$ "
PROMPT = r"bb\$ "
SECTOR = 512
SMALL_SECTORS = 32768  # 16 MiB
PART_START = 2048
BIG_BYTES = 200 << 30  # 200 GiB: 419430400 sectors, past 2^28
POWER_OFF_EXIT = 37  # reboot(2)'s power-off under isa-debug-exit (arch/x86_64/qemu.h)


def sector_pattern(number):
    """Sector number's bytes: its number in text, then bytes that depend on
    both the number and the position, so a sector read from the wrong place
    or shifted by a byte does not match."""
    head = b"sector %010d " % number
    body = bytes((number * 7 + i * 13) & 0xFF for i in range(SECTOR - len(head)))
    return head + body


def mbr(partitions):
    """A classic MBR: (type, first sector, sector count) entries, boot signature."""
    sector = bytearray(SECTOR)
    for i, (kind, first, count) in enumerate(partitions):
        # Status, CHS first (unused: 0xFFFFFE), type, CHS last, LBA first, count.
        sector[446 + 16 * i:446 + 16 * (i + 1)] = struct.pack(
            "<B3sB3sII", 0, b"\xfe\xff\xff", kind, b"\xfe\xff\xff", first, count)
    sector[510:512] = b"\x55\xaa"
    return bytes(sector)


def make_small(path):
    with open(path, "wb") as f:
        f.write(mbr([(0x83, PART_START, SMALL_SECTORS - PART_START)]))
        for number in range(1, SMALL_SECTORS):
            f.write(sector_pattern(number))


def md5_of(path, offset, length):
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    assert len(data) == length
    return hashlib.md5(data).hexdigest()


def check(iso, mode):
    """The whole session with transfers by mode: DMA (the default where the
    controller and drive have it) or PIO (libata.dma=0, as on Linux)."""
    print(f"\n=== {mode} ===")
    option = "libata.dma=0" if mode == "PIO" else None
    work = tempfile.TemporaryDirectory(prefix="kite-ata-")
    small = os.path.join(work.name, "small.img")
    big = os.path.join(work.name, "big.img")
    make_small(small)
    with open(big, "wb") as f:
        f.truncate(BIG_BYTES)
        # A known 4 KiB 1 MiB before the end, for Kite to read.
        f.seek(BIG_BYTES - (1 << 20))
        f.write(b"".join(sector_pattern(BIG_BYTES // SECTOR - 2048 + i) for i in range(8)))

    # What Kite writes: text from busybox's yes, 5000 bytes (nine sectors
    # and part of a tenth) at sector 77 of sda1; three bytes at byte
    # 1000003 of sda1; the last 4 KiB of sdb.
    line = b"KiteAtaWrite\n"
    written = (line * (5000 // len(line) + 1))[:5000]
    tail = (b"EndOfBigDisk\n" * 400)[:4096]

    faulty = os.path.join(work.name, "faulty.img")
    with open(faulty, "wb") as f:
        f.truncate(4 << 20)
    faults = os.path.join(work.name, "blkdebug.conf")
    with open(faults, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "1000"\n\n'
                '[inject-error]\nevent = "write_aio"\nerrno = "5"\nsector = "2000"\n')

    drives = ["-drive", f"file={small},format=raw,if=ide,index=0",
              "-drive", f"file={big},format=raw,if=ide,index=1",
              "-drive", f"file=blkdebug:{faults}:{faulty},format=raw,if=ide,index=3"]
    # First the in-kernel test of what dd cannot ask for (requests longer
    # than one command, several queued at once); it puts back what it writes.
    ktest = "ata_long_and_queued_requests"
    with Machine(iso, append=" ".join(filter(None, ["kite.test=" + ktest, option])),
                 extra=drives) as machine:
        try:
            machine.expect(r"^KTEST SUMMARY: 1 passed, 0 failed$", 120)
            code = machine.wait_exit(10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    if code != EXIT_PASS or f"KTEST {ktest} ... ok" not in machine.output \
            or "SKIP" in machine.output:
        print(f"\nFAIL: {ktest} did not pass on the test disk (exit code {code})")
        return 1

    steps = 0
    with Machine(iso, append=option, extra=drives) as machine:
        def run(command, *patterns, prompt=PROMPT, timeout=60):
            nonlocal steps
            machine.send(command + "\n")
            for pattern in patterns:
                machine.expect(pattern, timeout)
            machine.expect(prompt, timeout)
            steps += 1

        def digest(expected, command):
            run(command + " | md5sum", "^" + expected + r"  -$")

        try:
            machine.expect(KITE_PROMPT, 120)
            run("PS1='bb$ ' busybox sh", r"built-in shell \(ash\)")
            run("grep -c ata_piix /proc/bus/pci/devices", r"^1$")
            # The boot log: both disks, the sizes IDENTIFY gave and the
            # command sets chosen; the CD-ROM skipped.
            run("dmesg | grep '^ata'",
                r"^ata1\.00: QEMU HARDDISK, 32768 sectors, LBA48, %s: sda$" % mode,
                r"^ata1\.01: QEMU HARDDISK, 419430400 sectors, LBA48, %s: sdb$" % mode,
                r"^ata2\.00: ATAPI device \(skipped\)$",
                r"^ata2\.01: QEMU HARDDISK, 8192 sectors, LBA48, %s: sdc$" % mode)
            run("dmesg | grep 'block: sda1'", r"^block: sda1: 30720 sectors from 2048$")
            # Linux's numbers: sd is major 8 with 16 minors a disk.
            run("ls -l /dev/sda /dev/sda1 /dev/sdb",
                r"^b.* 8,\s+0 .*/dev/sda$", r"^b.* 8,\s+1 .*/dev/sda1$",
                r"^b.* 8,\s+16 .*/dev/sdb$")
            run("for d in sda sda1 sdb; do blockdev --getsize64 /dev/$d; done",
                "^%d$" % (SMALL_SECTORS * SECTOR), "^%d$" % ((SMALL_SECTORS - PART_START) * SECTOR),
                "^%d$" % BIG_BYTES)

            # Reads: the whole disk (16 MiB, 4 KiB requests), single
            # sectors, a partition, and 48-bit addresses near sdb's end.
            digest(md5_of(small, 0, SMALL_SECTORS * SECTOR), "dd if=/dev/sda bs=64k 2>/dev/null")
            digest(md5_of(small, 5 * SECTOR, 3 * SECTOR),
                   "dd if=/dev/sda bs=512 skip=5 count=3 2>/dev/null")
            digest(md5_of(small, (PART_START + 10) * SECTOR, 2 * SECTOR),
                   "dd if=/dev/sda1 bs=512 skip=10 count=2 2>/dev/null")
            digest(md5_of(small, (SMALL_SECTORS - 1) * SECTOR, SECTOR),
                   "dd if=/dev/sda1 bs=512 skip=%d 2>/dev/null" % (SMALL_SECTORS - PART_START - 1))
            digest(md5_of(big, BIG_BYTES - (1 << 20), 4096),
                   "dd if=/dev/sdb bs=4096 skip=%d count=1 2>/dev/null"
                   % ((BIG_BYTES - (1 << 20)) // 4096))

            # Writes.
            run("yes KiteAtaWrite | head -c 5000 > /tmp/w; "
                "dd if=/tmp/w of=/dev/sda1 bs=512 seek=77 conv=notrunc 2>&1 | head -n 2",
                r"^9\+1 records in$", r"^9\+1 records out$")
            run("printf XYZ | dd of=/dev/sda1 bs=1 seek=1000003 conv=notrunc 2>/dev/null; echo w=$?",
                r"^w=0$")
            run("yes EndOfBigDisk | head -c 4096 > /tmp/t; dd if=/tmp/t of=/dev/sdb bs=4096 "
                "seek=%d conv=notrunc 2>/dev/null; echo w=$?" % (BIG_BYTES // 4096 - 1), r"^w=0$")
            # Read back through the device (not from any cache: there is
            # none under a block node), then flush the drives' caches
            # (BLKFLSBUF: FLUSH CACHE EXT).
            digest(hashlib.md5(written).hexdigest(),
                   "dd if=/dev/sda1 bs=1 skip=%d count=5000 2>/dev/null" % (77 * SECTOR))
            digest(hashlib.md5(tail).hexdigest(),
                   "dd if=/dev/sdb bs=4096 skip=%d 2>/dev/null" % (BIG_BYTES // 4096 - 1))
            run("blockdev --flushbufs /dev/sda && blockdev --flushbufs /dev/sdb; echo f=$?", r"^f=0$")
            # Past the end: a read gives nothing, a write no room.
            run("dd if=/dev/sda bs=512 skip=%d count=1 2>&1 | head -n 1" % SMALL_SECTORS,
                r"^0\+0 records in$")
            run("printf x | dd of=/dev/sda1 bs=512 seek=%d 2>&1 | head -n 1"
                % (SMALL_SECTORS - PART_START), r"No space left on device")
            # A drive's errors: EIO to the reader and the writer, and the
            # next requests on the channel work.
            run("dd if=/dev/sdc bs=512 skip=1000 count=1 of=/dev/null; echo r=$?",
                r"^dd: /dev/sdc: Input/output error$", r"^r=1$")
            run("dd if=/dev/zero of=/dev/sdc bs=4096 seek=250 count=1; echo w=$?",
                r"Input/output error$", r"^w=1$")
            digest(hashlib.md5(bytes(4096)).hexdigest(),
                   "dd if=/dev/sdc bs=4096 skip=124 count=1 2>/dev/null")
            digest(md5_of(small, 100 * SECTOR, SECTOR),
                   "dd if=/dev/sda bs=512 skip=100 count=1 2>/dev/null")
            run("poweroff -f", prompt=r"$")
            code = machine.wait_exit(60)
        except Timeout as error:
            print(f"\nFAIL: {error} (after {steps} steps)")
            return 1
    if code != POWER_OFF_EXIT:
        print(f"\nFAIL: QEMU exited with {code} after poweroff")
        return 1

    # The host's view: the writes landed at the partition's start plus the
    # offset, and every other byte is as the host wrote it (the in-kernel
    # test put back what it wrote, the partial-sector writes kept their
    # sectors' other bytes).
    with open(small, "rb") as f:
        image = f.read()
    expected = bytearray(len(image))
    expected[0:SECTOR] = mbr([(0x83, PART_START, SMALL_SECTORS - PART_START)])
    for number in range(1, SMALL_SECTORS):
        expected[number * SECTOR:(number + 1) * SECTOR] = sector_pattern(number)
    at = (PART_START + 77) * SECTOR
    expected[at:at + len(written)] = written
    at = PART_START * SECTOR + 1000003
    expected[at:at + 3] = b"XYZ"
    failures = []
    if len(image) != SMALL_SECTORS * SECTOR:
        failures.append(f"sda's image is {len(image)} bytes")
    wrong = [n for n in range(SMALL_SECTORS)
             if image[n * SECTOR:(n + 1) * SECTOR] != expected[n * SECTOR:(n + 1) * SECTOR]]
    if wrong:
        failures.append(f"{len(wrong)} sectors of sda's image differ from what was expected, "
                        f"the first {wrong[:8]}")
    with open(big, "rb") as f:
        f.seek(BIG_BYTES - 4096)
        if f.read() != tail:
            failures.append("sdb's last 4 KiB are not what Kite wrote")
    if failures:
        print("\nFAIL:\n  " + "\n  ".join(failures))
        return 1
    print(f"\n{mode}: {steps} ATA steps passed, images checked on the host")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    for mode in ("DMA", "PIO"):
        if check(args.iso, mode) != 0:
            return 1
    print("\nPASS: DMA and PIO")
    return 0


if __name__ == "__main__":
    sys.exit(main())

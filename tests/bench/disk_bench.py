#!/usr/bin/env python3
"""The disk figures of issue 13 (not a test): /bench/bench_disk on Kite and
the same static binary under Debian's Linux, in the same QEMU (TCG, one
CPU, the same memory), each on a fresh `mke2fs -t ext2 -b 4096` image
attached as virtio-blk. Four runs, in this order: Kite under plain TCG,
Linux under plain TCG (wall-time MB/s and milliseconds), Kite under
-icount shift=0,sleep=off, Linux the same (rdtsc = guest instructions);
with --rounds N, N such pairs per mode and the median of each figure.

    flock /tmp/kite-qemu.lock python3 tests/bench/disk_bench.py --iso build/kite.iso \\
        --bench build/user/root/bench/bench_disk [--no-linux]

Kite: the shell runs `/bench/bench_disk /mnt run /dev/vda` (the boot mounts
vda on /mnt). Linux: peer-linux's initramfs holds only /init and Debian
builds virtio-blk and ext4 as modules, so /init is linux_disk_init.c, built
here with the host's gcc -static around the modules of the same kernel
package (fetched once with `apt-get download`, unpacked with `dpkg -x`
into --cache) and bench_disk itself; it loads the modules, mounts the
disk's ext2 on /mnt and runs `bench_disk /mnt run /dev/vda`."""
import argparse
import glob
import statistics
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "qemu"))
from kite_qemu import Machine, disk_options  # noqa: E402

PEER_LINUX = os.path.join(HERE, "..", "..", "..", "shared", "peer-linux", "linux-run.sh")
PEER_CACHE = os.environ.get("PEER_LINUX_CACHE",
                            os.path.join(os.path.expanduser("~"), ".cache", "peer-linux"))
PROMPT = r"^/ \$ "
COMMAND = "bench_disk /mnt run /dev/vda"

# linux_disk_init.c's blobs: module name -> path under lib/modules/VERSION/kernel.
MODULES = {
    "virtio_ring": "drivers/virtio/virtio_ring.ko",
    "virtio": "drivers/virtio/virtio.ko",
    "virtio_pci_modern_dev": "drivers/virtio/virtio_pci_modern_dev.ko",
    "virtio_pci_legacy_dev": "drivers/virtio/virtio_pci_legacy_dev.ko",
    "virtio_pci": "drivers/virtio/virtio_pci.ko",
    "virtio_blk": "drivers/block/virtio_blk.ko",
    "crc16": "lib/crc16.ko",
    "mbcache": "fs/mbcache.ko",
    "crc32c_generic": "crypto/crc32c_generic.ko",
    "jbd2": "fs/jbd2/jbd2.ko",
    "ext4": "fs/ext4/ext4.ko",
}

# (figure, kind): "rate" figures are transfers (MB/s), "time" ones milliseconds.
FIGURES = [
    ("disk_write_64MiB_fsync", "sequential write 64 MiB + fsync"),
    ("disk_read_64MiB_cached", "sequential read 64 MiB, cached"),
    ("disk_read_64MiB_cold", "sequential read 64 MiB, cold"),
    ("disk_create_10000_files", "10 000 creations (100 dirs)"),
    ("disk_sync_after_create", "sync after the creations"),
    ("disk_find_10100_cached", "find over the tree, cached"),
    ("disk_find_10100_cold", "find over the tree, cold"),
    ("disk_read_16MiB_cached", "read 16 MiB, cached"),
    ("disk_pread_4KiB_cached_median", "pread 4 KiB cache hit, median"),
    ("disk_pread_4KiB_cached_mean", "pread 4 KiB cache hit, mean"),
]


def find_tool(name):
    for directory in ("/sbin", "/usr/sbin", "/bin", "/usr/bin"):
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK):
            return path
    return shutil.which(name)


def make_image(path, size):
    subprocess.run([find_tool("mke2fs"), "-q", "-F", "-t", "ext2", "-b", "4096", path, size],
                   check=True)


def parse(text):
    """bench_disk's lines: {name: cycles}, {name: (bytes, ns)}."""
    cycles = {n: int(v) for n, v in re.findall(r"^UBENCH (\S+) (\d+)$", text, re.MULTILINE)}
    wall = {n: (int(b), int(ns))
            for n, b, ns in re.findall(r"^DISKWALL (\S+) (\d+) (\d+)$", text, re.MULTILINE)}
    return cycles, wall


def check_done(side, text):
    if not re.search(r"^bench_disk: done$", text, re.MULTILINE):
        print(text[-4000:])
        raise SystemExit(f"disk_bench: {side}: bench_disk did not finish")


def kite(iso, image, memory, icount):
    with Machine(iso, memory=memory, icount=icount, extra=disk_options(image),
                 echo=False) as machine:
        machine.expect(PROMPT, 300)
        machine.send("/bench/" + COMMAND + "\n")
        machine.expect(r"^(bench_disk: done|bench_disk: FAIL.*)$", 1800)
        machine.expect(PROMPT, 60)
        text = machine.output
    check_done("Kite", text)
    return parse(text)


def kernel_version():
    kernels = sorted(glob.glob(os.path.join(PEER_CACHE, "vmlinuz-*")))
    if not kernels:
        raise SystemExit(f"disk_bench: no kernel in {PEER_CACHE}: run linux-run.sh once")
    return os.path.basename(kernels[-1])[len("vmlinuz-"):]


def module_tree(cache, version):
    """lib/modules/VERSION/kernel of linux-image-VERSION, fetched once."""
    root = os.path.join(cache, version)
    tree = os.path.join(root, "lib", "modules", version, "kernel")
    if os.path.isdir(tree):
        return tree
    os.makedirs(cache, exist_ok=True)
    package = "linux-image-" + version
    subprocess.run(["apt-get", "download", package], cwd=cache, check=True)
    deb = sorted(glob.glob(os.path.join(cache, package + "_*.deb")))[-1]
    subprocess.run(["dpkg", "-x", deb, root], check=True)
    os.remove(deb)
    # The same kernel as peer-linux boots, or the modules will not load.
    with open(os.path.join(root, "boot", "vmlinuz-" + version), "rb") as a, \
            open(os.path.join(PEER_CACHE, "vmlinuz-" + version), "rb") as b:
        if a.read() != b.read():
            raise SystemExit(f"disk_bench: {package} is not the kernel peer-linux boots")
    return tree


def build_linux_init(cache, bench, out_dir):
    tree = module_tree(cache, kernel_version())
    blobs = os.path.join(out_dir, "linux_disk_blobs.S")
    with open(blobs, "w") as f:
        f.write('\t.section .rodata\n')
        items = [(n, os.path.join(tree, p)) for n, p in MODULES.items()]
        items.append(("bench_disk", os.path.abspath(bench)))
        for name, path in items:
            if not os.path.exists(path):
                raise SystemExit(f"disk_bench: no {path}")
            f.write(f'\t.balign 16\n\t.globl {name}_start\n{name}_start:\n'
                    f'\t.incbin "{path}"\n\t.globl {name}_end\n{name}_end:\n')
        f.write('\t.section .note.GNU-stack,"",@progbits\n')
    init = os.path.join(out_dir, "linux_disk_init")
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Werror", "-o", init,
                    os.path.join(HERE, "linux_disk_init.c"), blobs], check=True)
    return init


def linux(init, image, memory, icount):
    command = ["bash", PEER_LINUX, "--timeout", "1800", "--mem", memory, "--qemu",
               f"-drive file={image},format=raw,if=virtio"]
    if icount:
        command += ["--icount", "shift=0,sleep=off"]
    result = subprocess.run(command + [init], capture_output=True, text=True)
    check_done("Linux", result.stdout)
    return parse(result.stdout)


def median_of(runs):
    """Per figure, the median over the runs of its cycles and of its time."""
    cycles = {n: int(statistics.median(r[0][n] for r in runs)) for n in runs[0][0]}
    wall = {n: (runs[0][1][n][0], int(statistics.median(r[1][n][1] for r in runs)))
            for n in runs[0][1]}
    return cycles, wall


def wall_text(wall, name):
    if name not in wall:
        return "-"
    size, ns = wall[name]
    if size:
        return f"{size / ns * 1000:.1f} MB/s"
    return f"{ns / 1e6:.0f} ms"


def ratio_text(kite_wall, linux_wall, name):
    """Kite's time over Linux's (below 1: Kite is faster)."""
    if name not in kite_wall or name not in linux_wall or not linux_wall[name][1]:
        return "-"
    return f"{kite_wall[name][1] / linux_wall[name][1]:.2f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--bench", required=True, help="build/user/root/bench/bench_disk")
    parser.add_argument("--image-size", default="256M")
    parser.add_argument("--memory", default="256M", help="the guest's, on both sides")
    parser.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache",
                                                        "kite-disk-bench"),
                        help="where the kernel package's modules are unpacked")
    parser.add_argument("--no-linux", action="store_true")
    parser.add_argument("--no-icount", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Kite-then-Linux pairs per mode; each figure is the median")
    args = parser.parse_args()
    if not find_tool("mke2fs"):
        print("SKIPPED: mke2fs (e2fsprogs) not installed")
        return 0
    use_linux = not args.no_linux and os.path.exists(PEER_LINUX)
    results = {}
    with tempfile.TemporaryDirectory(prefix="kite-disk-bench-") as work:
        image = os.path.join(work, "disk.img")
        init = build_linux_init(args.cache, args.bench, work) if use_linux else None
        modes = [False] if args.no_icount else [False, True]
        runs = {}
        for icount in modes:
            for _ in range(args.rounds):
                make_image(image, args.image_size)
                runs.setdefault(("Kite", icount), []).append(
                    kite(args.iso, image, args.memory, icount))
                if use_linux:
                    make_image(image, args.image_size)
                    runs.setdefault(("Linux", icount), []).append(
                        linux(init, image, args.memory, icount))
        results = {key: median_of(value) for key, value in runs.items()}
    empty = ({}, {})
    kite_tcg, linux_tcg = results[("Kite", False)], results.get(("Linux", False), empty)
    print(f"TCG wall time (CLOCK_MONOTONIC), guest memory {args.memory}, image "
          f"{args.image_size} ext2 4 KiB blocks, median of {args.rounds} round(s); "
          f"ratio = Kite time / Linux time; host load average {os.getloadavg()[0]:.1f}")
    print(f"{'figure':<36}{'Kite':>14}{'Linux':>14}{'ratio':>8}")
    for name, label in FIGURES:
        if name.startswith("disk_pread"):
            continue
        print(f"{label:<36}{wall_text(kite_tcg[1], name):>14}"
              f"{wall_text(linux_tcg[1], name):>14}{ratio_text(kite_tcg[1], linux_tcg[1], name):>8}")
    columns = [(side, icount) for icount in (False, True) for side in ("Kite", "Linux")
               if (side, icount) in results]
    print("\nrdtsc per figure (icount: guest instructions; TCG: host TSC cycles)")
    print(f"{'figure':<36}" + "".join(f"{s + (' icount' if i else ' TCG'):>16}"
                                      for s, i in columns))
    for name, label in FIGURES:
        print(f"{label:<36}" + "".join(f"{results[c][0].get(name, '-'):>16}" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())

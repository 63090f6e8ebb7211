#!/bin/sh
# deps.sh: installs the Debian packages that building, running and testing
# Kite need, only those missing. Idempotent and quiet when all are present.
# Uses sudo when not root. Called by both commands in README.md.
set -eu

packages="cmake ninja-build nasm gcc g++ grub-pc-bin grub-common xorriso mtools \
qemu-system-x86 python3 libgtest-dev binutils tar gdb newlib-source make xz-utils clang-format \
cpio busybox-static musl-tools e2fsprogs dash"
# (cpio: ../shared/peer-linux packs the Linux side of bench-user with it.
# busybox-static: Debian's static busybox, put unmodified in the initrd;
# musl-tools: musl-gcc, for the tests/hostlibc programs on musl;
# e2fsprogs: mke2fs, e2fsck and debugfs for the ext2 core's unit tests;
# dash: the oracle the shell corpus, tests/sh/, is compared with.)

# The QEMU window needs QEMU's GUI package; only worth it with a display.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    packages="$packages qemu-system-gui"
fi

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
else
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null

#!/bin/sh
# build_newlib.sh SOURCE_TARBALL WORK_DIR PREFIX
# Builds newlib 3.3.0 (libc.a, libm.a and headers) for the bare x86_64-elf
# target and installs it under PREFIX. Skips everything when PREFIX already
# holds the result of the same tarball, flags and script (the stamp), so a
# rebuild of Kite does not rebuild newlib.
#
# A real x86_64-elf cross GCC is used when one is on PATH. Otherwise the
# host GCC stands in behind x86_64-elf-* wrapper names: -nostdinc plus GCC's
# own include directory keeps /usr/include out, and the Linux predefines are
# removed so newlib does not take its Linux code paths.
set -eu
tarball=$1 work=$2 prefix=$3
here=$(cd "$(dirname "$0")" && pwd)

flags="-O2 -g -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none"
configure_flags="--target=x86_64-elf --disable-multilib --enable-newlib-io-c99-formats
  --enable-newlib-io-long-long --disable-newlib-supplied-syscalls --disable-nls"
stamp_text="$(sha256sum "$tarball" "$0" | cut -c1-16) $flags $configure_flags"
if [ -f "$prefix/.kite-stamp" ] && [ "$(cat "$prefix/.kite-stamp")" = "$stamp_text" ]; then
    echo "newlib: up to date in $prefix"
    exit 0
fi

rm -rf "$work" "$prefix"
mkdir -p "$work/wrap" "$work/build" "$prefix"

if ! command -v x86_64-elf-gcc >/dev/null 2>&1; then
    gcc_include=$(gcc -print-file-name=include)
    for cc in gcc cc; do
        cat > "$work/wrap/x86_64-elf-$cc" <<WRAP
#!/bin/sh
exec gcc -nostdinc -isystem $gcc_include -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -fno-pic -fno-pie "\$@"
WRAP
    done
    for tool in ar as ld nm objcopy objdump ranlib readelf strip; do
        printf '#!/bin/sh\nexec %s "$@"\n' "$tool" > "$work/wrap/x86_64-elf-$tool"
    done
    chmod +x "$work/wrap/"*
    PATH="$work/wrap:$PATH"
    export PATH
fi

tar -xf "$tarball" -C "$work"
source_dir=$(find "$work" -mindepth 2 -maxdepth 2 -name configure -path '*newlib*' | head -n1)
source_dir=$(dirname "$source_dir")
cd "$work/build"
# shellcheck disable=SC2086 # configure_flags is a word list
"$source_dir/configure" --prefix="$prefix" $configure_flags \
    CFLAGS_FOR_TARGET="$flags" > "$work/configure.log" 2>&1 ||
    { tail -n 30 "$work/configure.log"; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" all-target-newlib > "$work/make.log" 2>&1 || { tail -n 40 "$work/make.log"; exit 1; }
make install-target-newlib > "$work/install.log" 2>&1 || { tail -n 20 "$work/install.log"; exit 1; }
printf '%s' "$stamp_text" > "$prefix/.kite-stamp"
rm -rf "$work"
echo "newlib: installed in $prefix"

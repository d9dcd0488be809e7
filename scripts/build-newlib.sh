#!/usr/bin/env bash
# Builds newlib (Debian's newlib-source) once into $1 (default build/newlib) as the
# C library of the core and of the EFI loader. Flags from ../shared/platforms.md:
# -fpic so one libc.a links both into the PE loader and into the higher-half core,
# -mgeneral-regs-only so no SSE/x87 (guest state) is ever touched; the floating-point
# members that cannot build that way are left out, so a call to them fails at link time.
set -euo pipefail
out=$(realpath -m "${1:-build/newlib}")
stamp="$out/.built"
[ -f "$stamp" ] && exit 0
# One build at a time (parallel make jobs may all ask for it).
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
[ -f "$stamp" ] && exit 0

src_tar=/usr/src/newlib/newlib-3.3.0.tar.xz
[ -f "$src_tar" ] || { echo "build-newlib: $src_tar missing (package newlib-source)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/src" "$out/obj"
tar -C "$out/src" -xf "$src_tar"
srcdir=$(find "$out/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)

cflags="-O2 -g -fpic -mgeneral-regs-only -ffreestanding -fno-stack-protector -mno-red-zone"
cflags="$cflags -fno-builtin -Wno-implicit-function-declaration -Wno-int-conversion"
cd "$out/obj"
"$srcdir/configure" --target=x86_64-elf --prefix="$out/install" \
	--disable-newlib-supplied-syscalls --enable-newlib-reent-small \
	--disable-newlib-reent-check-verify --disable-newlib-io-float \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--disable-multilib --disable-nls \
	CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
	RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump \
	CFLAGS_FOR_TARGET="$cflags" >configure.log 2>&1
# -k: the floating-point members that need SSE fail; everything else is built.
make -k -j"$(nproc)" all-target-newlib >build.log 2>&1 || true
# A libc directory with one failed member (stdlib: atof; time: difftime) is never
# archived, and libc.a is only assembled from complete directories. Archive what did
# build, then let newlib's own rule assemble libc.a in its usual member order.
libc_obj=x86_64-elf/newlib/libc
for d in "$libc_obj"/*/; do
	if [ ! -f "$d/lib.a" ] && compgen -G "$d/lib_a-*.o" >/dev/null; then
		ar rc "$d/lib.a" "$d"/lib_a-*.o
	fi
done
rm -f "$libc_obj/libc.a"
make -k -C "$libc_obj" AR=ar AR_FLAGS=rc RANLIB=ranlib libc.a >>build.log 2>&1 || true
cp "$libc_obj/libc.a" x86_64-elf/newlib/libc.a
make -k install-target-newlib >install.log 2>&1 || true

lib=$(find "$out/install" -name libc.a | head -n 1)
[ -n "$lib" ] || { echo "build-newlib: no libc.a, see $out/obj/build.log" >&2; exit 1; }
inc=$(dirname "$(dirname "$lib")")/include
mkdir -p "$out/lib"
cp "$lib" "$out/lib/libc.a"
rm -rf "$out/include" && cp -r "$inc" "$out/include"
# Every member that matters for the core must be present.
syms=$(nm "$out/lib/libc.a" 2>/dev/null)
for sym in vsnprintf snprintf memcpy memset strncmp strtoull malloc; do
	grep -q " T $sym\$" <<<"$syms" ||
		{ echo "build-newlib: $sym missing from libc.a" >&2; exit 1; }
done
rm -rf "$out/src" "$out/obj" "$out/install"
touch "$stamp"
echo "build-newlib: $out/lib/libc.a"

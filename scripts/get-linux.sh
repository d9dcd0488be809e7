#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# get-linux.sh - the Linux guest kernel for the Bochs Linux test (issue 7): Debian's
# linux-image-amd64 resolves to a versioned linux-image-6.x-amd64 package; its
# /boot/vmlinuz-* (a bzImage) is copied to build/linux/vmlinuz. Idempotent and cached:
# nothing is downloaded when build/linux/vmlinuz exists.
#
#   scripts/get-linux.sh [OUT_DIR]     (default build/linux); prints the bzImage path
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/build/linux}"
mkdir -p "$out"
if [ -s "$out/vmlinuz" ]; then
	echo "$out/vmlinuz"
	exit 0
fi

# The versioned package that linux-image-amd64 depends on.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	pkg=$(apt-cache depends linux-image-amd64 |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
fi
[ -n "$pkg" ] || { echo "get-linux: cannot resolve linux-image-amd64" >&2; exit 1; }

deb=$(ls "$out"/"${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	(cd "$out" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "get-linux: apt-get download $pkg failed" >&2; exit 1; }
	deb=$(ls "$out"/"${pkg}"_*.deb | head -n 1)
fi
rm -rf "$out/pkg"
dpkg-deb -x "$deb" "$out/pkg"
vmlinuz=$(ls "$out"/pkg/boot/vmlinuz-* | head -n 1)
cp "$vmlinuz" "$out/vmlinuz.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
basename "$vmlinuz" >"$out/version"
rm -rf "$out/pkg" "$deb"
echo "$out/vmlinuz"

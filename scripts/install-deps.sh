#!/usr/bin/env bash
# Installs what the build, the runs and the tests need, from Debian packages only.
# Idempotent: a package already present is not touched, and apt is not called at all
# when everything is there. QEMU comes from bookworm-backports (platforms.md: QEMU 7.2
# translates first-level and nested PASID entries as second level).
set -euo pipefail

pkgs=(build-essential nasm gnu-efi newlib-source ovmf bochs bochsbios vgabios
      grub-pc-bin grub-common xorriso mtools libcmocka-dev clang clang-format
      valgrind dosfstools python3 xz-utils binutils)
backports=(qemu-system-x86)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'ok installed' >/dev/null || missing+=("$p")
done
qemu_ok=0
if command -v qemu-system-x86_64 >/dev/null; then
	ver=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${ver:-0}" -ge 10 ] && qemu_ok=1
fi
if [ ${#missing[@]} -eq 0 ] && [ $qemu_ok -eq 1 ]; then
	exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

if [ $qemu_ok -eq 0 ] &&
   ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "install-deps: adding bookworm-backports for QEMU 10"
	$SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "install-deps: installing ${missing[*]} ${backports[*]}"
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ $qemu_ok -eq 0 ]; then
	$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports "${backports[@]}"
fi

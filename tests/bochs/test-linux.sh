#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-linux.sh - boot a Linux bzImage as the hypervisor's guest under Bochs (issue 7):
# GRUB -> hv.elf (Multiboot2) -> module 0 = Debian's vmlinuz (scripts/get-linux.sh) with
# its command line, module 1 = a small initramfs built here (tests/bochs/linux-init.c,
# gcc -static, newc cpio). One TAP line per fact (tests/lib/tap.sh).
#
#   tests/bochs/test-linux.sh [--elf build/hv.elf] [--dir build/bochs-linux]
#                             [--timeout S] [--memory MIB] [--ips N]
#
# Checks: the hypervisor loaded a bzImage through the Linux boot protocol (its log line),
# the guest launched, the kernel's first line ("Linux version"), the init's marker lines,
# the init's halt reached the hypervisor (HLT on the boot CPU -> hv_halt), and the run
# ended by itself. The wall time of the Bochs run is printed as a TAP comment.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv.elf"
dir="$root/build/bochs-linux"
timeout_s=900
memory=512
ips=50000000

while [ $# -gt 0 ]; do
	case "$1" in
	--elf) elf="$2"; shift 2 ;;
	--dir) dir="$2"; shift 2 ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	--memory) memory="$2"; shift 2 ;;
	--ips) ips="$2"; shift 2 ;;
	*) echo "test-linux: unknown option $1" >&2; exit 2 ;;
	esac
done

# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/bochs/lib.sh
. "$root/tests/bochs/lib.sh"
mkdir -p "$dir"

if [ ! -r "$elf" ]; then
	echo "test-linux: no core at $elf (make build/hv.elf)" >&2
	exit 2
fi
kernel=$("$root/scripts/get-linux.sh") || { echo "test-linux: no kernel" >&2; exit 2; }

# --- the initramfs: /init (static) and /dev/console, newc cpio --------------------------
initrd="$dir/initramfs.cpio"
gcc -static -O2 -Wall -Wextra -Werror -o "$dir/init" "$root/tests/bochs/linux-init.c" ||
	{ echo "test-linux: cannot build the static init (libc6-dev)" >&2; exit 2; }
python3 - "$dir/init" "$initrd" <<'PY'
import sys

def entry(name, mode, data=b"", rdev=(0, 0), ino=[1]):
    ino[0] += 1
    name_b = name.encode() + b"\0"
    fields = [ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name_b), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + name_b
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out

init = open(sys.argv[1], "rb").read()
cpio = (entry("dev", 0o040755) + entry("dev/console", 0o020600, rdev=(5, 1)) +
        entry("init", 0o100755, init) + entry("TRAILER!!!", 0))
open(sys.argv[2], "wb").write(cpio + b"\0" * (-len(cpio) % 512))
PY

cmdline="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nokaslr mitigations=off"
cmdline="$cmdline nosmp maxcpus=1 idle=poll panic=-1 reboot=t loglevel=7"

tap_init ""
start=$(date +%s)
boot linux "" --memory "$memory" --ignore-bad-msrs --ips "$ips" --module "$kernel:$cmdline" --module "$initrd"
wait
wall=$(($(date +%s) - start))

log="$dir/linux.log"
tap_check_log "$log" '^guest: bzImage|^linux: bzImage protocol 2\.[0-9]+: kernel \[0x[0-9a-f]+\+0x[0-9a-f]+\) entry' \
	"linux: the hypervisor loaded module 0 as a Linux bzImage (boot protocol)"
tap_check_log "$log" '^vmx: launching the guest' "linux: the guest was launched"
tap_check_log "$log" 'Linux version [0-9]+\.[0-9]+' "linux: the kernel's first serial line (Linux version ...)"
tap_check_log "$log" 'Command line: .*console=ttyS0' "linux: the kernel got its command line from boot_params"
tap_check_log "$log" 'Freeing initrd memory|Unpacking initramfs' "linux: the kernel found the initrd"
tap_check_log "$log" '^LINUX-INIT: hello from /init' "linux: the init's marker line"
tap_check_log "$log" '^LINUX-INIT: done, halting' "linux: the init printed the DMAR/IOMMU lines and halted"
tap_check_log "$log" '^vmx: guest executed HLT' "linux: the guest's halt reached the hypervisor (HLT on the BSP)"
check_ended linux
check_absent linux 'Kernel panic|EPT violation|unhandled VM exit|VM entry failed|triple fault' \
	"linux: no kernel panic, EPT violation, unhandled exit or entry failure"
tr -d '\r' <"$log" | grep -E '^LINUX-INIT: dmesg: ' | sed 's/^/# /'
echo "# linux: Bochs Linux boot wall time ${wall} s (COM1 log $log)"
tap_done

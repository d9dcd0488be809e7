#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-linux.sh - boot a Linux bzImage as the hypervisor's guest under Bochs (issue 7):
# GRUB -> hv.elf (Multiboot2) -> module 0 = Debian's vmlinuz (scripts/get-linux.sh) with
# its command line, module 1 = a small initramfs built here (tests/bochs/linux-init.c,
# gcc -static, newc cpio). One TAP line per fact (tests/lib/tap.sh).
#
#   tests/bochs/test-linux.sh [--elf build/hv.elf] [--dir build/bochs-linux]
#                             [--timeout S] [--memory MIB] [--ips N] [--vvtd pt|dma]
#
# Checks: the hypervisor loaded a bzImage through the Linux boot protocol (its log line),
# the guest launched, the kernel's first line ("Linux version"), the init's marker lines,
# the init's halt reached the hypervisor (HLT on the boot CPU -> hv_halt), and the run
# ended by itself. The wall time of the Bochs run is printed as a TAP comment.
#
# --vvtd pt|dma (with --elf build/hv-model.elf): the same kernel, unmodified, with
# "intel_iommu=on,sm_on" and, for pt, "iommu=pt" (its devices' requests without PASID
# pass through: the hypervisor's second level), for dma not (its DMA-API domains are
# first-level tables on RID_PASID, which the hypervisor nests over its second level),
# under the core's "vvtd=on" -- the guest's own
# intel-iommu driver against the virtual VT-d unit (hv/vvtd*.c), Bochs given real PCI
# functions at the model platform's 00:03.0 and 00:04.0 (run-bochs.sh --pci-nics) so the
# DRHD's device scope names devices the guest enumerates. Checked in the guest's kernel
# log (the init prints its DMAR/IOMMU lines): the DRHD at the unit's page, queued
# invalidation in use, both devices attached to IOMMU groups with the pass-through
# (pt) or translated (dma) default domain, the driver's init completed, no DMAR fault
# or queue error. Each device's RID_PASID switch is checked in the hypervisor's log,
# with the model's walk of the physical entry at that moment. Checked in
# the hypervisor's log: the guest enabled translation over a scalable-mode root table
# (and turned it off again at its halt: intel_iommu_shutdown), its queue ran with no
# IQE, nothing was refused; the model's own walk of the physical tables ("model:
# confirm:" lines) finds no failure.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv.elf"
dir="$root/build/bochs-linux"
timeout_s=900
memory=512
ips=50000000
hv_cmdline=""
name=linux
vvtd=""
bochs_opts=()

while [ $# -gt 0 ]; do
	case "$1" in
	--elf) elf="$2"; shift 2 ;;
	--dir) dir="$2"; shift 2 ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	--memory) memory="$2"; shift 2 ;;
	--ips) ips="$2"; shift 2 ;;
	--vvtd) vvtd="$2"; shift 2 ;;
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
case "$vvtd" in
"" | pt | dma) ;;
*) echo "test-linux: --vvtd takes pt or dma" >&2; exit 2 ;;
esac
if [ -n "$vvtd" ]; then
	name=linux-vvtd-$vvtd hv_cmdline="vvtd=on"
	cmdline="$cmdline intel_iommu=on,sm_on"
	[ "$vvtd" = dma ] || cmdline="$cmdline iommu=pt"
	bochs_opts+=(--pci-nics)
fi

tap_init ""
start=$(date +%s)
boot "$name" "$hv_cmdline" --memory "$memory" --ignore-bad-msrs --ips "$ips" --module "$kernel:$cmdline" --module "$initrd" "${bochs_opts[@]}"
wait
wall=$(($(date +%s) - start))

log="$dir/$name.log"
tap_check_log "$log" '^guest: bzImage|^linux: bzImage protocol 2\.[0-9]+: kernel \[0x[0-9a-f]+\+0x[0-9a-f]+\) entry' \
	"linux: the hypervisor loaded module 0 as a Linux bzImage (boot protocol)"
tap_check_log "$log" '^vmx: launching the guest' "linux: the guest was launched"
tap_check_log "$log" 'Linux version [0-9]+\.[0-9]+' "linux: the kernel's first serial line (Linux version ...)"
tap_check_log "$log" 'Command line: .*console=ttyS0' "linux: the kernel got its command line from boot_params"
tap_check_log "$log" 'Freeing initrd memory|Unpacking initramfs' "linux: the kernel found the initrd"
tap_check_log "$log" '^LINUX-INIT: hello from /init' "linux: the init's marker line"
tap_check_log "$log" '^LINUX-INIT: done, halting' "linux: the init printed the DMAR/IOMMU lines and halted"
tap_check_log "$log" '^vmx: guest executed HLT' "linux: the guest's halt reached the hypervisor (HLT on the BSP)"
check_ended "$name"
check_absent "$name" 'Kernel panic|^vmx: EPT violation|unhandled VM exit|VM entry failed|triple fault' \
	"linux: no kernel panic, EPT violation, unhandled exit or entry failure"
if [ -n "$vvtd" ]; then
	d='^LINUX-INIT: dmesg: <[0-9]>\[ *[0-9.]+\] '
	tap_check_log "$log" "${d}DMAR: DRHD base: 0x0*fed90000 flags: 0x0" \
		"vvtd: the guest's kernel found the DRHD of the guest DMAR at the unit's page"
	tap_check_log "$log" "${d}DMAR: dmar0: reg_base_addr fed90000 ver 3:0 cap [0-9a-f]+ ecap [0-9a-f]+" \
		"vvtd: the guest's driver read VER, CAP and ECAP"
	tap_check_log "$log" "${d}DMAR: dmar0: Using Queued invalidation" \
		"vvtd: the guest's driver enabled queued invalidation"
	if [ "$vvtd" = pt ]; then
		tap_check_log "$log" "${d}iommu: Default domain type: Passthrough" \
			"vvtd: the guest chose the pass-through default domain (iommu=pt)"
	else
		tap_check_log "$log" "${d}iommu: Default domain type: Translated" \
			"vvtd: the guest chose translated DMA-API domains"
	fi
	for f in 03 04; do
		tap_check_log "$log" "${d}pci 0000:00:$f\.0: Adding to iommu group [0-9]+" \
			"vvtd: device 00:$f.0 in the DRHD's scope was attached to an IOMMU group"
		if [ "$vvtd" = pt ]; then
			tap_check_log "$log" "^vvtd: RID_PASID of device 00:$f\.0: guest pass-through -> physical the platform's second level" \
				"vvtd: 00:$f.0's requests without PASID: guest pass-through, physically the second level"
			tap_check_log "$log" "^model: confirm: device 00:$f\.0: RID_PASID maps guest RAM GPA 0x100000 -> HPA 0x100000: ok" \
				"vvtd: the model walks 00:$f.0's RID_PASID entry: guest RAM identity"
		else
			tap_check_log "$log" "^vvtd: RID_PASID of device 00:$f\.0: guest first-level \(FL table GPA 0x[0-9a-f]+, [45] levels, guest DID [0-9]+\) -> physical nested" \
				"vvtd: 00:$f.0's requests without PASID: the guest's FL table, nested"
			tap_check_log "$log" "^model: confirm: device 00:$f\.0: RID_PASID nested over the guest's FL table at GPA 0x[0-9a-f]+.*: ok" \
				"vvtd: the model walks 00:$f.0's RID_PASID entry into the guest's FL table"
		fi
	done
	tap_check_log "$log" "${d}DMAR: Intel\(R\) Virtualization Technology for Directed I/O" \
		"vvtd: the guest's intel-iommu initialisation completed"
	check_absent "$name" "${d}.*(DMAR: DRHD: handling fault|DMAR: \[(DMA|INTR)|Invalidation Queue Error|IQE|Initialization failed|DMAR: .*(timeout|failed|Failed))" \
		"vvtd: no DMAR fault, queue error or failure in the guest's kernel log"
	tap_check_log "$log" '^vvtd: GCMD.TE: translation enabled by the guest \(root table GPA 0x[0-9a-f]+, scalable mode\)' \
		"vvtd: the guest's driver enabled translation over a scalable-mode root table"
	tap_check_log "$log" '^vvtd: guest end: GSTS 0x[0-9a-f]+ \(RTPS QIES\), root table GPA 0x[0-9a-f]+ in scalable mode' \
		"vvtd: at its halt the guest left QI on and translation off (intel_iommu_shutdown)"
	tap_check_log "$log" '^vvtd: guest end: .* IQT writes = [1-9][0-9]* VM exits for [1-9][0-9]* descriptors .* 0 IQE' \
		"vvtd: the guest's queue ran (descriptors completed, no IQE)"
	tap_check_log "$log" '^vvtd: guest end: .*, 0 refused,' \
		"vvtd: nothing the guest's tables asked for was refused"
	tap_check_log "$log" '^model: confirm: [0-9]+ checks, 0 failed' \
		"vvtd: the model's walk of the physical tables confirms them"
	check_absent "$name" '^model: confirm: .*: FAILED|^vvtd: guest end: .*, [1-9][0-9]* physical entries the platform could not confirm' \
		"vvtd: no physical entry the model could not confirm, during the run or at its end"
	tr -d '\r' <"$log" | grep -E '^vvtd: (guest end|RID_PASID)|^model: confirm' | sed 's/^/# /'
fi
tr -d '\r' <"$log" | grep -E '^LINUX-INIT: dmesg: ' | sed 's/^/# /'
echo "# linux: Bochs Linux boot wall time ${wall} s (COM1 log $log)"
tap_done

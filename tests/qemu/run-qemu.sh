#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# QEMU options are comma-separated inside one argument, not array separators:
# shellcheck disable=SC2054
#
# run-qemu.sh - boot hv.efi under QEMU 10 (TCG) + OVMF on q35 with an intel-iommu and
# the edu DMA device, COM1 to a log file (and the terminal with --stdio). Ends when the
# firmware shuts the machine down (hv.efi with "poweroff" on its command line), when the
# core writes to isa-debug-exit (port 0xf4), on a triple fault (-no-reboot), or after
# the wall-clock timeout, when QEMU is killed.
#
# Usage: tests/qemu/run-qemu.sh [options] [-- extra QEMU arguments]
#   --efi FILE       the loader to boot (default build/hv.efi)
#   --name NAME      run directory build/qemu/NAME: ESP, firmware variables (default run)
#   --log FILE       COM1 log (default build/qemu/NAME.log)
#   --cmdline "..."  the core's command line, written to EFI/BOOT/hv.cmdline (default "")
#   --shell          start hv.efi from the UEFI shell instead (startup.nsh runs
#                    "\hv.efi CMDLINE": the command line arrives as LoadOptions; +5 s)
#   --iommu "opts"   intel-iommu options (default "x-scalable-mode=on"; "" for legacy mode)
#   --no-iommu       no intel-iommu device at all
#   --timeout S      wall-clock limit in seconds (default 120)
#   --smp N          virtual CPUs (default 2: the loader reads them via MP services)
#   --mem SIZE       guest RAM (default 1G)
#   --cpu MODEL      QEMU CPU model (default max,vendor=GenuineIntel,la57=off; see below)
#   --debug FILE     QEMU's -d int,cpu_reset log into FILE (for a core that faults);
#                    without it, -d cpu_reset goes to build/qemu/NAME/qemu.log
#   --stdio          COM1 on the terminal too (make run)
#
# Exit status: QEMU's (0 after a firmware shutdown, (value << 1) | 1 after a write of
# value to isa-debug-exit), 124 when the timeout killed it, 2 for a usage error.
#
# CPU model: "max" under TCG has 1-GiB pages (pdpe1gb, which the loader's identity map
# uses) and every feature TCG emulates, but no VMX (TCG has none). Its vendor is AMD
# under TCG; GenuineIntel makes the platform coherent with the Intel IOMMU (the core
# and later guests look at the vendor before VMX and VT-d). la57 is off so that the
# firmware cannot choose 5-level paging, which the loader refuses.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
efi="$root/build/hv.efi"
name=run
log=
cmdline=
iommu="x-scalable-mode=on"
use_iommu=1
timeout_s=120
smp=2
mem=1G
cpu="max,vendor=GenuineIntel,la57=off"
debug=
stdio=0
shell=0
extra=()

die() {
	echo "run-qemu: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--efi) efi="$2"; shift 2 ;;
	--name) name="$2"; shift 2 ;;
	--log) log="$2"; shift 2 ;;
	--cmdline) cmdline="$2"; shift 2 ;;
	--iommu) iommu="$2"; shift 2 ;;
	--no-iommu) use_iommu=0; shift ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	--smp) smp="$2"; shift 2 ;;
	--mem) mem="$2"; shift 2 ;;
	--cpu) cpu="$2"; shift 2 ;;
	--debug) debug="$2"; shift 2 ;;
	--stdio) stdio=1; shift ;;
	--shell) shell=1; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) sed -n '/^# run-qemu.sh -/,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (--help lists them)" ;;
	esac
done

case "$name" in
*/* | '' | .*) die "--name wants a plain name" ;;
esac
[[ "$timeout_s" =~ ^[0-9]+$ ]] || die "--timeout wants seconds"
[ -r "$efi" ] || die "no $efi (make build/hv.efi)"

ovmf_dir=/usr/share/OVMF
ovmf_code="$ovmf_dir/OVMF_CODE_4M.fd"
ovmf_vars="$ovmf_dir/OVMF_VARS_4M.fd"
if [ ! -r "$ovmf_code" ] || [ ! -r "$ovmf_vars" ]; then
	die "no OVMF in $ovmf_dir (make deps)"
fi
command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64 (make deps)"

run_dir="$root/build/qemu/$name"
[ -n "$log" ] || log="$root/build/qemu/$name.log"
mkdir -p "$(dirname "$log")"

# A fresh ESP and variable store each run: no state leaks from one run into the next.
rm -rf "$run_dir"
mkdir -p "$run_dir/esp/EFI/BOOT"
if [ $shell -eq 1 ]; then
	# No removable-media loader: OVMF falls through to its built-in shell, which runs
	# startup.nsh after a 5-second countdown.
	cp "$efi" "$run_dir/esp/hv.efi"
	printf 'fs0:\r\n\\hv.efi %s\r\n' "$cmdline" >"$run_dir/esp/startup.nsh"
else
	cp "$efi" "$run_dir/esp/EFI/BOOT/BOOTX64.EFI"
	printf '%s\n' "$cmdline" >"$run_dir/esp/EFI/BOOT/hv.cmdline"
fi
cp "$ovmf_vars" "$run_dir/OVMF_VARS.fd"
: >"$log"

args=(
	-machine q35,accel=tcg -cpu "$cpu" -smp "$smp" -m "$mem"
	-nodefaults -display none -no-reboot
	-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code"
	-drive "if=pflash,format=raw,unit=1,file=$run_dir/OVMF_VARS.fd"
)
# The IOMMU before every other PCI device (QEMU requires it).
if [ $use_iommu -eq 1 ]; then
	args+=(-device "intel-iommu${iommu:+,$iommu}")
fi
args+=(
	-device edu,dma_mask=0xffffffffffff
	-drive "format=raw,file=fat:rw:$run_dir/esp"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
)
if [ $stdio -eq 1 ]; then
	args+=(-chardev "stdio,id=com1,signal=off,logfile=$log" -serial chardev:com1)
else
	args+=(-chardev "file,id=com1,path=$log" -serial chardev:com1)
fi
# CPU resets are always logged: a triple fault (the run ends at once, -no-reboot) shows
# there as "Triple fault" with the CPU state; --debug adds every interrupt and exception.
if [ -n "$debug" ]; then
	args+=(-d int,cpu_reset -D "$debug")
else
	args+=(-d cpu_reset -D "$run_dir/qemu.log")
fi
args+=("${extra[@]}")

iommu_desc="intel-iommu ${iommu:-(legacy mode)}"
[ $use_iommu -eq 1 ] || iommu_desc="no IOMMU"
echo "run-qemu: $name: cmdline \"$cmdline\", $iommu_desc, log $log" >&2

# timeout kills QEMU (TERM, then KILL 5 s later) when the wall-clock limit passes;
# --foreground keeps the terminal usable for --stdio. The trap kills it when we are
# interrupted.
status=0
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 "${args[@]}" &
qpid=$!
trap 'kill -TERM $qpid 2>/dev/null; wait $qpid 2>/dev/null; exit 130' INT TERM
wait $qpid || status=$?
trap - INT TERM
if [ $status -eq 124 ]; then
	echo "run-qemu: $name: timed out after ${timeout_s}s, QEMU killed" >&2
fi
exit $status

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# run-bochs.sh - boot hv.elf through GRUB (Multiboot2) under Bochs 2.7 and capture COM1.
#
#   tests/bochs/run-bochs.sh [options]
#     --elf FILE            the core to boot (default build/hv.elf)
#     --log FILE            COM1 output (default build/bochs/serial.log)
#     --cmdline "..."       the core's command line (multiboot2 line), default empty
#     --module FILE[:ARGS]  a module2 line, FILE with command line ARGS (repeatable)
#     --cpus N              logical CPUs (cpu: count=N), default 1
#     --cpu-model NAME      Bochs CPU model (bochs --help cpu), default tigerlake
#     --memory MIB          guest RAM, default 512
#     --timeout S           wall-clock limit; Bochs is killed after it, default 120
#     --show                copy COM1 to the terminal while it runs
#     --keep                keep the work directory (ISO, bochsrc, Bochs log)
#     --ignore-bad-msrs     unknown MSRs read 0, writes ignored (Bochs 2.7 lacks some a
#                           real CPU has, e.g. IA32_MISC_ENABLE that Linux reads)
#     --ips N               emulated instructions per emulated second (cpu: ips=N);
#                           default Bochs's 4M. A Linux guest wants more (its timer tick)
#     --pci-nics            two PCI functions at 00:03.0 (pcipnic) and 00:04.0 (ne2k),
#                           both on the null network backend: the functions the model
#                           image's platform DMAR puts behind its unit (hv/model/), so a
#                           guest's IOMMU driver finds real devices in the DRHD's scope
#
# Headless (platforms.md, Bochs 2.7): display_library rfb with timeout=0 (binds a free
# port 5900-5949, never waits for a viewer); the internal debugger is fed `c` and then
# `quit` on stdin, so the run ends when the core executes the magic breakpoint
# (xchg bx, bx: hv_halt()) and the debugger reads `quit`.
#
# Exit status: 0 when Bochs ended by itself, 124 when it was killed at the timeout,
# 2 for a usage or setup error, else Bochs's own status. A caller decides pass or fail
# from the COM1 log, not from this status alone (platforms.md: rare SIGSEGV at teardown).
# The Bochs log (names failed VM-entry checks, panics) is saved next to the COM1 log
# as <log>.bochs.txt, and Bochs's terminal output as <log>.bochs-out.txt.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv.elf"
log="$root/build/bochs/serial.log"
cmdline=""
modules=()
cpus=1
cpu_model=tigerlake
memory=512
timeout_s=120
show=0
keep=0
bad_msrs=0
ips=""
pci_nics=0

usage()
{
	sed -n '4,21p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--elf) elf="$2"; shift 2 ;;
	--log) log="$2"; shift 2 ;;
	--cmdline) cmdline="$2"; shift 2 ;;
	--module) modules+=("$2"); shift 2 ;;
	--cpus) cpus="$2"; shift 2 ;;
	--cpu-model) cpu_model="$2"; shift 2 ;;
	--memory) memory="$2"; shift 2 ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	--show) show=1; shift ;;
	--keep) keep=1; shift ;;
	--ignore-bad-msrs) bad_msrs=1; shift ;;
	--ips) ips="$2"; shift 2 ;;
	--pci-nics) pci_nics=1; shift ;;
	-h | --help) usage ;;
	*) echo "run-bochs: unknown option $1" >&2; usage ;;
	esac
done

die()
{
	echo "run-bochs: $*" >&2
	exit 2
}

[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "--cpus wants a positive number, not '$cpus'"
[[ "$cpu_model" =~ ^[a-z0-9_]+$ ]] || die "--cpu-model wants a Bochs model name"
[[ "$memory" =~ ^[1-9][0-9]*$ ]] || die "--memory wants MiB, not '$memory'"
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants seconds, not '$timeout_s'"
[[ -z "$ips" || "$ips" =~ ^[1-9][0-9]*$ ]] || die "--ips wants a positive number, not '$ips'"
[ -r "$elf" ] || die "no core at $elf (make build/hv.elf)"
for tool in bochs grub-mkrescue xorriso; do
	command -v "$tool" >/dev/null || die "$tool missing (make deps)"
done

bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/vgabios/vgabios.bin
[ -r "$vgabios" ] || vgabios=/usr/share/bochs/VGABIOS-lgpl-latest
[ -r "$bios" ] || die "no Bochs BIOS at $bios (package bochsbios)"
[ -r "$vgabios" ] || die "no VGA BIOS (package vgabios)"

mkdir -p "$(dirname "$log")"
log=$(cd "$(dirname "$log")" && pwd)/$(basename "$log")
work=$(mktemp -d "$(dirname "$log")/run.XXXXXX")
bochs_pid=""
tail_pid=""

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup()
{
	local rc=$?

	# Only the processes this script started, by their ids.
	if [ -n "$bochs_pid" ] && kill -0 "$bochs_pid" 2>/dev/null; then
		kill -KILL "$bochs_pid" 2>/dev/null || true
		wait "$bochs_pid" 2>/dev/null || true
	fi
	if [ -n "$tail_pid" ] && kill -0 "$tail_pid" 2>/dev/null; then
		kill "$tail_pid" 2>/dev/null || true
		wait "$tail_pid" 2>/dev/null || true
	fi
	[ -f "$work/bochs.txt" ] && cp "$work/bochs.txt" "$log.bochs.txt"
	[ -f "$work/bochs-out.txt" ] && cp "$work/bochs-out.txt" "$log.bochs-out.txt"
	if [ "$keep" -eq 1 ]; then
		echo "run-bochs: work directory kept: $work" >&2
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the ISO: GRUB (BIOS, El Torito) + hv.elf + modules ---------------------------------
iso_root="$work/iso"
mkdir -p "$iso_root/boot/grub"
cp "$elf" "$iso_root/boot/hv.elf"
{
	echo "set timeout=0"
	echo "set default=0"
	echo "menuentry \"hv (Multiboot2)\" {"
	echo "	multiboot2 /boot/hv.elf $cmdline"
	i=0
	for m in ${modules[@]+"${modules[@]}"}; do
		file="${m%%:*}"
		args=""
		[ "$file" != "$m" ] && args="${m#*:}"
		[ -r "$file" ] || die "module $file not readable"
		cp "$file" "$iso_root/boot/mod$i"
		echo "	module2 /boot/mod$i $args"
		i=$((i + 1))
	done
	echo "	boot"
	echo "}"
} >"$iso_root/boot/grub/grub.cfg"

# Only the modules the menu needs are preloaded; the rest stay loadable from the ISO.
if ! grub-mkrescue -o "$work/hv.iso" "$iso_root" >"$work/mkrescue.txt" 2>&1; then
	cat "$work/mkrescue.txt" >&2
	die "grub-mkrescue failed"
fi

# --- the machine ------------------------------------------------------------------------
: >"$log"
pci_slots="" nic_rc=""
if [ "$pci_nics" -eq 1 ]; then
	# Bochs numbers PCI slot N as device N+1 (slot1 = 00:02.0).
	pci_slots=", slot2=pcipnic, slot3=ne2k"
	nic_rc="pcipnic: enabled=1, mac=52:54:00:12:34:03, ethmod=null
ne2k: mac=52:54:00:12:34:04, ethmod=null"
fi
cat >"$work/bochsrc" <<EOF
# Generated by tests/bochs/run-bochs.sh
memory: guest=$memory, host=$memory
romimage: file=$bios
vgaromimage: file=$vgabios
# tigerlake: every VMX feature Bochs 2.7 has (EPT, VPID, unrestricted guest, ...).
cpu: model=$cpu_model, count=$cpus, reset_on_triple_fault=0, ignore_bad_msrs=$bad_msrs${ips:+, ips=$ips}
pci: enabled=1, chipset=i440fx$pci_slots
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path="$work/hv.iso", status=inserted
boot: cdrom
floppy_bootsig_check: disabled=1
com1: enabled=1, mode=file, dev="$log"
display_library: rfb, options="timeout=0"
mouse: enabled=0
# No host sound (the Debian build would open ALSA for the PC speaker).
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
magic_break: enabled=1
$nic_rc
# Time is instructions: deterministic TSC, no host-time throttling.
clock: sync=none, time0=1
log: $work/bochs.txt
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF

# --- run --------------------------------------------------------------------------------
if [ "$show" -eq 1 ]; then
	tail -n +1 -f "$log" &
	tail_pid=$!
fi

# One Bochs run, killed at the timeout; sets status.
run_once() {
	# Started in the work directory: the null network backend (--pci-nics) writes its
	# eth_null-* logs into the current one.
	cd "$work"
	printf 'c\nquit\n' | bochs -q -f "$work/bochsrc" >"$work/bochs-out.txt" 2>&1 &
	bochs_pid=$!
	cd - >/dev/null
	status=0
	while kill -0 "$bochs_pid" 2>/dev/null; do
		if [ $(($(date +%s) - start)) -ge "$timeout_s" ]; then
			kill -KILL "$bochs_pid" 2>/dev/null || true
			wait "$bochs_pid" 2>/dev/null || true
			bochs_pid=""
			status=124
			return
		fi
		sleep 0.2
	done
	wait "$bochs_pid" || status=$?
	bochs_pid=""
}

start=$(date +%s)
# The rfb display binds one of the 50 ports 5900-5949; when runs beside this one hold
# them all, Bochs panics at start-up before running anything: wait and try again.
for attempt in 1 2 3 4 5; do
	run_once
	grep -qs 'RFB could not bind' "$work/bochs-out.txt" "$work/bochs.txt" || break
	echo "run-bochs: every rfb port 5900-5949 is taken, retrying ($attempt)" >&2
	: >"$log"
	sleep $((attempt * 2))
done
elapsed=$(($(date +%s) - start))

if [ -n "$tail_pid" ]; then
	sleep 0.3 # let tail print the last lines
	kill "$tail_pid" 2>/dev/null || true
	wait "$tail_pid" 2>/dev/null || true
	tail_pid=""
fi

if [ "$status" -eq 124 ]; then
	echo "run-bochs: timeout: killed Bochs after ${timeout_s} s (COM1 log: $log)" >&2
else
	echo "run-bochs: Bochs ended by itself after ${elapsed} s, status $status" \
		"(COM1 log: $log)" >&2
	# platforms.md: after the debugger's quit Bochs may still crash at teardown; the
	# run did end by itself, which is what this status reports.
	[ "$status" -ge 128 ] && status=0
fi
exit "$status"

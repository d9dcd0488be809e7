#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-smp.sh - the UEFI path's APs (README "VMX: CPUs and the UEFI blue pill"): after
# hv_entry returned 0 on the BSP, hv.efi runs the core's AP entry (hv_ap_entry) on every
# AP through MP services StartupAllAPs, one AP at a time. QEMU TCG has no VMX, so each
# AP builds its host tables in the core and goes back to the firmware with -ENODEV; the
# boot goes on. One TAP line per check (tests/lib/tap.sh).
#
#   1. -smp 2: AP 1, line by line, in order, and the run ends by itself;
#   2. -smp 4: three APs, each in the core once, the loader's summary;
#   3. -smp 1: no AP, the loader says so and starts none.
#
# Usage: tests/qemu/test-smp.sh [--efi FILE] [--timeout S per boot]
# Logs: build/qemu/smp-{2,4,1}.log. Exit status 0 when every check passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/qemu/lib.sh
. "$root/tests/qemu/lib.sh"
qemu_test_args test-smp 40 "$@"

cmdline="poweroff debugexit=0xf4"

# boot NAME SMP: one run with SMP CPUs (qemu_boot).
boot()
{
	qemu_boot "$1" "x-scalable-mode=on" "$cmdline" --smp "$2"
}

# line_of REGEX: number of the first line of $log matching REGEX, 0 when none.
line_of()
{
	local n

	n=$(grep -nE -m1 -- "$1" "$log" | cut -d: -f1)
	echo "${n:-0}"
}

# count_of REGEX: lines of $log matching REGEX.
count_of()
{
	grep -cE -- "$1" "$log"
}


tap_init qemu-smp
start=$(date +%s)

# ---- 1. -smp 2: one AP through MP services into the core and back ----
boot smp-2 2
tap_check_log "$log" '^efi: cpus: 2 enabled of 2' "smp 2: loader lists both CPUs"
tap_check_log "$log" '^efi: back from the core: status 0\b' "smp 2: BSP back from hv_entry"
tap_check_log "$log" '^efi: aps: StartupAllAPs, one AP at a time, into hv_ap_entry at 0x' \
	"smp 2: loader starts the APs through MP services"
tap_check_log "$log" '^hv: ap 1 \(APIC ID 1\): in the core: host GDT/TSS/IDT loaded' \
	"smp 2: AP 1 runs the core's AP entry and loads its host tables"
tap_check_log "$log" '^hv: ap 1 \(APIC ID 1\): no VMX, back to the firmware$' \
	"smp 2: AP 1 reports no VMX, back to the firmware"
tap_check_log "$log" '^efi: ap 1 \(APIC ID 1\): status -19: no VMX, back to the firmware' \
	"smp 2: loader logs AP 1's status -ENODEV"
tap_check_log "$log" '^efi: aps: 1 APs: 0 in VMX, 1 native without VMX, 0 failed' \
	"smp 2: loader's summary: 1 AP native"
back=$(line_of '^efi: back from the core: status 0')
ap=$(line_of '^hv: ap 1 \(APIC ID 1\): in the core')
[ "$back" -gt 0 ] && [ "$ap" -gt "$back" ]
tap_check $? "smp 2: AP 1 enters the core after the BSP's hv_entry returned" \
	"lines: back $back, ap $ap"
aps_done=$(line_of '^efi: aps: 1 APs:')
done_line=$(line_of '^efi: done, returning to the firmware')
[ "$aps_done" -gt 0 ] && [ "$done_line" -gt "$aps_done" ]
tap_check $? "smp 2: the loader finishes after the APs" "lines: aps $aps_done, done $done_line"
[ "$(count_of '^hv: ap [0-9]+ .*(failed|not resumed)')" -eq 0 ]
tap_check $? "smp 2: no AP set-up failure in the core"
qemu_ended "smp 2"

# ---- 2. -smp 4: three APs, one at a time ----
boot smp-4 4
tap_check_log "$log" '^efi: cpus: 4 enabled of 4' "smp 4: loader lists four CPUs"
for n in 1 2 3; do
	tap_check_log "$log" "^hv: ap $n \\(APIC ID $n\\): no VMX, back to the firmware\$" \
		"smp 4: AP $n reports no VMX, back to the firmware"
done
[ "$(count_of '^hv: ap [0-9]+ \(APIC ID [0-9]+\): in the core')" -eq 3 ]
tap_check $? "smp 4: each of the three APs enters the core once"
tap_check_log "$log" '^efi: aps: 3 APs: 0 in VMX, 3 native without VMX, 0 failed' \
	"smp 4: loader's summary: 3 APs native"
tap_check_log "$log" '^hv: boot complete' "smp 4: boot complete"
qemu_ended "smp 4"

# ---- 3. -smp 1: nothing to start ----
boot smp-1 1
tap_check_log "$log" '^efi: aps: no AP listed, nothing to start' "smp 1: loader starts no AP"
[ "$(count_of '^hv: ap ')" -eq 0 ]
tap_check $? "smp 1: the core's AP entry never runs"
qemu_ended "smp 1"

echo "# test-smp: $(($(date +%s) - start)) s wall"
tap_done

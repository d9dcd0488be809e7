#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-vtd.sh - the VT-d boot integration and the DMA self-test under QEMU 10 + OVMF with
# the edu device, three boots, one TAP line per check (tests/lib/tap.sh):
#
#   1. legacy-mode intel-iommu (its default);
#   2. scalable mode, second-level translation (x-scalable-mode=on);
#   3. scalable mode, first-level translation (x-scalable-mode=on,x-flts=on,aw-bits=48).
#
# Each boots with "poweroff selftest=dma" and checks the stage line
#   hv: stage iommu: N units (scalable|legacy), M devices, domain DID d, SL|FL tables T frames
# and every "dma: ok|FAIL - ..." line the self-test prints (each becomes one TAP line), then
# that the self-test ran to its summary and the run ended by itself.
#
# Usage: tests/qemu/test-vtd.sh [--efi FILE] [--timeout S per boot]
# Logs: build/qemu/vtd-{legacy,sl,fl}.log. Exit status 0 when every check passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/tap.sh"

efi="$root/build/hv.efi"
per_boot_timeout=60
while [ $# -gt 0 ]; do
	case "$1" in
	--efi) efi="$2"; shift 2 ;;
	--timeout) per_boot_timeout="$2"; shift 2 ;;
	*) echo "test-vtd: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ ! -r "$efi" ]; then
	echo "test-vtd: no $efi" >&2
	exit 2
fi

qemu_dir="$root/build/qemu"
mkdir -p "$qemu_dir"
cmdline="poweroff debugexit=0xf4 selftest=dma"

# boot NAME IOMMU_OPTS: run QEMU in the background; the cleaned log is NAME.log.
boot_bg()
{
	local name="$1" iommu="$2"

	(
		s=0
		"$root/tests/qemu/run-qemu.sh" --efi "$efi" --name "$name" \
			--log "$qemu_dir/$name.raw.log" --cmdline "$cmdline" --iommu "$iommu" \
			--timeout "$per_boot_timeout" 2>"$qemu_dir/$name.stderr" || s=$?
		tr -d '\r' <"$qemu_dir/$name.raw.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' \
			>"$qemu_dir/$name.log"
		echo "$s" >"$qemu_dir/$name.status"
	) &
}

# check_boot LABEL NAME MODE TABLES: the checks of one boot.
check_boot()
{
	local label="$1" name="$2" mode="$3" tables="$4" log="$qemu_dir/$2.log" status line

	status=$(cat "$qemu_dir/$name.status" 2>/dev/null || echo 1)
	tap_check_log "$log" \
		"^hv: stage iommu: [1-9][0-9]* units \\($mode\\), [1-9][0-9]* devices, domain DID [0-9]+, $tables tables [0-9]+ frames$" \
		"$label: stage iommu line ($mode, $tables tables)"
	tap_check_log "$log" '^vtd: unit 0: translation enabled' "$label: unit 0 translates"
	if ! grep -q '^dma: \(ok\|FAIL\) - ' "$log"; then
		tap_fail "$label: the DMA self-test printed its checks" "no dma: lines in $log" \
			"$(tail -n 5 "$log")"
	fi
	while IFS= read -r line; do
		case "$line" in
		"dma: ok - "*) tap_ok "$label: ${line#dma: ok - }" ;;
		*) tap_fail "$label: ${line#dma: FAIL - }" "see $log" ;;
		esac
	done < <(grep -E '^dma: (ok|FAIL) - ' "$log")
	tap_check_log "$log" '^dma: [0-9]+ passed, 0 failed$' "$label: self-test summary, 0 failed"
	if [ "$status" -eq 0 ] && grep -q '^efi: poweroff' "$log"; then
		tap_ok "$label: run ended by itself"
	else
		tap_fail "$label: run ended by itself" "QEMU exit status $status; log $log" \
			"$(tail -n 5 "$log")"
	fi
}

tap_init vtd
start=$(date +%s)
# The three boots run side by side (each QEMU is one TCG thread per vCPU).
boot_bg vtd-legacy ""
boot_bg vtd-sl "x-scalable-mode=on"
boot_bg vtd-fl "x-scalable-mode=on,x-flts=on,aw-bits=48"
wait

check_boot legacy vtd-legacy legacy SL
check_boot "scalable SL" vtd-sl scalable SL
check_boot "scalable FL" vtd-fl scalable FL

echo "# test-vtd: $(($(date +%s) - start)) s wall"
tap_done

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
# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/qemu/lib.sh
. "$root/tests/qemu/lib.sh"
qemu_test_args test-vtd 60 "$@"
cmdline="poweroff debugexit=0xf4 selftest=dma"

# check_boot LABEL NAME MODE TABLES: the checks of one boot.
check_boot()
{
	local label="$1" name="$2" mode="$3" tables="$4"

	qemu_load "$name"
	tap_check_log "$log" \
		"^hv: stage iommu: [1-9][0-9]* units \\($mode\\), [1-9][0-9]* devices, domain DID [0-9]+, $tables tables [0-9]+ frames$" \
		"$label: stage iommu line ($mode, $tables tables)"
	tap_check_log "$log" '^vtd: unit 0: translation enabled' "$label: unit 0 translates"
	qemu_selftest_lines "$label" dma
	qemu_ended "$label"
}

tap_init vtd
start=$(date +%s)
# The three boots run side by side (each QEMU is one TCG thread per vCPU).
qemu_boot vtd-legacy "" "$cmdline" &
qemu_boot vtd-sl "x-scalable-mode=on" "$cmdline" &
qemu_boot vtd-fl "x-scalable-mode=on,x-flts=on,aw-bits=48" "$cmdline" &
wait

check_boot legacy vtd-legacy legacy SL
check_boot "scalable SL" vtd-sl scalable SL
check_boot "scalable FL" vtd-fl scalable FL

echo "# test-vtd: $(($(date +%s) - start)) s wall"
tap_done

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-vsva.sh - vSVA software nesting (hv/vsva_shadow.c) on QEMU 10 + OVMF, one boot,
# one TAP line per check (tests/lib/tap.sh). The unit has first-level translation and no
# nesting (x-scalable-mode=on,x-flts=on,aw-bits=48; x-pasid-mode=on for 16+ PASID bits),
# and the core runs "selftest=vsva" (hv/vsva_selftest.c): a fake guest's GVA -> GPA table
# bound to edu's RID_PASID through a shadow first-level table; DMA to GVAs, a stale
# mapping until the guest's invalidation, a guest PTE at hypervisor memory, unbind.
# Each "vsva: ok|FAIL - ..." line becomes one TAP line; then the summary line, and that
# the run ended by itself.
#
# Usage: tests/qemu/test-vsva.sh [--efi FILE] [--timeout S]
# Log: build/qemu/vsva-fl.log. Exit status 0 when every check passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/tap.sh"

efi="$root/build/hv.efi"
timeout=60
while [ $# -gt 0 ]; do
	case "$1" in
	--efi) efi="$2"; shift 2 ;;
	--timeout) timeout="$2"; shift 2 ;;
	*) echo "test-vsva: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ ! -r "$efi" ]; then
	echo "test-vsva: no $efi" >&2
	exit 2
fi

qemu_dir="$root/build/qemu"
mkdir -p "$qemu_dir"
name=vsva-fl
log="$qemu_dir/$name.log"

tap_init vsva
start=$(date +%s)
status=0
"$root/tests/qemu/run-qemu.sh" --efi "$efi" --name "$name" --log "$qemu_dir/$name.raw.log" \
	--cmdline "poweroff debugexit=0xf4 selftest=vsva" \
	--iommu "x-scalable-mode=on,x-flts=on,aw-bits=48,x-pasid-mode=on" \
	--timeout "$timeout" 2>"$qemu_dir/$name.stderr" || status=$?
tr -d '\r' <"$qemu_dir/$name.raw.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' >"$log"

tap_check_log "$log" \
	'^hv: stage iommu: [1-9][0-9]* units \(scalable\), [1-9][0-9]* devices, domain DID [0-9]+, FL tables [0-9]+ frames$' \
	"stage iommu line (scalable, FL tables)"
if ! grep -q '^vsva: \(ok\|FAIL\) - ' "$log"; then
	tap_fail "the vSVA self-test printed its checks" "no vsva: lines in $log" \
		"$(tail -n 5 "$log")"
fi
while IFS= read -r line; do
	case "$line" in
	"vsva: ok - "*) tap_ok "${line#vsva: ok - }" ;;
	*) tap_fail "${line#vsva: FAIL - }" "see $log" ;;
	esac
done < <(grep -E '^vsva: (ok|FAIL) - ' "$log")
tap_check_log "$log" '^vsva: [0-9]+ passed, 0 failed$' "self-test summary, 0 failed"
if [ "$status" -eq 0 ] && grep -q '^efi: poweroff' "$log"; then
	tap_ok "run ended by itself"
else
	tap_fail "run ended by itself" "QEMU exit status $status; log $log" "$(tail -n 5 "$log")"
fi

echo "# test-vsva: $(($(date +%s) - start)) s wall"
tap_done

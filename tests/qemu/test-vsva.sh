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
# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/qemu/lib.sh
. "$root/tests/qemu/lib.sh"
qemu_test_args test-vsva 60 "$@"

tap_init vsva
start=$(date +%s)
qemu_boot vsva-fl "x-scalable-mode=on,x-flts=on,aw-bits=48,x-pasid-mode=on" \
	"poweroff debugexit=0xf4 selftest=vsva"

tap_check_log "$log" \
	'^hv: stage iommu: [1-9][0-9]* units \(scalable\), [1-9][0-9]* devices, domain DID [0-9]+, FL tables [0-9]+ frames$' \
	"stage iommu line (scalable, FL tables)"
qemu_selftest_lines "" vsva
qemu_ended ""

echo "# test-vsva: $(($(date +%s) - start)) s wall"
tap_done

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-vsva.sh - vSVA live under Bochs: build/hv-model.elf (iommu/ over the VT-d reference
# model, tests/bochs/hv-model.mk) boots the test guest (guest/test, module 0), which runs
# the whole vSVA flow through real VMCALLs (guest/test/vsva.c); at the guest's end the
# hypervisor asks the model to confirm the tables vSVA left. One TAP line per fact.
#
#   tests/bochs/test-vsva.sh [--elf build/hv-model.elf] [--guest build/guest/test-guest.elf]
#                            [--dir build/bochs-vsva] [--timeout S]
#
# Checked from the COM1 log (<dir>/live.log):
#   the model platform (one scalable unit with NEST, two fake devices, the platform
#   domain) and the vSVA wiring (CPU PASID translation inactive: Bochs lacks secondary
#   control bit 21); every "ok N - guest: ..." line of the guest (the vsva ones at least
#   40), its summary; the invalidation batch of 32 in one VM exit; the hypervisor's
#   invariants and every "model: confirm: ..." line, 0 failed; the benchmark figures.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv-model.elf"
dir="$root/build/bochs-vsva"
timeout_s=120

# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/bochs/lib.sh
. "$root/tests/bochs/lib.sh"
guest_test_args test-vsva "make build/hv-model.elf guest" "$@"

start=$(date +%s)
boot live "" --module "$guest:$guest_args"
wait

tap_init vsva
log="$dir/live.log"
check_ended live
tap_check_log "$log" '^vtd: unit 0: VT-d [0-9.]+, scalable mode, .* NEST .*PASID 20 bits' \
	"iommu/ drives the model unit: scalable mode, NEST, 20-bit PASIDs"
tap_check_log "$log" '^vtd: unit 0: translation enabled' "the model unit translates (GCMD.TE)"
tap_check_log "$log" '^model: platform: VT-d reference model as unit 0 .*memory = real RAM, devices 00:03.0 00:04.0, domain DID 1' \
	"model platform: one unit, two fake devices, the platform domain"
tap_check_log "$log" '^vsva: on: 1 units, 2 devices, host PASIDs 20 bits \(shared range yes\), nesting hardware' \
	"vSVA wired at boot for the VM (PASID space, guest state, hypercalls)"
tap_check_log "$log" '^vsva: on: .*CPU PASID translation inactive' \
	"CPU PASID translation inactive (Bochs lacks secondary control bit 21)"
check_absent live '^vsva: VMCS PASID directories' "no VMCS PASID-translation fields written on Bochs"
tap_check_log "$log" '^vmx: launching the guest' "guest launched"
vsva_ok=$(tr -d '\r' <"$log" | grep -cE '^ok [0-9]+ - guest: vsva: ')
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok"*) tap_fail "${line#not ok * - }" ;;
	esac
done < <(tr -d '\r' <"$log" | grep -E '^(not )?ok [0-9]* ?- guest: vsva: ')
if [ "$vsva_ok" -ge 40 ]; then
	tap_ok "guest ran the vSVA flow ($vsva_ok ok lines)"
else
	tap_fail "guest ran the vSVA flow" "only $vsva_ok ok lines"
fi
tap_check_log "$log" '^[1-9][0-9]* passed, 0 failed$' "guest summary: 0 failed"
tap_check_log "$log" '^# guest: bench: vsva invalidate batch of 32: 1 VM exits, 1 hypercalls, 32 queue descriptors' \
	"a batch of 32 invalidations is one VM exit and one hypercall"
tap_check_log "$log" '^vsva: guest end: invariants hold' "guest end: the vSVA invariants hold"
tap_check_log "$log" '^model: confirm: device 00:03.0 PASID 0x8[0-9a-f]{3} \(host 0x1[0-9a-f]{4}\): nested walk of GVA 0x40000000 -> HPA 0x[0-9a-f]+ .*agrees with vSVA translate.*: ok$' \
	"model: the live shared binding walks nested (GVA -> GPA -> HPA) as vSVA says"
tap_check_log "$log" '^model: confirm: device 00:03.0: 1 of 128 probed host PASIDs have a present PASID entry, 1 live bindings among them: ok$' \
	"model: 00:03.0 holds exactly its one live binding (unbound and freed PASIDs gone)"
tap_check_log "$log" '^model: confirm: device 00:04.0: 0 of 128 probed host PASIDs have a present PASID entry, 0 live bindings among them: ok$' \
	"model: 00:04.0 holds no PASID entry after free before unbind"
tap_check_log "$log" '^model: confirm: device 00:03.0: RID_PASID maps guest RAM GPA 0x100000 -> HPA 0x100000: ok$' \
	"model: RID_PASID still maps guest RAM identity"
tap_check_log "$log" '^model: confirm: device 00:0[34].0: DMA to the hypervisor image at 0x[0-9a-f]+ faults' \
	"model: DMA to the hypervisor image faults"
tap_check_log "$log" '^model: confirm: the queue completed [1-9][0-9]* descriptors, 0 stale translations' \
	"model: invalidations went through the queue, no stale translation"
tap_check_log "$log" '^model: confirm: [1-9][0-9]* checks, 0 failed$' "model: every confirmation passed"
check_absent live 'EXCEPTION|VM entry failed|^model: confirm: .*FAILED|invariants violated' \
	"no exception, no entry failure, no failed confirmation"
tr -d '\r' <"$log" | sed -n 's/^# guest: bench: \(vsva .*\)/# bench (Bochs, TSC = instructions): \1/p'
echo "# vsva: COM1 log $log; wall time $(($(date +%s) - start)) s"
tap_done

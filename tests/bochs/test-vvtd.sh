#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-vvtd.sh - the virtual VT-d unit live under Bochs (issue 7): build/hv-model.elf with
# vvtd=on boots the test guest, which finds the unit through its own ACPI DMAR (RSDP in
# its boot data) and drives it through real MMIO -- every access an EPT violation the
# hypervisor decodes (hv/mmio_decode.c) and emulates (hv/vvtd_boot.c) -- as Linux's
# intel-iommu does: QI, scalable root table, global invalidations with a wait, TE, a
# PASID entry with its own first-level table, a malformed descriptor (FSTS.IQE). Then the
# model's device 00:03.0 (VSVA_HC_PLATFORM_TEST) faults on an unmapped GVA and sends a page
# request: the hypervisor polls the physical unit on a VMX-preemption timer exit and the
# guest gets its fault event (FRCD with its own PASID) and page request event (descriptor
# at its PQA), and answers with a page group response that reaches the model under the
# host PASID. At the guest's end the VT-d model confirms what vSVA installed.
#
#   tests/bochs/test-vvtd.sh [--elf build/hv-model.elf] [--guest build/guest/test-guest.elf]
#                            [--dir build/bochs-vvtd] [--timeout S]
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv-model.elf"
dir="$root/build/bochs-vvtd"
timeout_s=150

# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/bochs/lib.sh
. "$root/tests/bochs/lib.sh"
guest_test_args test-vvtd "make build/hv-model.elf guest" "$@"

start=$(date +%s)
boot live "vvtd=on" --module "$guest:$guest_args"
wait

tap_init vvtd
log="$dir/live.log"
check_ended live
tap_check_log "$log" '^vvtd: register page 0xfed90000 left out of the guest map' \
	"register page left out of the guest map (and so of EPT)"
tap_check_log "$log" '^acpi: guest ACPI: RSDP 0x[0-9a-f]+, XSDT .*DMAR 0x[0-9a-f]+: DRHD 0xfed90000, 2 endpoints' \
	"guest ACPI: RSDP, XSDT with a DMAR whose DRHD names the unit and 2 devices"
tap_check_log "$log" '^vvtd: on: register page 0xfed90000, 2 devices in scope, VER 0x30' \
	"virtual unit created over vSVA"
tap_check_log "$log" '^vvtd: mmio: read of 4 bytes at register 0x000 = 0x30 ' \
	"an emulated MMIO read of VER (decoded from the guest's instruction)"
vvtd_ok=$(tr -d '\r' <"$log" | grep -cE '^ok [0-9]+ - guest: vvtd: ')
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok"*) tap_fail "${line#not ok * - }" ;;
	esac
done < <(tr -d '\r' <"$log" | grep -E '^(not )?ok [0-9]* ?- guest: vvtd: ')
if [ "$vvtd_ok" -ge 20 ]; then
	tap_ok "guest drove the virtual unit ($vvtd_ok ok lines)"
else
	tap_fail "guest drove the virtual unit" "only $vvtd_ok ok lines"
fi
tap_check_log "$log" '^[1-9][0-9]* passed, 0 failed$' "guest summary: 0 failed"
tap_check_log "$log" '^vvtd: PASID-cache invalidation: guest PASID entry of device 00:04.0 PASID 0x123 .*installed through vSVA as a nested physical entry' \
	"hypervisor: the guest's PASID entry shadowed into a nested physical entry"
tap_check_log "$log" '^vvtd: invalidation queue error: FSTS.IQE set' \
	"hypervisor: the malformed descriptor set FSTS.IQE"
tap_check_log "$log" '^# guest: bench: vvtd IQT write of 32 descriptors [0-9]+ TSC ticks, 1 VM exits' \
	"an IQT write of 32 descriptors is one VM exit"
tap_check_log "$log" '^vmx: VMX-preemption timer: [1-9][0-9]* ticks .* = 1000 us between polls' \
	"VMX-preemption timer armed for the poll (1 ms of TSC)"
tap_check_log "$log" '^vsva: on: .*page requests routed' "page requests routed (physical queue enabled)"
tap_check_log "$log" '^vsva: platform test: device 00:03.0 DMA read guest PASID 0x2a5 -> host PASID 0x2a5 at 0x40003018: [1-9][0-9]*$' \
	"hypervisor: the test device's DMA faulted under the host PASID"
tap_check_log "$log" '^vvtd: fault event: MSI vector 0x52 to APIC ID 0' \
	"hypervisor: the polled fault became the guest's fault event MSI"
tap_check_log "$log" '^vvtd: page request event: MSI vector 0x53 to APIC ID 0' \
	"hypervisor: the polled page request became the guest's page request event MSI"
tap_check_log "$log" '^vvtd: guest end: poll: 1 physical faults: 1 delivered' \
	"hypervisor: one physical fault seen, delivered"
tap_check_log "$log" '^vvtd: guest end: poll: 1 page requests routed, 1 written to the guest.s queue, 1 events, 1 guest responses forwarded' \
	"hypervisor: one page request routed, written, answered by the guest"
tap_check_log "$log" '^model: confirm: page group response to device 00:03.0 PASID 0x2a5 PRGI 0x5a code 0 .*host PASID 0x2a5 PRGI 0x5a: ok$' \
	"model: the guest's page group response reached the device under the host PASID"
tap_check_log "$log" '^vsva: guest end: invariants hold' "guest end: the vSVA invariants hold"
tap_check_log "$log" '^model: confirm: device 00:04.0 PASID 0x123 \(host 0x[0-9a-f]+\): nested walk of GVA 0x40000000 -> HPA 0x[0-9a-f]+ .*agrees with vSVA translate.*: ok$' \
	"model: the vIOMMU's shadow walks nested (GVA -> GPA -> HPA) as vSVA says"
tap_check_log "$log" '^model: confirm: [1-9][0-9]* checks, 0 failed$' "model: every confirmation passed"
check_absent live 'EXCEPTION|VM entry failed|^model: confirm: .*FAILED|invariants violated|#GP injected' \
	"no exception, no entry failure, no rejected MMIO instruction"
tr -d '\r' <"$log" | sed -n 's/^# guest: bench: \(vvtd .*\)/# bench (Bochs, TSC = instructions): \1/p'
tr -d '\r' <"$log" | sed -n 's/^vvtd: guest end: poll: \(.*VMX-preemption timer exits.*\)/# bench (Bochs): \1/p'
echo "# vvtd: COM1 log $log; wall time $(($(date +%s) - start)) s"
tap_done

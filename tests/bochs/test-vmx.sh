#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# test-vmx.sh - the VMX core end to end under Bochs (GRUB, Multiboot2, tigerlake, 1 and 2 CPUs):
# hv.elf launches the test guest (guest/test, module 0) and the guest's own TAP lines,
# the hypervisor's reports and a negative run are checked, one TAP line per fact.
#
#   tests/bochs/test-vmx.sh [--elf build/hv.elf] [--guest build/guest/test-guest.elf]
#                           [--dir build/bochs] [--timeout S]
#
# Two boots, side by side:
#   guest     VMXON, controls, guest map and EPT, launch; every "ok N - guest: ..." line of
#             the guest becomes one check here; its summary says 0 failed; its last act,
#             reading the hypervisor's image, is reported by the hypervisor as an EPT
#             violation and the guest is stopped; the benchmark figure is printed.
#   smp       the same guest on 2 CPUs: the core starts CPU 1 into VMX itself (INIT-SIPI-SIPI,
#             trampoline, VMXON) with its guest CPU in the wait-for-SIPI state; the guest
#             starts it with its own SIPI, the AP prints a line and makes a hypercall.
#   badstate  selftest=bad-guest-state: one guest-state field made wrong; the VM entry
#             fails and the hypervisor names the field (Bochs's own "VMENTER FAIL" agrees).
# Pass or fail comes from the COM1 logs (<dir>/guest.log, smp.log, badstate.log).
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
elf="$root/build/hv.elf"
dir="$root/build/bochs"
timeout_s=90

# shellcheck source=tests/lib/tap.sh
. "$root/tests/lib/tap.sh"
# shellcheck source=tests/bochs/lib.sh
. "$root/tests/bochs/lib.sh"
guest_test_args test-vmx "make build/hv.elf guest" "$@"

start=$(date +%s)
boot guest "" --module "$guest:$guest_args"
boot badstate "selftest=bad-guest-state" --module "$guest:$guest_args"
boot smp "" --cpus 2 --module "$guest:$guest_args"
wait

tap_init vmx

# --- guest: bring-up, the guest's own checks, the EPT violation ----------------------------
log="$dir/guest.log"
check_ended guest
tap_check_log "$log" '^vmx: guest map: [0-9]+ ranges, RAM [1-9][0-9]* MiB, .*hv image and pool absent' \
	"guest map built, hypervisor memory absent"
tap_check_log "$log" '^vmx: EPT: EPTP 0x[0-9a-f]+, .* [1-9][0-9]* 1-GiB \+ [1-9][0-9]* 2-MiB' \
	"EPT built with 1-GiB and 2-MiB pages"
tap_check_log "$log" '^vmx: cpu 0: VMXON done \(revision 0x4,' "VMXON with the VMCS revision of IA32_VMX_BASIC"
tap_check_log "$log" '^vmx: controls: pin 0x[0-9a-f]{8} .*\(TRUE capability MSRs\)' \
	"controls computed from the TRUE capability MSRs"
tap_check_log "$log" '^vmx: guest kernel: image \[0x[0-9a-f]+-0x[0-9a-f]+\), entry .*"tap-guest probe=hv"' \
	"module 0 loaded as the guest with its command line"
tap_check_log "$log" '^vmx: launching the guest' "guest launched"
guest_ok=$(tr -d '\r' <"$log" | grep -cE '^ok [0-9]+ - guest: ')
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok"*) tap_fail "${line#not ok * - }" ;;
	esac
done < <(tr -d '\r' <"$log" | grep -E '^(not )?ok [0-9]* ?- guest: ')
if [ "$guest_ok" -ge 30 ]; then
	tap_ok "guest ran its checks ($guest_ok ok lines)"
else
	tap_fail "guest ran its checks" "only $guest_ok ok lines"
fi
tap_check_log "$log" '^[1-9][0-9]* passed, 0 failed$' "guest summary: 0 failed"
tap_check_log "$log" '^vmx: EPT violation: GPA 0x1000000, GVA 0x1000000, qualification 0x[0-9a-f]+ \(read\), RIP 0x[0-9a-f]+: not guest memory' \
	"guest read of hypervisor memory reported as an EPT violation (GPA, GVA, qualification)"
tap_check_log "$log" '^vmx: guest stopped' "guest stopped cleanly after the violation"
check_absent guest 'EXCEPTION|guest: hypervisor memory was readable|VM entry failed' \
	"no exception, no entry failure, hypervisor memory not readable"
bench=$(tr -d '\r' <"$log" | sed -n 's/^# guest: bench: null hypercall //p' | head -n 1)
echo "# bench (Bochs, TSC = instructions): null hypercall ${bench:-none}"
t_core=$(tr -d '\r' <"$log" | sed -n 's/^vmx: bench: TSC \([0-9]*\) at vmx_start entry.*/\1/p')
t_guest=$(tr -d '\r' <"$log" | sed -n 's/^# guest: bench: TSC \([0-9]*\) at the first guest.*/\1/p')
if [ -n "$t_core" ] && [ -n "$t_guest" ] && [ "$t_guest" -gt "$t_core" ]; then
	echo "# bench (Bochs): vmx_start entry to the first guest instruction:" \
		"$((t_guest - t_core)) instructions"
	tap_ok "launch cost measured (vmx_start entry to the first guest instruction)"
else
	tap_fail "launch cost measured" "TSC lines missing: core '$t_core' guest '$t_guest'"
fi

# --- smp: 2 CPUs, the AP in VMX waits for the guest's SIPI ------------------------------
log="$dir/smp.log"
check_ended smp
tap_check_log "$log" '^vmx: cpu 1: VMXON done \(revision 0x4,' "smp: CPU 1 in VMX root operation (its own VMXON region and VMCS)"
tap_check_log "$log" '^vmx: cpu 1: guest CPU in the wait-for-SIPI state, launching' \
	"smp: CPU 1's VMCS launched in the wait-for-SIPI activity state"
tap_check_log "$log" '^smp: cpu 1 \(APIC ID 1\): started with INIT-SIPI-SIPI \(vector 0x08\), ready' \
	"smp: the core started CPU 1 with INIT-SIPI-SIPI through its trampoline"
tap_check_log "$log" '^vmx: smp: 2 CPUs listed, 1 APs in VMX waiting for the guest.s SIPI, 2 vCPUs' \
	"smp: MADT lists 2 CPUs, the guest gets 2 vCPUs"
tap_check_log "$log" '^vmx: cpu 1: SIPI vector 0x07: guest CPU starts in real mode at 0700:0000' \
	"smp: the guest's SIPI exits on CPU 1 with its vector (real mode at 0700:0000)"
tap_check_log "$log" '^# guest: smp: CPU 1 running in real mode at 0700:0000' \
	"smp: the guest's CPU 1 ran its real-mode code (COM1 line)"
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_ok "smp: ${line#ok * - }" ;;
	"not ok"*) tap_fail "smp: ${line#not ok * - }" ;;
	esac
done < <(tr -d '\r' <"$log" | grep -E '^(not )?ok [0-9]* ?- guest: smp: ')
tap_check_log "$log" '^[1-9][0-9]* passed, 0 failed$' "smp: guest summary: 0 failed"
check_absent smp 'EXCEPTION|VM entry failed|single CPU' "smp: no exception, no entry failure, not skipped"

# --- badstate: the entry-failure diagnosis ---------------------------------------------
log="$dir/badstate.log"
check_ended badstate
tap_check_log "$log" '^vmx: VM entry failed: exit reason 0x80000021 \(VM-entry failure due to invalid guest state\)' \
	"badstate: entry failure reported with exit reason bit 31"
tap_check_log "$log" '^vmx: VM entry failed: guest-state field GUEST_TR_AR_BYTES ' \
	"badstate: the wrong guest-state field is named"
if grep -q 'VMENTER FAIL: VMCS guest incorrect TR type' "$log.bochs.txt" 2>/dev/null; then
	tap_ok "badstate: Bochs's own check agrees (VMENTER FAIL ... TR type)"
else
	tap_fail "badstate: Bochs's own check agrees" "$(grep -m 2 VMENTER "$log.bochs.txt" 2>/dev/null)"
fi
check_absent badstate '^ok [0-9]+ - guest:' "badstate: the guest never ran"

echo "# vmx: COM1 logs in $dir (guest.log, smp.log, badstate.log); wall time $(($(date +%s) - start)) s"
tap_done

# SPDX-License-Identifier: MIT
#
# vmx.mk - `make bench-vmx`: the VMX core's costs, measured in Bochs (included by the root
# Makefile after bench.mk; adds itself to `make bench`).
#
# Bochs runs with `clock: sync=none` (tests/bochs/run-bochs.sh), so a TSC tick is one
# emulated instruction and the figures are the same run to run (platforms.md). One boot of
# hv.elf + the test guest (1 CPU) prints:
#   - the null hypercall round trip: mean TSC ticks of 1000 VMCALLs timed by the guest
#     (guest/test/main.c), and the hypervisor's share above the 86 ticks that an empty
#     VMCALL round trip costs in Bochs (platforms.md); target: under 300 ticks in all;
#   - the launch: ticks from vmx_start's entry to the guest's first instruction, and the
#     part of it spent before VMLAUNCH (VMXON, guest map, EPT, VMCS, log lines).

BENCH_VMX_DIR := $(BUILD)/bench/vmx
BENCH_VMX_LOG := $(BENCH_VMX_DIR)/bench.log
BENCH_VMX_EMPTY_VMCALL := 86

.PHONY: bench-vmx
bench: bench-vmx

bench-vmx: deps $(BUILD)/hv.elf $(BUILD)/guest/test-guest.elf
	@mkdir -p $(BENCH_VMX_DIR)
	$(Q)tests/bochs/run-bochs.sh --elf $(BUILD)/hv.elf --log $(BENCH_VMX_LOG) --timeout 120 \
		--module "$(BUILD)/guest/test-guest.elf:tap-guest probe=hv" \
		>$(BENCH_VMX_DIR)/bochs.out 2>&1 || true
	$(Q)tr -d '\r' <$(BENCH_VMX_LOG) | awk -v empty=$(BENCH_VMX_EMPTY_VMCALL) ' \
		/^# guest: bench: null hypercall round trip/ { rt = $$8; n = $$13 } \
		/^vmx: bench: TSC [0-9]+ at vmx_start entry/ { t0 = $$4; tl = $$8 } \
		/^# guest: bench: TSC [0-9]+ at the first guest instruction/ { tg = $$5 } \
		END { \
			if (rt == "" || t0 == "" || tg == "") { \
				print "bench-vmx: figures missing from $(BENCH_VMX_LOG)"; exit 1 } \
			printf "bench-vmx: null hypercall round trip %d ticks (mean of %d, Bochs, " \
				"TSC = instructions): %d for the empty VMCALL round trip + %d in the " \
				"hypervisor; target < 300: %s\n", rt, n, empty, rt - empty, \
				rt < 300 ? "met" : "NOT met"; \
			printf "bench-vmx: launch: %d ticks from vmx_start entry to the first guest " \
				"instruction (%d up to VMLAUNCH: VMXON, guest map, EPT, VMCS, log)\n", \
				tg - t0, tl - t0 }'

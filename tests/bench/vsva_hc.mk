# SPDX-License-Identifier: MIT
#
# vsva_hc.mk - `make bench-vsva-hc`: the vSVA hypercalls' costs, measured live in Bochs on
# build/hv-model.elf (tests/bochs/hv-model.mk: iommu/ over the VT-d reference model).
# Included by the root Makefile after bench.mk and tests/bochs/hv-model.mk; adds itself
# to `make bench`.
#
# Bochs runs with `clock: sync=none` (tests/bochs/run-bochs.sh), so a TSC tick is one
# emulated instruction and the figures repeat run to run (platforms.md). One boot of
# hv-model.elf + the test guest (1 CPU); the guest (guest/test/vsva.c) prints:
#   - for each vSVA call (alloc, bind, invalidate of 32, translate, unbind, free, detach,
#     attach) and the null call: the mean TSC ticks of one VMCALL round trip over 50;
#     the ticks above the null call are the call's own work, in the hypervisor and, for
#     calls that touch tables or the queue, in the VT-d model that stands in for the
#     hardware (the model's emulated cost is not a hardware figure);
#   - VM exits per invalidation batch of 32 requests (statistics before and after);
#     target: one exit per batch.

BENCH_VSVA_DIR := $(BUILD)/bench/vsva-hc
BENCH_VSVA_LOG := $(BENCH_VSVA_DIR)/bench.log

.PHONY: bench-vsva-hc
bench: bench-vsva-hc

bench-vsva-hc: deps $(BUILD)/hv-model.elf $(BUILD)/guest/test-guest.elf
	@mkdir -p $(BENCH_VSVA_DIR)
	$(Q)tests/bochs/run-bochs.sh --elf $(BUILD)/hv-model.elf --log $(BENCH_VSVA_LOG) \
		--timeout 120 --module "$(BUILD)/guest/test-guest.elf:tap-guest probe=hv" \
		>$(BENCH_VSVA_DIR)/bochs.out 2>&1 || true
	$(Q)tr -d '\r' <$(BENCH_VSVA_LOG) | awk ' \
		BEGIN { n = 0 } \
		/^# guest: bench: vsva [a-z_0-9]+ round trip/ { name[n] = $$5; rt[n] = $$8; \
			rounds = $$13; sub(/\)/, "", rounds); if ($$5 == "null") nul = $$8; n++ } \
		/^# guest: bench: vsva invalidate batch of 32:/ { exits = $$9; desc = $$14 } \
		/^model: time: [0-9]+ TSC ticks inside the model/ { mt = $$3; mw = $$10 } \
		END { \
			if (n == 0 || exits == "") { \
				print "bench-vsva-hc: figures missing from $(BENCH_VSVA_LOG)"; exit 1 } \
			for (i = 0; i < n; i++) \
				printf "bench-vsva-hc: %-13s round trip %6d ticks (mean of %d; " \
					"%d above the null call)\n", name[i], rt[i], rounds, \
					rt[i] - nul; \
			printf "bench-vsva-hc: invalidation batch of 32 requests: %d VM exit(s), " \
				"%d queue descriptors + 1 wait; target 1 exit per batch: %s\n", \
				exits, desc, exits == 1 ? "met" : "NOT met"; \
			if (mt != "") \
				printf "bench-vsva-hc: the VT-d model itself (emulated hardware, not " \
					"the hypervisor) ran %d ticks over %d register writes in the " \
					"whole run: most of the bind, unbind and invalidate figures\n", \
					mt, mw }'

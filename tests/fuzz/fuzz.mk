# SPDX-License-Identifier: MIT
#
# fuzz.mk - libFuzzer targets over the parsers that take untrusted input. Included by the
# root Makefile.
#
#   make test-fuzz-smoke   every target for FUZZ_SMOKE_SECONDS (10 s; part of make test):
#                          a crash, leak or failed invariant fails it
#   make fuzz              every target for FUZZ_SECONDS (300 s)
#   make fuzz-<target>     one target for FUZZ_SECONDS
#   make fuzz-seeds        rewrite the seed corpora tests/fuzz/corpus/<target>/
#
# Targets (tests/fuzz/fuzz_<target>.c): dmar (iommu/dmar.c), acpi (hv/acpi.c, then the
# DMAR it finds), mbi (boot/mb2/mbi.c), hypercall (hv/hypercall.c), memmap (hv/memmap.c),
# vsva (hv/vsva*.c over the VT-d model), vvtd (the virtual VT-d unit, hv/vvtd*.c, over
# vSVA and the model).
# Builds under $(BUILD)/fuzz/; the corpus a run grows is $(BUILD)/fuzz/corpus/<target>/,
# crash reproducers land in $(BUILD)/fuzz/artifacts/<target>/ (rerun one with
# $(BUILD)/fuzz/fuzz_<target> <file>).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_TARGETS := dmar acpi mbi hypercall memmap
FUZZ_TARGETS += vsva # hv/vsva*.c over the VT-d model: rules for fuzz_vsva at the end
FUZZ_TARGETS += vvtd # hv/vvtd*.c over vSVA and the model: rules for fuzz_vvtd at the end
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -I. -DHV_HOSTED \
	-fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer

# The core's portable files as the unit tests build them (tests/unit/unit.mk), so the
# fuzzers follow when hypercall.c & co. grow; the VT-d DMAR parser; the hosted stand-ins.
FUZZ_LIB_SRCS := $(sort $(or $(UNIT_CORE_SRCS),hv/memmap.c hv/acpi.c boot/mb2/mbi.c \
	hv/guest_map.c hv/mtrr.c hv/hypercall.c hv/vmx_caps.c) iommu/dmar.c \
	tests/unit/support/hosted.c tests/unit/support/vsva_hc_stub.c tests/fuzz/fuzz_env.c)
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libfuzz-core.a
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-seeds $(FUZZ_TARGETS:%=fuzz-%) $(FUZZ_TARGETS:%=fuzz-smoke-%)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -MMD -MP -o $@ $< $(FUZZ_LIB) $(FUZZ_LDFLAGS)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_BINS:=.d)

fuzz-build: $(FUZZ_BINS)

# One run of target $(1) for $(2) seconds: grows $(BUILD)/fuzz/corpus/$(1) from the seeds,
# prints executions per second and coverage, fails on a crash.
define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/artifacts/$(1)
	$(Q)log=$(FUZZ_BUILD)/fuzz_$(1).log; \
	if $(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(2) -print_final_stats=1 -max_len=8192 \
		-artifact_prefix=$(FUZZ_BUILD)/artifacts/$(1)/ \
		$(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1) >$$log 2>&1; then \
		st=ok; else st=FAILED; fi; \
	runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	eps=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log); \
	cov=$$(grep -o 'cov: [0-9]*' $$log | tail -1); \
	ft=$$(grep -o 'ft: [0-9]*' $$log | tail -1); \
	corp=$$(grep -o 'corp: [0-9]*' $$log | tail -1); \
	printf 'fuzz %-10s %-6s %3ss  runs %-9s exec/s %-7s %s  %s  %s\n' $(1) $$st $(2) \
		"$$runs" "$$eps" "$$cov" "$$ft" "$$corp"; \
	if [ $$st != ok ]; then \
		grep -E 'ERROR|invariant|SUMMARY|Test unit written' $$log | head -20; \
		echo "fuzz $(1): full log $$log"; exit 1; fi
endef

# Inputs that once failed (tests/fuzz/findings/<target>_* and tests/fuzz/findings/<target>/*)
# run first, as regressions.
$(FUZZ_TARGETS:%=fuzz-smoke-%): fuzz-smoke-%: $(FUZZ_BUILD)/fuzz_%
	$(Q)for f in $(wildcard tests/fuzz/findings/$*_* tests/fuzz/findings/$*/*); do \
		$(FUZZ_BUILD)/fuzz_$* $$f >/dev/null 2>&1 || { echo "fuzz: $* fails on $$f"; exit 1; }; \
	done
	$(call fuzz_run,$*,$(FUZZ_SMOKE_SECONDS))

$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_BUILD)/fuzz_%
	$(call fuzz_run,$*,$(FUZZ_SECONDS))

test-fuzz-smoke: $(FUZZ_TARGETS:%=fuzz-smoke-%)

fuzz: $(FUZZ_TARGETS:%=fuzz-%)

fuzz-seeds:
	$(Q)python3 tests/fuzz/gen_seeds.py tests/fuzz/corpus

# vsva (tests/fuzz/fuzz_vsva.c): the vSVA hypercalls through hypercall_dispatch() with the
# vSVA core, the VT-d driver and its model-backed environment, and the VT-d model, all
# built here with the fuzzer's instrumentation (as tests/unit/vsva.mk links them).
FUZZ_VSVA_SRCS := $(or $(VSVA_SRCS),hv/vsva.c hv/vsva_hc.c hv/vsva_shadow.c \
	hv/pasid_space.c hv/pasid_xlate.c) $(sort $(wildcard iommu/*.c)) \
	tests/unit/support/iommu_env_model.c tests/unit/support/vsva_test_env.c \
	$(sort $(wildcard tests/model/*.c))
FUZZ_VSVA_OBJS := $(FUZZ_VSVA_SRCS:%.c=$(FUZZ_BUILD)/vsva-obj/%.o)

$(FUZZ_BUILD)/vsva-obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/model -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_vsva: tests/fuzz/fuzz_vsva.c $(FUZZ_VSVA_OBJS) $(FUZZ_LIB) \
		$(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/model -Werror -MMD -MP -o $@ $< $(FUZZ_VSVA_OBJS) \
		$(FUZZ_LIB) $(FUZZ_LDFLAGS)

-include $(FUZZ_VSVA_OBJS:.o=.d)

# vvtd (tests/fuzz/fuzz_vvtd.c): the virtual VT-d unit (hv/vvtd*.c but vvtd_boot.c, which
# needs VMX) over everything fuzz_vsva links, built with the fuzzer's instrumentation (as
# tests/unit/vvtd.mk links test_vvtd).
FUZZ_VVTD_SRCS := $(or $(VVTD_SRCS),$(filter-out hv/vvtd_boot.c,$(sort $(wildcard hv/vvtd*.c))))
FUZZ_VVTD_OBJS := $(FUZZ_VVTD_SRCS:%.c=$(FUZZ_BUILD)/vsva-obj/%.o)

$(FUZZ_BUILD)/fuzz_vvtd: tests/fuzz/fuzz_vvtd.c $(FUZZ_VVTD_OBJS) $(FUZZ_VSVA_OBJS) $(FUZZ_LIB) \
		$(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/model -Werror -MMD -MP -o $@ $< $(FUZZ_VVTD_OBJS) \
		$(FUZZ_VSVA_OBJS) $(FUZZ_LIB) $(FUZZ_LDFLAGS)

-include $(FUZZ_VVTD_OBJS:.o=.d)

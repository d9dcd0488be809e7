# SPDX-License-Identifier: MIT
#
# vsva.mk - hosted tests of the vSVA core (hv/vsva*.c, hv/pasid_space.c,
# hv/pasid_xlate.c) and its hypercalls, against the VT-d reference model with hardware
# nesting. Included by the root Makefile after unit.mk and iommu.mk:
#   -include tests/unit/vsva.mk
# Each tests/unit/test_vsva*.c links with the vSVA objects, the core's hosted library
# ($(UNIT_LIB): hypercall.c, guest_map.c, hosted.c ...), the driver's hosted library
# and the model. The static pattern rule below is explicit for these targets, so it
# wins over unit.mk's $(BUILD)/unit/test_% (add test_vsva% to unit.mk's filter-out so
# test-unit-core does not run them twice).

VSVA_SRCS := hv/vsva.c hv/vsva_hc.c hv/vsva_shadow.c hv/vsva_prq.c hv/pasid_space.c \
	hv/pasid_xlate.c
VSVA_HDRS := $(wildcard hv/vsva*.h hv/pasid_space.h hv/pasid_xlate.h hv/hypercall.h) \
	guest/include/vsva_hv.h tests/unit/support/iommu_env_model.h tests/unit/support/hosted.h \
	tests/unit/support/vsva_test_env.h
VSVA_BUILD := $(BUILD)/vsva-hosted
VSVA_OBJS := $(VSVA_SRCS:%.c=$(VSVA_BUILD)/%.o)
# The shared vSVA-over-the-model fixture (set-up, guest RAM, FL tables, DMA helpers),
# linked by every test here and by tests/unit/vvtd.mk.
VSVA_TEST_ENV_OBJ := $(VSVA_BUILD)/tests/unit/support/vsva_test_env.o
VSVA_TEST_SRCS := $(sort $(wildcard tests/unit/test_vsva*.c))
VSVA_TESTS := $(VSVA_TEST_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
VSVA_CFLAGS := $(IOMMU_HOSTED_CFLAGS) -Wno-unused-parameter

.PHONY: test-vsva

$(VSVA_BUILD)/%.o: %.c $(VSVA_HDRS) $(IOMMU_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(VSVA_CFLAGS) -c -o $@ $<

$(VSVA_TESTS): $(BUILD)/unit/%: tests/unit/%.c $(VSVA_TEST_ENV_OBJ) $(VSVA_OBJS) $(UNIT_LIB) \
		$(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(VSVA_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(VSVA_CFLAGS) -o $@ $< $(VSVA_TEST_ENV_OBJ) $(VSVA_OBJS) $(UNIT_LIB) \
		$(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HOSTED_LDLIBS)

test-vsva: $(VSVA_TESTS)
	$(Q)fail=0; for t in $(VSVA_TESTS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

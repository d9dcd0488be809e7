# SPDX-License-Identifier: MIT
#
# vvtd.mk - hosted tests of the virtual VT-d unit (hv/vvtd*.c) over the vSVA core and
# the VT-d reference model as the physical unit. Included by the root Makefile after
# vsva.mk (it uses VSVA_OBJS, VSVA_TEST_ENV_OBJ and VSVA_CFLAGS):
#   -include tests/unit/vvtd.mk
# and test-unit should run test-vvtd. Add tests/unit/test_vvtd% to unit.mk's filter-out
# so test-unit-core does not build these with the wrong libraries.

# The portable unit; hv/vvtd_boot.c wires it into the core (VMCS, EPT) and is not hosted.
VVTD_SRCS := $(filter-out hv/vvtd_boot.c,$(sort $(wildcard hv/vvtd*.c)))
VVTD_HDRS := $(wildcard hv/vvtd*.h) $(VSVA_HDRS)
VVTD_OBJS := $(VVTD_SRCS:%.c=$(VSVA_BUILD)/%.o)
VVTD_TEST_SRCS := $(sort $(wildcard tests/unit/test_vvtd*.c))
VVTD_TESTS := $(VVTD_TEST_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: test-vvtd

$(VVTD_OBJS): $(VSVA_BUILD)/%.o: %.c $(VVTD_HDRS) $(IOMMU_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(VSVA_CFLAGS) -c -o $@ $<

$(VVTD_TESTS): $(BUILD)/unit/%: tests/unit/%.c $(VSVA_TEST_ENV_OBJ) $(VVTD_OBJS) $(VSVA_OBJS) \
		$(UNIT_LIB) $(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(VVTD_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(VSVA_CFLAGS) -o $@ $< $(VSVA_TEST_ENV_OBJ) $(VVTD_OBJS) $(VSVA_OBJS) \
		$(UNIT_LIB) $(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HOSTED_LDLIBS)

test-vvtd: $(VVTD_TESTS)
	$(Q)fail=0; for t in $(VVTD_TESTS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

# SPDX-License-Identifier: MIT
# Hosted unit tests (cmocka) of the core's portable code: build/unit/test_*.
# The VT-d model's own tests come from tests/model/model.mk (test-model).

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. \
	-DHV_HOSTED -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_LDLIBS := -lcmocka -fsanitize=address,undefined

# The core files that are portable C, compiled for the host.
UNIT_CORE_SRCS := hv/memmap.c hv/frame.c hv/cmdline.c hv/acpi.c hv/vmx_caps.c boot/mb2/mbi.c \
	hv/mtrr.c hv/guest_map.c hv/ept.c hv/hypercall.c hv/smp_madt.c hv/vmx_guest_state.c \
	hv/mmio_decode.c
UNIT_SUPPORT_SRCS := tests/unit/support/hosted.c tests/unit/support/vsva_hc_stub.c
UNIT_LIB := $(BUILD)/unit/libcore-hosted.a
UNIT_LIB_OBJS := $(UNIT_CORE_SRCS:%.c=$(BUILD)/unit/obj/%.o) \
	$(UNIT_SUPPORT_SRCS:%.c=$(BUILD)/unit/obj/%.o)
UNIT_TEST_SRCS := $(filter-out tests/unit/test_model% tests/unit/test_iommu% tests/unit/test_vsva% \
	tests/unit/test_vvtd%,\
	$(sort $(wildcard tests/unit/test_*.c)))
UNIT_TESTS := $(UNIT_TEST_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

$(BUILD)/unit/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(UNIT_CFLAGS) -MMD -MP -c -o $@ $<

$(UNIT_LIB): $(UNIT_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/unit/test_%: tests/unit/test_%.c $(UNIT_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_LIB) $(UNIT_LDLIBS)

-include $(UNIT_LIB_OBJS:.o=.d)

.PHONY: test-unit-core
test-unit-core: $(UNIT_TESTS)
	$(Q)fail=0; for t in $(UNIT_TESTS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

test-unit: deps
	$(Q)$(MAKE) --no-print-directory test-unit-core
	$(Q)$(MAKE) --no-print-directory test-model
	$(Q)$(MAKE) --no-print-directory test-iommu
	$(Q)$(MAKE) --no-print-directory test-vsva
	$(Q)$(MAKE) --no-print-directory test-vvtd

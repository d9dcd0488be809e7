# SPDX-License-Identifier: MIT
#
# iommu.mk - hosted build and tests of the VT-d driver (iommu/) against the VT-d
# reference model (tests/model/). Included by the root Makefile; also works as
#   make -f Makefile -f tests/unit/iommu.mk test-iommu
#   make -f tests/unit/iommu.mk test-iommu
#
# Builds iommu/*.c, tests/unit/support/iommu_env_model.c and iommu_test_setup.c (the
# tests' shared set-up) with the sanitizers into
# $(BUILD)/iommu-hosted/libiommu-hosted.a, links every tests/unit/test_iommu_*.c with it,
# $(MODEL_LIB) and cmocka into $(BUILD)/unit/test_iommu_*, and runs them (test-iommu).
# The pattern rule below is more specific than unit.mk's $(BUILD)/unit/test_%, so make
# picks it for these tests either way.

BUILD ?= build
HOSTED_CC ?= gcc
HOSTED_AR ?= ar
Q ?= @
CMOCKA_LIBS ?= -lcmocka

ifndef MODEL_LIB
include tests/model/model.mk
endif

IOMMU_HOSTED_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -Itests/model \
	-DHV_HOSTED -fsanitize=address,undefined -fno-omit-frame-pointer
IOMMU_HOSTED_LDLIBS ?= $(CMOCKA_LIBS) -fsanitize=address,undefined

IOMMU_SRCS := $(sort $(wildcard iommu/*.c))
IOMMU_HDRS := $(wildcard iommu/*.h) tests/unit/support/iommu_env_model.h \
	tests/unit/support/iommu_test_setup.h
IOMMU_ENV_SRCS := tests/unit/support/iommu_env_model.c tests/unit/support/iommu_test_setup.c
IOMMU_HOSTED_BUILD := $(BUILD)/iommu-hosted
IOMMU_HOSTED_OBJS := $(patsubst %.c,$(IOMMU_HOSTED_BUILD)/%.o,$(IOMMU_SRCS) $(IOMMU_ENV_SRCS))
IOMMU_HOSTED_LIB := $(IOMMU_HOSTED_BUILD)/libiommu-hosted.a
IOMMU_TEST_SRCS := $(sort $(wildcard tests/unit/test_iommu_*.c))
IOMMU_TESTS := $(IOMMU_TEST_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: test-iommu iommu-hosted-lib

$(IOMMU_HOSTED_BUILD)/%.o: %.c $(IOMMU_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(IOMMU_HOSTED_CFLAGS) -c -o $@ $<

$(IOMMU_HOSTED_LIB): $(IOMMU_HOSTED_OBJS)
	$(Q)rm -f $@ && $(HOSTED_AR) rcs $@ $^

iommu-hosted-lib: $(IOMMU_HOSTED_LIB)

$(BUILD)/unit/test_iommu_%: tests/unit/test_iommu_%.c $(IOMMU_HOSTED_LIB) $(MODEL_LIB) \
		$(IOMMU_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(IOMMU_HOSTED_CFLAGS) -o $@ $< $(IOMMU_HOSTED_LIB) $(MODEL_LIB) \
		$(IOMMU_HOSTED_LDLIBS)

test-iommu: $(IOMMU_TESTS)
	$(Q)fail=0; for t in $(IOMMU_TESTS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

# test_iommu_boot: the core's VT-d boot integration (hv/iommu_boot.c, portable part) with
# the guest map over the driver and the model. Its hv/ sources are compiled in directly, so
# this fragment still works on its own.
IOMMU_BOOT_HV_SRCS := hv/iommu_boot.c hv/guest_map.c hv/mtrr.c tests/unit/support/hosted.c

$(BUILD)/unit/test_iommu_boot: tests/unit/test_iommu_boot.c $(IOMMU_BOOT_HV_SRCS) \
		$(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HDRS) hv/iommu_boot.h hv/guest_map.h
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(IOMMU_HOSTED_CFLAGS) -Wno-unused-parameter -o $@ $< \
		$(IOMMU_BOOT_HV_SRCS) $(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HOSTED_LDLIBS)

# diff_model: the hosted half of tests/qemu/test-diff.sh (cases in hv/dma_cases.h).
$(BUILD)/unit/diff_model: tests/unit/diff_model.c $(IOMMU_BOOT_HV_SRCS) hv/dma_cases.h \
		$(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HDRS) hv/iommu_boot.h hv/guest_map.h
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(IOMMU_HOSTED_CFLAGS) -Wno-unused-parameter -o $@ $< \
		$(IOMMU_BOOT_HV_SRCS) $(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HOSTED_LDLIBS)

# SPDX-License-Identifier: MIT
#
# hv-model.mk - build/hv-model.elf: a second core image for Bochs, which has no VT-d.
# In it iommu/ is bound to the VT-d reference model (tests/model, compiled freestanding
# with the core's flags) instead of MMIO: hv/model/ (model-backed platform, driver
# registers, model memory = real RAM) replaces hv/iommu_env_mmio.c and hv/vsva_platform.c, and
# hv/model/model_mem_ram.c replaces tests/model/mem.c. Everything else is hv.elf's
# objects, so both images run the same hv/ and iommu/ code.
# Included by the root Makefile after CORE_OBJS is defined:
#   -include tests/bochs/hv-model.mk

HV_MODEL_ELF := $(BUILD)/hv-model.elf
HV_MODEL_C_SRCS := $(sort $(wildcard hv/model/*.c)) \
	$(filter-out tests/model/mem.c,$(sort $(wildcard tests/model/*.c)))
HV_MODEL_OBJS := $(filter-out $(BUILD)/core/hv/iommu_env_mmio.o $(BUILD)/core/hv/vsva_platform.o,\
	$(CORE_OBJS)) \
	$(HV_MODEL_C_SRCS:%.c=$(BUILD)/core/%.o)

.PHONY: hv-model
hv-model: $(HV_MODEL_ELF)

$(HV_MODEL_ELF): $(HV_MODEL_OBJS) $(BUILD)/linker.ld $(LIBC)
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack --no-relax --no-warn-rwx-segments \
		-T $(BUILD)/linker.ld -Map $(BUILD)/hv-model.map -o $@.tmp $(HV_MODEL_OBJS) $(LIBC)
	$(Q)scripts/check-no-fpu.sh $@.tmp
	$(Q)mv $@.tmp $@
	@echo "  LD      $@ ($$(stat -c %s $@) bytes)"

-include $(HV_MODEL_C_SRCS:%.c=$(BUILD)/core/%.d)

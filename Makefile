# SPDX-License-Identifier: MIT
#
# Every build, run and test target of the hypervisor. The README's two commands are
# `make run` and `make test`; both install what they need first (scripts/install-deps.sh).
#
#   make            build/hv.elf (core, Multiboot2) and build/hv.efi (UEFI loader + core)
#   make run        boot hv.efi under QEMU 10 + OVMF with a scalable-mode intel-iommu
#   make run-bochs  boot hv.elf through GRUB under Bochs (VMX)
#   make test       test-unit, test-qemu, test-bochs, format-check
#   make bench      benchmarks that print figures
#   make format     reformat the tree with .clang-format

BUILD    ?= build
HOSTED_CC ?= gcc
CC       := gcc
LD       := ld
NASM     := nasm
OBJCOPY  := objcopy
Q        ?= @

NEWLIB   := $(BUILD)/newlib
LIBC     := $(NEWLIB)/lib/libc.a
GCC_INC  := $(shell $(CC) -print-file-name=include)

.DEFAULT_GOAL := all
.PHONY: all deps run run-bochs test test-unit test-qemu test-bochs format format-check \
	bench test-fuzz-smoke clean distclean

# Fuzz smoke runs come from tests/fuzz/fuzz.mk (short libFuzzer runs inside make test).
test-fuzz-smoke:


# ---------------------------------------------------------------------------------------
# Dependencies: Debian packages only, installed when missing (idempotent, quiet when done).
deps:
	$(Q)scripts/install-deps.sh

$(LIBC):
	$(Q)scripts/build-newlib.sh $(NEWLIB)

# ---------------------------------------------------------------------------------------
# The core: hv.elf. Freestanding, higher half (-mcmodel=kernel), no SSE/x87 anywhere
# (-mgeneral-regs-only): the guest owns the FPU state.
CORE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-fno-strict-aliasing -nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-I. -DHV_CORE
CORE_NASMFLAGS := -f elf64 -g -F dwarf -I$(BUILD)/ -Ihv/

CORE_C_SRCS   := $(filter-out hv/asm_offsets.c,$(sort $(wildcard hv/*.c iommu/*.c boot/mb2/*.c)))
CORE_ASM_SRCS := $(sort $(wildcard hv/*.asm boot/mb2/*.asm))
CORE_OBJS     := $(CORE_C_SRCS:%.c=$(BUILD)/core/%.o) $(CORE_ASM_SRCS:%.asm=$(BUILD)/core/%.asm.o)

$(BUILD)/asm-offsets.inc: hv/asm_offsets.c hv/boot_info.h hv/layout.h | $(LIBC)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CORE_CFLAGS) -S -o $(BUILD)/asm-offsets.s $<
	$(Q)sed -n 's/.*"->\([A-Za-z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9]*\)".*/%define \1 \2/p' \
		$(BUILD)/asm-offsets.s > $@.tmp && mv $@.tmp $@

$(BUILD)/core/%.o: %.c | $(LIBC)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CORE_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/core/%.asm.o: %.asm $(BUILD)/asm-offsets.inc
	@mkdir -p $(@D)
	$(Q)$(NASM) $(CORE_NASMFLAGS) -MD $@.d -o $@ $<

$(BUILD)/linker.ld: linker.ld hv/layout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c -I. -D__ASSEMBLER__ -o $@ $<

$(BUILD)/hv.elf: $(CORE_OBJS) $(BUILD)/linker.ld $(LIBC)
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack --no-relax --no-warn-rwx-segments \
		-T $(BUILD)/linker.ld -Map $(BUILD)/hv.map -o $@.tmp $(CORE_OBJS) $(LIBC)
	$(Q)scripts/check-no-fpu.sh $@.tmp
	$(Q)mv $@.tmp $@
	@echo "  LD      $@ ($$(stat -c %s $@) bytes)"

-include $(CORE_OBJS:.o=.d) $(wildcard $(BUILD)/core/*/*.asm.o.d $(BUILD)/core/*/*/*.asm.o.d)

all: $(BUILD)/hv.elf $(BUILD)/guest/test-guest.elf

# ---------------------------------------------------------------------------------------
# Parts owned by their folders.
-include boot/efi/efi.mk
-include tests/unit/unit.mk
-include tests/model/model.mk
-include tests/unit/iommu.mk
-include tests/unit/vsva.mk
-include tests/unit/vvtd.mk
-include tests/qemu/qemu.mk
-include tests/bochs/bochs.mk
-include tests/bochs/hv-model.mk
-include guest/guest.mk
-include tests/bench/bench.mk
-include tests/bench/vmx.mk
-include tests/bench/vsva.mk
-include tests/bench/vsva_hc.mk
-include tests/bench/vvtd.mk
-include tests/fuzz/fuzz.mk

# Each fragment adds its own prerequisites: bench: bench-xxx, test-fuzz-smoke: ...
bench:
	@echo "bench: done"

# ---------------------------------------------------------------------------------------
test: deps
	$(Q)$(MAKE) --no-print-directory test-unit
	$(Q)$(MAKE) --no-print-directory test-qemu
	$(Q)$(MAKE) --no-print-directory test-bochs
	$(Q)$(MAKE) --no-print-directory test-fuzz-smoke
	$(Q)$(MAKE) --no-print-directory format-check

FORMAT_SRCS = $(shell git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null)

format:
	$(Q)clang-format -i $(FORMAT_SRCS)

format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_SRCS) && \
		echo "format-check: $(words $(FORMAT_SRCS)) files clean"

clean:
	rm -rf $(filter-out $(NEWLIB),$(wildcard $(BUILD)/*))

distclean:
	rm -rf $(BUILD)

# SPDX-License-Identifier: MIT
#
# The guests the integration tests boot. Included by the root Makefile, or run alone:
#   make -f guest/guest.mk guest
#
#   guest                  every guest image
#   $(GUEST_TEST_ELF)      build/guest/test-guest.elf: the Multiboot2-module test kernel
#                          (tests/bochs/test-vmx.sh boots it under hv.elf)

BUILD ?= build
Q     ?= @
GUEST_CC   ?= gcc
GUEST_LD   ?= ld
GUEST_NASM ?= nasm

GUEST_BUILD    := $(BUILD)/guest
GUEST_TEST_ELF := $(GUEST_BUILD)/test-guest.elf
GUEST_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-mcmodel=small -nostdinc -isystem $(shell $(GUEST_CC) -print-file-name=include) -I.
# Every guest/test/*.c and *.asm: a file added there is linked without editing this.
GUEST_TEST_OBJS := $(patsubst guest/test/%.asm,$(GUEST_BUILD)/test/%.asm.o,\
	$(sort $(wildcard guest/test/*.asm))) \
	$(patsubst guest/test/%.c,$(GUEST_BUILD)/test/%.o,$(sort $(wildcard guest/test/*.c)))

.PHONY: guest
guest: $(GUEST_TEST_ELF)

$(GUEST_BUILD)/test/%.asm.o: guest/test/%.asm
	@mkdir -p $(@D)
	$(Q)$(GUEST_NASM) -f elf64 -g -o $@ $<

$(GUEST_BUILD)/test/%.o: guest/test/%.c guest/include/vsva_hv.h $(wildcard guest/test/*.h)
	@mkdir -p $(@D)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_TEST_ELF): $(GUEST_TEST_OBJS) guest/test/guest.ld
	$(Q)$(GUEST_LD) -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
		-T guest/test/guest.ld -o $@ $(GUEST_TEST_OBJS)
	@echo "  LD      $@"

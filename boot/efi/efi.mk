# SPDX-License-Identifier: MIT
#
# hv.efi: the GNU-EFI loader (boot/efi) with hv.elf embedded. Included by the root
# Makefile, which defines BUILD, CC, LD, NASM, OBJCOPY, Q, NEWLIB, LIBC and GCC_INC.
#
# Built the GNU-EFI way: position-independent objects linked into a shared object with
# gnu-efi's crt0 and linker script, then converted to PE32+ (efi-app-x86_64). The
# firmware loads the PE anywhere; gnu-efi's _relocate applies the R_X86_64_RELATIVE
# relocations at start and skips every other kind, so the build fails when the .so has
# any other (efi-check-relocs below).
#
# Calling convention: GNU_EFI_USE_MS_ABI makes EFIAPI __attribute__((ms_abi)), so
# firmware services are called directly; the loader's own code stays System V.

EFI_DIR      := $(BUILD)/efi
EFI_LIBDIR   ?= /usr/lib
EFI_INCDIR   ?= /usr/include/efi
EFI_CRT0     := $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_LDS      := $(EFI_LIBDIR)/elf_x86_64_efi.lds

# -mgeneral-regs-only: the loader's own code never touches SSE, so nothing of the
# loader's can disturb the state the core treats as guest state (libefi itself uses SSE).
EFI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-strict-aliasing -fno-builtin -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -DHV_EFI_LOADER \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-isystem $(EFI_INCDIR) -isystem $(EFI_INCDIR)/x86_64 -isystem $(EFI_INCDIR)/protocol \
	-I.

# -z nodynamic-undefined-weak: an undefined weak symbol must not become a dynamic
# relocation (platforms.md). --no-undefined: -shared would otherwise accept a missing
# function and leave it to a runtime crash.
EFI_LDFLAGS := -nostdlib -shared -Bsymbolic -znocombreloc -z nodynamic-undefined-weak \
	--no-undefined -T $(EFI_LDS)

EFI_C_SRCS := $(sort $(wildcard boot/efi/*.c)) hv/memmap.c
EFI_OBJS   := $(EFI_C_SRCS:%.c=$(EFI_DIR)/%.o) $(EFI_DIR)/boot/efi/payload.o

# Sections of the .so that make up the PE image (gnu-efi's Make.rules).
EFI_PE_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j .rel.* -j .rela.* -j .reloc

$(EFI_DIR)/%.o: %.c | $(LIBC)
	@mkdir -p $(@D)
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -MP -c -o $@ $<

# The embedded core, without debug data (the loader needs the program headers only).
$(EFI_DIR)/hv-core.elf: $(BUILD)/hv.elf
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-debug $< $@

$(EFI_DIR)/boot/efi/payload.o: boot/efi/payload.asm $(EFI_DIR)/hv-core.elf
	@mkdir -p $(@D)
	$(Q)$(NASM) -f elf64 -DHV_ELF_PATH='"$(EFI_DIR)/hv-core.elf"' -o $@ $<

# libefi.a defines memcpy and memset too: weak here, so that a strong definition wins.
$(EFI_DIR)/libefi.a: $(EFI_LIBDIR)/libefi.a
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --weaken-symbol=memcpy --weaken-symbol=memset $< $@

$(EFI_DIR)/hv.so: $(EFI_OBJS) $(EFI_DIR)/libefi.a $(EFI_CRT0) $(EFI_LDS) $(LIBC) \
		boot/efi/check-relocs.sh
	$(Q)$(LD) $(EFI_LDFLAGS) -o $@.tmp $(EFI_CRT0) $(EFI_OBJS) $(EFI_DIR)/libefi.a \
		$(EFI_LIBDIR)/libgnuefi.a $(LIBC)
	$(Q)boot/efi/check-relocs.sh $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/hv.efi: $(EFI_DIR)/hv.so
	$(Q)$(OBJCOPY) $(EFI_PE_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@
	@echo "  EFI     $@ ($$(stat -c %s $@) bytes)"

-include $(EFI_C_SRCS:%.c=$(EFI_DIR)/%.d)

all: $(BUILD)/hv.efi

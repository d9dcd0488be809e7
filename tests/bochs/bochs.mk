# SPDX-License-Identifier: MIT
#
# Bochs 2.7 runs: hv.elf booted by GRUB through Multiboot2, VMX on a tigerlake CPU.
# Included by the root Makefile.
#
#   make run-bochs    boot once; COM1 on the terminal and in build/bochs/run.log
#                     BOCHS_CMDLINE="..."  the core's command line
#                     BOCHS_MODULES="file[:args] ..."  module2 lines
#                     BOCHS_CPUS=N  BOCHS_MEMORY=MiB  BOCHS_TIMEOUT=seconds
#   make test-bochs   tests/bochs/test-boot.sh: boots and checks the COM1 logs (TAP)

BOCHS_DIR     := $(BUILD)/bochs
BOCHS_CMDLINE ?=
BOCHS_MODULES ?=
BOCHS_CPUS    ?= 1
BOCHS_MEMORY  ?= 512
BOCHS_TIMEOUT ?= 120

run-bochs: deps $(BUILD)/hv.elf
	$(Q)tests/bochs/run-bochs.sh --elf $(BUILD)/hv.elf --log $(BOCHS_DIR)/run.log --show \
		--cmdline "$(BOCHS_CMDLINE)" --cpus $(BOCHS_CPUS) --memory $(BOCHS_MEMORY) \
		--timeout $(BOCHS_TIMEOUT) $(foreach m,$(BOCHS_MODULES),--module "$(m)")

test-bochs: deps $(BUILD)/hv.elf $(BUILD)/guest/test-guest.elf
	$(Q)tests/bochs/test-boot.sh --elf $(BUILD)/hv.elf --dir $(BOCHS_DIR)
	$(Q)tests/bochs/test-vmx.sh --elf $(BUILD)/hv.elf --guest $(BUILD)/guest/test-guest.elf \
		--dir $(BOCHS_DIR)

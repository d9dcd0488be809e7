# SPDX-License-Identifier: MIT
#
# Bochs 2.7 runs: hv.elf booted by GRUB through Multiboot2, VMX on a tigerlake CPU.
# Included by the root Makefile.
#
#   make run-bochs    boot once; COM1 on the terminal and in build/bochs/run.log
#                     BOCHS_CMDLINE="..."  the core's command line
#                     BOCHS_GUEST=file BOCHS_GUEST_ARGS="..."  module 0, the guest
#                     BOCHS_MODULES="file[:args] ..."  more module2 lines
#                     BOCHS_CPUS=N  BOCHS_MEMORY=MiB  BOCHS_TIMEOUT=seconds
#   make test-bochs   tests/bochs/test-boot.sh: boots and checks the COM1 logs (TAP)

BOCHS_DIR     := $(BUILD)/bochs
BOCHS_CMDLINE ?=
# The guest: module 0, by default the test guest (guest/test), which checks the ABI
# from inside the VM. BOCHS_GUEST= (empty) boots the core alone. BOCHS_MODULES adds more.
BOCHS_GUEST      ?= $(BUILD)/guest/test-guest.elf
BOCHS_GUEST_ARGS ?= tap-guest probe=hv
BOCHS_MODULES    ?=
BOCHS_CPUS    ?= 1
BOCHS_MEMORY  ?= 512
BOCHS_TIMEOUT ?= 120

run-bochs: deps $(BUILD)/hv.elf $(BUILD)/guest/test-guest.elf
	$(Q)tests/bochs/run-bochs.sh --elf $(BUILD)/hv.elf --log $(BOCHS_DIR)/run.log --show \
		--cmdline "$(BOCHS_CMDLINE)" --cpus $(BOCHS_CPUS) --memory $(BOCHS_MEMORY) \
		--timeout $(BOCHS_TIMEOUT) \
		$(if $(BOCHS_GUEST),--module "$(BOCHS_GUEST):$(BOCHS_GUEST_ARGS)") \
		$(foreach m,$(BOCHS_MODULES),--module "$(m)")

test-bochs: deps $(BUILD)/hv.elf $(BUILD)/guest/test-guest.elf
	$(Q)tests/bochs/test-boot.sh --elf $(BUILD)/hv.elf --dir $(BOCHS_DIR)
	$(Q)tests/bochs/test-vmx.sh --elf $(BUILD)/hv.elf --guest $(BUILD)/guest/test-guest.elf \
		--dir $(BOCHS_DIR)
	$(Q)$(MAKE) --no-print-directory $(BUILD)/hv-model.elf && tests/bochs/test-vsva.sh --elf $(BUILD)/hv-model.elf --guest $(BUILD)/guest/test-guest.elf --dir $(BUILD)/bochs-vsva
	$(Q)tests/bochs/test-linux.sh --elf $(BUILD)/hv.elf --dir $(BUILD)/bochs-linux
	$(Q)tests/bochs/test-linux.sh --vvtd pt --elf $(BUILD)/hv-model.elf --dir $(BUILD)/bochs-linux
	$(Q)tests/bochs/test-linux.sh --vvtd dma --elf $(BUILD)/hv-model.elf --dir $(BUILD)/bochs-linux
	$(Q)tests/bochs/test-vvtd.sh --elf $(BUILD)/hv-model.elf --guest $(BUILD)/guest/test-guest.elf --dir $(BUILD)/bochs-vvtd

# The Linux guest (Debian's kernel + a tiny initramfs) under the hypervisor on Bochs,
# then the same kernel with intel_iommu=on,sm_on over the virtual VT-d unit
# (hv-model.elf, vvtd=on), with iommu=pt and without (FL on RID_PASID); also part of test-bochs. Downloads the kernel package once
# (scripts/get-linux.sh).
.PHONY: test-linux
test-linux: deps $(BUILD)/hv.elf $(BUILD)/hv-model.elf
	$(Q)tests/bochs/test-linux.sh --elf $(BUILD)/hv.elf --dir $(BUILD)/bochs-linux
	$(Q)tests/bochs/test-linux.sh --vvtd pt --elf $(BUILD)/hv-model.elf --dir $(BUILD)/bochs-linux
	$(Q)tests/bochs/test-linux.sh --vvtd dma --elf $(BUILD)/hv-model.elf --dir $(BUILD)/bochs-linux

# SPDX-License-Identifier: MIT
#
# QEMU 10 + OVMF runs of hv.efi. Included by the root Makefile (BUILD, Q).
#
#   make run        boot once (scalable-mode intel-iommu), COM1 on the terminal and in
#                   build/qemu/run.log; ends by itself (the command line says "poweroff")
#   make test-qemu  tests/qemu/test-boot.sh: three boots, TAP lines, "N passed, M failed"
#
# Variables: QEMU_IOMMU (intel-iommu options, default x-scalable-mode=on),
# QEMU_CMDLINE (the core's command line, default "poweroff"), QEMU_TIMEOUT (s, 120).

QEMU_IOMMU   ?= x-scalable-mode=on
QEMU_CMDLINE ?= poweroff
QEMU_TIMEOUT ?= 120

run: deps $(BUILD)/hv.efi
	$(Q)tests/qemu/run-qemu.sh --efi $(BUILD)/hv.efi --name run --log $(BUILD)/qemu/run.log \
		--stdio --cmdline "$(QEMU_CMDLINE)" --iommu "$(QEMU_IOMMU)" --timeout $(QEMU_TIMEOUT)

test-qemu: $(BUILD)/hv.efi
	$(Q)tests/qemu/test-boot.sh --efi $(BUILD)/hv.efi
	$(Q)tests/qemu/test-smp.sh --efi $(BUILD)/hv.efi
	$(Q)tests/qemu/test-vtd.sh --efi $(BUILD)/hv.efi
	$(Q)tests/qemu/test-vsva.sh --efi $(BUILD)/hv.efi
	$(Q)$(MAKE) --no-print-directory $(BUILD)/unit/diff_model
	$(Q)tests/qemu/test-diff.sh --efi $(BUILD)/hv.efi --model $(BUILD)/unit/diff_model

# SPDX-License-Identifier: MIT
#
# vvtd.mk - `make bench-vvtd`: the virtual VT-d unit on Bochs (TSC ticks = instructions,
# clock sync=none): ticks per emulated register read (EPT violation, instruction decode,
# vvtd_mmio, RIP advance, resume), per IQT write of 1 and of 32 descriptors, and VM exits
# per IQT write, from tests/bochs/test-vvtd.sh's guest lines "# guest: bench: vvtd ...".
# Include it from the root Makefile after tests/bench/bench.mk:
#   -include tests/bench/vvtd.mk
# It adds `bench: bench-vvtd`.

.PHONY: bench-vvtd

bench: bench-vvtd

bench-vvtd: deps $(BUILD)/hv-model.elf $(BUILD)/guest/test-guest.elf
	$(Q)tests/bochs/test-vvtd.sh --elf $(BUILD)/hv-model.elf \
		--guest $(BUILD)/guest/test-guest.elf --dir $(BUILD)/bench-vvtd >/dev/null; \
	echo "virtual VT-d unit on Bochs (TSC ticks = emulated instructions)"; \
	tr -d '\r' <$(BUILD)/bench-vvtd/live.log | sed -n 's/^# guest: bench: vvtd /  /p'

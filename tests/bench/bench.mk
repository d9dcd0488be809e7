# SPDX-License-Identifier: MIT
#
# bench.mk - benchmarks that print figures (`make bench`). Included by the root Makefile.
#
#   bench-iommu  SL map rates (4 KiB / 2 MiB / 1 GiB) against memset, SL table memory for
#                identity maps, callgrind instruction counts of one 4-KiB map and unmap,
#                and QI descriptors per typical flush (over the VT-d model)
#   bench-size   build/hv.elf, build/hv.efi and the core's sections
#
# Speed is measured here, never in tests (shared/conventions.md). Seconds vary between
# runs; instruction counts (callgrind) and descriptor counts do not.

BENCH_BUILD := $(BUILD)/bench
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -DHV_HOSTED \
	-fno-omit-frame-pointer
VALGRIND ?= valgrind

.PHONY: bench-iommu bench-iommu-slpt bench-iommu-callgrind bench-iommu-qi bench-size

bench: bench-iommu bench-size

# ---- bench-iommu ----------------------------------------------------------------------
# iommu/slpt.c alone, -O2, no sanitizers, over malloc'd frames (tests/bench/bench_slpt.c).
$(BENCH_BUILD)/slpt.o: iommu/slpt.c $(wildcard iommu/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_BUILD)/bench_slpt: tests/bench/bench_slpt.c $(BENCH_BUILD)/slpt.o $(wildcard iommu/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_BUILD)/slpt.o

# The queue part runs the driver against the VT-d model (the hosted test library).
$(BENCH_BUILD)/bench_qi: tests/bench/bench_qi.c $(IOMMU_HOSTED_LIB) $(MODEL_LIB) $(IOMMU_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(IOMMU_HOSTED_CFLAGS) -o $@ $< $(IOMMU_HOSTED_LIB) $(MODEL_LIB) \
		-fsanitize=address,undefined

bench-iommu-slpt: $(BENCH_BUILD)/bench_slpt
	$(Q)$<

bench-iommu-callgrind: $(BENCH_BUILD)/bench_slpt
	$(Q)rm -rf $(BENCH_BUILD)/callgrind && mkdir -p $(BENCH_BUILD)/callgrind
	$(Q)$(VALGRIND) --tool=callgrind --collect-atstart=no -q \
		--callgrind-out-file=$(BENCH_BUILD)/callgrind/cg.out $< --callgrind
	$(Q)echo "SL instructions (callgrind, Ir; one call each, 4-level tree, repeatable)"; \
	printf '  %-14s %12s  %s\n' "operation" "instructions" "what"; \
	for f in $(BENCH_BUILD)/callgrind/cg.out.*; do \
		name=$$(sed -n 's/^desc: Trigger: Client Request: //p' $$f); \
		ir=$$(sed -n 's/^summary: //p;s/^totals: //p' $$f | head -1); \
		case $$name in \
		map-4k-cold) what="vtd_slpt_map, 4 KiB into an empty tree (3 tables allocated)";; \
		map-4k-warm) what="vtd_slpt_map, 4 KiB next to a mapped page";; \
		unmap-4k) what="vtd_slpt_unmap, 4 KiB";; \
		*) what="";; \
		esac; \
		[ -n "$$name" ] && printf '  %-14s %12s  %s\n' "$$name" "$$ir" "$$what"; \
	done; echo

bench-iommu-qi: $(BENCH_BUILD)/bench_qi
	$(Q)$<

# Sequential: each part prints its own table.
bench-iommu:
	$(Q)$(MAKE) --no-print-directory bench-iommu-slpt
	$(Q)$(MAKE) --no-print-directory bench-iommu-callgrind
	$(Q)$(MAKE) --no-print-directory bench-iommu-qi

# ---- bench-size -----------------------------------------------------------------------
bench-size: $(BUILD)/hv.elf $(BUILD)/hv.efi
	$(Q)echo "Image size (bytes)"; \
	printf '  %-28s %10s\n' "file / section" "bytes"; \
	printf '  %-28s %10s\n' "$(BUILD)/hv.elf (file)" "$$(stat -c %s $(BUILD)/hv.elf)"; \
	printf '  %-28s %10s\n' "$(BUILD)/hv.efi (file)" "$$(stat -c %s $(BUILD)/hv.efi)"; \
	size -A $(BUILD)/hv.elf | awk ' \
		$$1 ~ /^\.text/ { text += $$2 } \
		$$1 ~ /^\.rodata/ { ro += $$2 } \
		$$1 ~ /^\.data/ { data += $$2 } \
		$$1 ~ /^\.bss/ { bss += $$2 } \
		$$1 !~ /^\.(debug|comment|note|symtab|strtab|shstrtab)/ && $$1 ~ /^\./ { load += $$2 } \
		END { \
			printf "  %-28s %10d\n", "hv.elf .text", text; \
			printf "  %-28s %10d\n", "hv.elf .rodata", ro; \
			printf "  %-28s %10d\n", "hv.elf .data", data; \
			printf "  %-28s %10d\n", "hv.elf .bss", bss; \
			printf "  %-28s %10d\n", "hv.elf allocated (no debug)", load; \
		}'; \
	echo "  (size -A $(BUILD)/hv.elf, allocated sections:)"; \
	size -A $(BUILD)/hv.elf | awk '$$1 ~ /^\./ && $$1 !~ /^\.(debug|comment|note|symtab|strtab|shstrtab)/ \
		{ printf "    %-26s %10d\n", $$1, $$2 }'; \
	echo

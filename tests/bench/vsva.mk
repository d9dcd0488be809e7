# SPDX-License-Identifier: MIT
#
# vsva.mk - `make bench-vsva`: instructions per 4-KiB page that software nesting
# (hv/vsva_shadow.c) shadows, under callgrind (Ir; repeatable), for the eager build at
# bind, a one-page and a 512-page range invalidation and a PASID-wide one. Include it
# from the root Makefile after tests/bench/bench.mk:
#   -include tests/bench/vsva.mk
# It adds `bench: bench-vsva`.

BENCH_VSVA_SRCS := hv/vsva_shadow.c hv/guest_map.c iommu/flpt.c iommu/slpt.c
BENCH_VSVA_OBJS := $(BENCH_VSVA_SRCS:%.c=$(BENCH_BUILD)/vsva/%.o)

.PHONY: bench-vsva

bench: bench-vsva

$(BENCH_BUILD)/vsva/%.o: %.c $(wildcard hv/vsva_shadow.h hv/guest_map.h iommu/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_BUILD)/bench_vsva: tests/bench/bench_vsva.c $(BENCH_VSVA_OBJS)
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_VSVA_OBJS)

bench-vsva: $(BENCH_BUILD)/bench_vsva
	$(Q)rm -rf $(BENCH_BUILD)/callgrind-vsva && mkdir -p $(BENCH_BUILD)/callgrind-vsva
	$(Q)$(VALGRIND) --tool=callgrind --collect-atstart=no -q \
		--callgrind-out-file=$(BENCH_BUILD)/callgrind-vsva/cg.out $<
	$(Q)echo "software nesting (callgrind, Ir; 4-KiB guest and SL pages, repeatable)"; \
	printf '  %-10s %12s %10s  %s\n' "operation" "instructions" "per page" "what"; \
	for f in $(BENCH_BUILD)/callgrind-vsva/cg.out.*; do \
		name=$$(sed -n 's/^desc: Trigger: Client Request: //p' $$f); \
		ir=$$(sed -n 's/^summary: //p;s/^totals: //p' $$f | head -1); \
		case $$name in \
		bind-512) n=512; what="eager shadow at bind, empty shadow (3 tables allocated)";; \
		inv-1) n=1; what="page-selective invalidation: unmap, walk, map";; \
		inv-512) n=512; what="512-page range invalidation (one guest PT)";; \
		whole-512) n=512; what="PASID-wide invalidation: tables freed, all re-walked";; \
		*) n=1; what="";; \
		esac; \
		[ -n "$$name" ] && printf '  %-10s %12s %10s  %s\n' "$$name" "$$ir" "$$((ir / n))" "$$what"; \
	done; echo

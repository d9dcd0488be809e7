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

# ---- hosted instructions per vSVA hypercall (tests/bench/bench_vsva_calls.c) -----------
# The calls through hypercall_dispatch() over the VT-d model, -O2, no sanitizers. Each
# call's dump is split: "total" (all Ir), "model" (inclusive Ir of every call from code
# outside tests/model/ into it, the simulated hardware: registers, queue, memory
# mirrors), "hosted" = total - model (decoder, vSVA core, driver, env glue).
BENCH_VSVA_CALLS_SRCS := hv/vsva.c hv/vsva_hc.c hv/vsva_shadow.c hv/pasid_space.c \
	hv/pasid_xlate.c hv/hypercall.c hv/guest_map.c hv/mtrr.c $(sort $(wildcard iommu/*.c)) \
	tests/unit/support/hosted.c tests/unit/support/iommu_env_model.c \
	tests/unit/support/vsva_test_env.c $(sort $(wildcard tests/model/*.c))
BENCH_VSVA_CALLS_OBJS := $(BENCH_VSVA_CALLS_SRCS:%.c=$(BENCH_BUILD)/vsva-calls/%.o)
# awk over one callgrind dump: the Ir of calls from outside tests/model/ into it (names
# compressed as "(id) name", callgrind format spec; a call's cost line ends in its Ir).
BENCH_VSVA_MODEL_AWK := function nm(s, t) { if (match(s, /^\([0-9]+\)/)) { i = substr(s, 1, \
	RLENGTH); if (length(s) > RLENGTH) t[i] = substr(s, RLENGTH + 2); return t[i] } \
	return s } /^fl=/ { fl = nm(substr($$0, 4), F); cf = fl; next } \
	/^f[ie]=/ { nm(substr($$0, 4), F); next } /^fn=/ { nm(substr($$0, 4), N); cf = fl; \
	next } /^cfn=/ { nm(substr($$0, 5), N); next } /^cf[il]=/ { cf = nm(substr($$0, 5), \
	F); next } /^calls=/ { getline; if (cf ~ /tests\/model\// && fl !~ /tests\/model\//) \
	s += $$NF; cf = fl; next } END { print s + 0 }

.PHONY: bench-vsva-calls

bench-vsva: bench-vsva-calls

$(BENCH_BUILD)/vsva-calls/%.o: %.c $(wildcard hv/*.h iommu/*.h tests/model/*.h) \
		guest/include/vsva_hv.h tests/unit/support/vsva_test_env.h
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -Itests/model -c -o $@ $<

$(BENCH_BUILD)/bench_vsva_calls: tests/bench/bench_vsva_calls.c $(BENCH_VSVA_CALLS_OBJS) \
		tests/unit/support/vsva_test_env.h
	@mkdir -p $(@D)
	$(Q)$(HOSTED_CC) $(BENCH_CFLAGS) -Itests/model -o $@ $< $(BENCH_VSVA_CALLS_OBJS)

bench-vsva-calls: $(BENCH_BUILD)/bench_vsva_calls
	$(Q)d=$(BENCH_BUILD)/callgrind-vsva-calls; rm -rf $$d && mkdir -p $$d && \
	$(VALGRIND) --tool=callgrind --collect-atstart=no -q --callgrind-out-file=$$d/cg.out $< && \
	echo "vSVA hypercalls, one run each (callgrind Ir; hosted = total - VT-d model)" && \
	printf '  %-10s %10s %10s %10s\n' "call" "hosted" "model" "total" && \
	for f in $$(ls $$d/cg.out.* | sort -V); do \
		name=$$(sed -n 's/^desc: Trigger: Client Request: //p' $$f); \
		[ -n "$$name" ] || continue; \
		tot=$$(sed -n 's/^summary: //p;s/^totals: //p' $$f | head -1); \
		mod=$$(awk '$(BENCH_VSVA_MODEL_AWK)' $$f); \
		printf '  %-10s %10s %10s %10s\n' "$$name" "$$((tot - mod))" "$$mod" "$$tot"; \
	done; echo

// SPDX-License-Identifier: MIT
/*
 * bench_qi.c - queued-invalidation cost of typical flushes (iommu/qi.c): descriptors per
 * submission (the closing wait included) and submissions per flush, read from the
 * queue's counters (struct vtd_qi) while the VT-d reference model runs the queue.
 * Counts are exact and repeatable; no time is measured here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/qi.h"
#include "iommu/root.h"
#include "iommu/vtd.h"
#include "tests/unit/support/iommu_env_model.h"

#define DID  7
#define SID  VTD_SID(0, 3, 0)
#define PFSD VTD_SID(0, 3, 0)

struct unit {
	const char *name;
	struct model_unit *m;
	struct vtd_unit u;
};

static void unit_up(struct unit *x, const char *name, struct model_config c)
{
	x->name = name;
	x->m = model_create(&c);
	if (!x->m) {
		fprintf(stderr, "bench_qi: model_create failed\n");
		exit(1);
	}
	env_attach(x->m);
	if (vtd_unit_init(&x->u, 0, env_reg_base()) || vtd_unit_enable(&x->u)) {
		fprintf(stderr, "bench_qi: unit bring-up failed\n");
		exit(1);
	}
}

static void unit_down(struct unit *x)
{
	vtd_unit_disable(&x->u);
	env_detach();
	model_destroy(x->m);
}

static void row(struct unit *x, const char *what, const struct vtd_flush *f)
{
	uint64_t sub = x->u.qi.submissions, desc = x->u.qi.descriptors;
	int r = f ? vtd_flush_after_change(&x->u, f) : vtd_flush_global(&x->u);

	if (r) {
		fprintf(stderr, "bench_qi: %s: flush failed: %d\n", what, r);
		exit(1);
	}
	printf("  %-8s %-46s %11llu %12llu\n", x->name, what,
	       (unsigned long long)(x->u.qi.submissions - sub),
	       (unsigned long long)(x->u.qi.descriptors - desc));
}

static struct vtd_flush sl(iova_t addr, uint64_t pages, bool leaf)
{
	struct vtd_flush f = {
		.what = VTD_FLUSH_SL | (leaf ? VTD_FLUSH_LEAF : 0),
		.did = DID,
		.sid = SID,
		.pasid = VTD_NO_PASID,
		.addr = addr,
		.pages = pages,
	};
	return f;
}

static void rows_common(struct unit *x)
{
	struct vtd_flush f;

	f = sl(0x200000, 1, true);
	row(x, "SL unmap, 1 page (page-selective, IH)", &f);
	f = sl(0x200000, 32, true);
	row(x, "SL unmap, 32 pages aligned (AM 5)", &f);
	f = sl(0x200000, 512, true);
	row(x, "SL unmap, 512 pages aligned (AM 9)", &f);
	f = sl(0x1ff000, 3, true);
	row(x, "SL unmap, 3 pages across 2 MiB (widened)", &f);
	f = sl(0, 262144, false);
	row(x, "SL unmap, 1 GiB (past MAMV: domain)", &f);
	f = sl(0x200000, 32, false);
	f.what |= VTD_FLUSH_DEVTLB;
	f.pfsid = PFSD;
	f.qdep = 32;
	row(x, "SL unmap, 32 pages, ATS device (+devTLB)", &f);
	f = sl(0, 0, false);
	f.what = VTD_FLUSH_CONTEXT;
	row(x, "context entry change (vtd_flush_after_change)", &f);
	row(x, "global (vtd_flush_global)", NULL);
}

static void rows_scalable(struct unit *x)
{
	struct vtd_flush f = sl(0, 0, false);

	f.what = VTD_FLUSH_PASID | VTD_FLUSH_FL;
	f.pasid = 5;
	row(x, "PASID entry change (PASID 5, FL)", &f);
	f.what = VTD_FLUSH_FL | VTD_FLUSH_LEAF;
	f.addr = 0x200000;
	f.pages = 32;
	row(x, "FL unmap, 32 pages of PASID 5 (P_IOTLB)", &f);
	f.what |= VTD_FLUSH_DEVTLB;
	f.pfsid = PFSD;
	f.qdep = 32;
	row(x, "FL unmap, 32 pages, ATS (+PASID devTLB)", &f);
}

int main(void)
{
	struct unit x;

	printf("QI descriptors per flush (iommu/qi.c over the VT-d model; each submission is\n"
	       "one batch closed by one wait descriptor, counted in 'descriptors')\n");
	printf("  %-8s %-46s %11s %12s\n", "mode", "flush", "submissions", "descriptors");
	unit_up(&x, "legacy", model_cfg_legacy());
	rows_common(&x);
	unit_down(&x);
	unit_up(&x, "scalable", model_cfg_scalable());
	rows_common(&x);
	rows_scalable(&x);
	unit_down(&x);
	printf("\n");
	return 0;
}

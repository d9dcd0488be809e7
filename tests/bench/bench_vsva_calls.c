// SPDX-License-Identifier: MIT
/*
 * bench_vsva_calls.c - hosted instructions of each vSVA hypercall (hv/vsva_hc.c,
 * hv/vsva.c, the VT-d driver iommu/) through hypercall_dispatch(), -O2, no sanitizers,
 * under callgrind (`make bench-vsva`). The VT-d model (tests/model/) stands in for the
 * hardware: its cost is subtracted by the rule in tests/bench/vsva.mk (the inclusive
 * cost of every call from outside tests/model/ into it), so what remains is the
 * decoder, the vSVA core, the driver and the hosted environment's glue.
 *
 * One run of each call, in a guest's lifecycle order; each is collected alone and
 * dumped under its name (CALLGRIND_DUMP_STATS_AT):
 *   caps, alloc, attach, bind (hardware nesting, 4-level), inv-1 (one P_IOTLB page
 *   request), inv-32 (32 page requests, one submission), translate (a 4-level walk),
 *   unbind, free, detach.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "guest/include/vsva_hv.h"
#include "hv/guest_map.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vsva_hc.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x40000ull
#define SID_A	 VTD_SID(0, 3, 0)
#define DEV_A	 VSVA_DEVICE(0, 0, (3 << 3))
#define FLF	 VTE_FLF
#define ARG	 0x0000ull  /* RAM offset of the call structures */
#define ROOT	 0x10000ull /* FL tables: root, then 3 more */
#define DATA	 0x20000ull

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct vsva_test_env env; /* SID_A, the VM, the guest, its hypercalls */

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "bench_vsva_calls: %s failed\n", what);
		exit(1);
	}
}

static void setup(void)
{
	struct vte_config c = { .model = model_cfg_scalable(),
				.ram = ram,
				.ram_size = RAM_SIZE,
				.nr_devs = 1,
				.sid = { SID_A },
				.hypercalls = true,
				.pasid_translation = true };

	if (vte_setup(&env, &c))
		must(false, env.failed);
}

/* One hypercall, collected alone and dumped as @name; returns its result. */
static int64_t measured(const char *name, uint64_t nr, uint64_t a0, uint64_t a1)
{
	struct hypercall_args a = { nr, a0, a1, 0, 0 };
	int64_t r;

	CALLGRIND_ZERO_STATS;
	CALLGRIND_TOGGLE_COLLECT;
	r = hypercall_dispatch(&env.vcpu, &a);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(name);
	if (r < 0) {
		fprintf(stderr, "bench_vsva_calls: %s returned %lld\n", name, (long long)r);
		exit(1);
	}
	return r;
}

/* A 4-level guest FL walk GVA 0..31 pages -> DATA pages, tables from ROOT on. */
static void guest_process(void)
{
	uint64_t *l4 = (uint64_t *)(ram + ROOT), *l3 = l4 + 512, *l2 = l3 + 512, *l1 = l2 + 512;

	memset(ram + ROOT, 0, 4 * 4096);
	l4[0] = (RAM_GPA + ROOT + 0x1000) | FLF;
	l3[0] = (RAM_GPA + ROOT + 0x2000) | FLF;
	l2[0] = (RAM_GPA + ROOT + 0x3000) | FLF;
	for (unsigned int i = 0; i < 32; i++)
		l1[i] = (RAM_GPA + DATA + i * 4096ull) | FLF;
}

static void inv_arg(uint32_t pasid, unsigned int n)
{
	struct vsva_invalidate *v = (struct vsva_invalidate *)(ram + ARG);

	memset(v, 0, VSVA_INVALIDATE_SIZE(n));
	v->size = VSVA_INVALIDATE_SIZE(n);
	v->count = n;
	for (unsigned int i = 0; i < n; i++)
		v->req[i] = (struct vsva_inv_req){ .type = VSVA_INV_IOTLB,
						   .pasid = pasid,
						   .device = DEV_A,
						   .addr = i * 4096ull,
						   .pages = 1 };
}

int main(void)
{
	struct vsva_bind *b = (struct vsva_bind *)(ram + ARG);
	struct vsva_translate *t = (struct vsva_translate *)(ram + ARG);
	uint32_t p;

	setup();
	guest_process();

	memset(ram + ARG, 0, 4096);
	*(uint32_t *)(ram + ARG) = VSVA_CAPABILITIES_SIZE_V2;
	measured("caps", VSVA_HC_CAPABILITIES, RAM_GPA + ARG, 0);
	p = (uint32_t)measured("alloc", VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	measured("attach", VSVA_HC_DEVICE_ATTACH, DEV_A, 0);

	memset(ram + ARG, 0, 4096);
	*b = (struct vsva_bind){ .size = VSVA_BIND_SIZE_V1,
				 .pasid = p,
				 .device = DEV_A,
				 .flptr = RAM_GPA + ROOT,
				 .paging_levels = 4 };
	measured("bind", VSVA_HC_BIND, RAM_GPA + ARG, 0);

	inv_arg(p, 1);
	measured("inv-1", VSVA_HC_INVALIDATE, RAM_GPA + ARG, 0);
	inv_arg(p, 32);
	measured("inv-32", VSVA_HC_INVALIDATE, RAM_GPA + ARG, 0);

	memset(ram + ARG, 0, 4096);
	*t = (struct vsva_translate){
		.size = VSVA_TRANSLATE_SIZE_V1, .pasid = p, .device = DEV_A, .addr = 0x3000
	};
	measured("translate", VSVA_HC_TRANSLATE, RAM_GPA + ARG, 0);
	must(t->status == VSVA_XLATE_OK, "translate status");

	measured("unbind", VSVA_HC_UNBIND, DEV_A, p);
	measured("free", VSVA_HC_PASID_FREE, p, 0);
	measured("detach", VSVA_HC_DEVICE_DETACH, DEV_A, 0);
	return 0;
}

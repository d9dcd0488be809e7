// SPDX-License-Identifier: MIT
/*
 * The test guest's vSVA checks (guest/test/vsva.h): the whole flow of docs/hypercall-abi.md
 * through real VMCALLs -- capabilities, PASID allocation (RID-local and shared), device
 * attach, bind of a first-level table this guest builds in its own RAM, a batch of
 * invalidations, the debug walk GVA -> GPA -> HPA, unbind, free, free before unbind, and
 * malformed calls, each of which must change nothing -- then the per-call round-trip
 * costs (Bochs: TSC ticks are instructions). tests/bochs/test-vsva.sh boots it under
 * build/hv-model.elf, where a VT-d model with nesting stands in for the hardware.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest/include/vsva_hv.h"
#include "guest/test/lib.h"
#include "guest/test/vsva.h"

#define HV_IMAGE_GPA 0x1000000ull	       /* hv/layout.h: never guest memory */
#define DEV_A	     VSVA_DEVICE(0, 0, 3 << 3) /* hv/model/model_platform.h 00:03.0 */
#define DEV_B	     VSVA_DEVICE(0, 0, 4 << 3) /* 00:04.0 */
#define DEV_X	     VSVA_DEVICE(0, 0, 5 << 3) /* not the guest's */
#define GVA_BASE     0x40000000ull	       /* where the FL tables map the data pages */
#define FL_FLAGS     0x7ull		       /* P, R/W, U/S */
#define INV_BATCH    32u
#define BENCH_ROUNDS 50u

/* TAP lines (guest/test/lib.h): the numbering continues guest/test/main.c's. */

static void check(bool ok, const char *what)
{
	tap_check("vsva: ", ok, what);
}

static void check_eq(int64_t got, int64_t want, const char *what)
{
	tap_check_eq("vsva: ", got, want, what);
}

static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	int64_t ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "b"(a0), "c"(a1), "d"(0), "S"(0)
			 : "memory");
	return ret;
}

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* the test guest's own pages are mapped 1:1 */
}

/* ---- guest memory: argument structures, FL tables, data pages --------------------- */
static struct vsva_capabilities_v2 caps __attribute__((aligned(4096)));
static struct vsva_statistics_v2 stats __attribute__((aligned(4096)));
static struct vsva_bind bind_arg __attribute__((aligned(4096)));
static struct vsva_translate xlate __attribute__((aligned(4096)));
static union {
	struct vsva_invalidate inv;
	uint8_t raw[VSVA_INVALIDATE_SIZE(VSVA_INV_BATCH_MAX + 1)];
} inv_arg __attribute__((aligned(4096)));
/* A 4-level first-level table (x86 paging) mapping GVA_BASE + 0/4 KiB to data[0/1]. */
static uint64_t fl_pml4[512] __attribute__((aligned(4096)));
static uint64_t fl_pdpt[512] __attribute__((aligned(4096)));
static uint64_t fl_pd[512] __attribute__((aligned(4096)));
static uint64_t fl_pt[512] __attribute__((aligned(4096)));
static uint8_t data[2][4096] __attribute__((aligned(4096)));

static void fl_build(void)
{
	zero(fl_pml4, 4096);
	zero(fl_pdpt, 4096);
	zero(fl_pd, 4096);
	zero(fl_pt, 4096);
	fl_pml4[(GVA_BASE >> 39) & 511] = gpa_of(fl_pdpt) | FL_FLAGS;
	fl_pdpt[(GVA_BASE >> 30) & 511] = gpa_of(fl_pd) | FL_FLAGS;
	fl_pd[(GVA_BASE >> 21) & 511] = gpa_of(fl_pt) | FL_FLAGS;
	fl_pt[(GVA_BASE >> 12) & 511] = gpa_of(data[0]) | FL_FLAGS;
	fl_pt[((GVA_BASE >> 12) + 1) & 511] = gpa_of(data[1]) | FL_FLAGS;
}

static int64_t get_caps(void)
{
	zero(&caps, sizeof(caps));
	caps.v1.size = sizeof(caps);
	return vmcall(VSVA_HC_CAPABILITIES, gpa_of(&caps), 0);
}

static int64_t get_stats(void)
{
	zero(&stats, sizeof(stats));
	stats.v1.size = sizeof(stats);
	return vmcall(VSVA_HC_STATISTICS, gpa_of(&stats), 0);
}

static int64_t do_bind(uint32_t pasid, uint32_t dev, uint64_t flptr, uint32_t levels)
{
	zero(&bind_arg, sizeof(bind_arg));
	bind_arg.size = sizeof(bind_arg);
	bind_arg.pasid = pasid;
	bind_arg.device = dev;
	bind_arg.flptr = flptr;
	bind_arg.paging_levels = levels;
	bind_arg.addr_width = 48;
	return vmcall(VSVA_HC_BIND, gpa_of(&bind_arg), 0);
}

static int64_t do_translate(uint32_t pasid, uint32_t dev, uint64_t gva)
{
	zero(&xlate, sizeof(xlate));
	xlate.size = sizeof(xlate);
	xlate.pasid = pasid;
	xlate.device = dev;
	xlate.addr = gva;
	return vmcall(VSVA_HC_TRANSLATE, gpa_of(&xlate), 0);
}

/* A batch of @n requests for (@dev, @pasid): PASID cache, whole-PASID and ranged IOTLB. */
static void inv_fill(unsigned int n, uint32_t pasid, uint32_t dev)
{
	zero(&inv_arg, sizeof(inv_arg));
	inv_arg.inv.size = VSVA_INVALIDATE_SIZE(n);
	inv_arg.inv.count = n;
	for (unsigned int i = 0; i < n; i++) {
		struct vsva_inv_req *r = &inv_arg.inv.req[i];

		r->pasid = pasid;
		r->device = dev;
		switch (i % 3) {
		case 0:
			r->type = VSVA_INV_PASID_CACHE;
			break;
		case 1:
			r->type = VSVA_INV_IOTLB;
			break;
		default:
			r->type = VSVA_INV_IOTLB;
			r->flags = VSVA_INV_IH;
			r->addr = GVA_BASE + (uint64_t)(i % 8) * 4096;
			r->pages = 1 + i % 4;
			break;
		}
	}
}

/* What a rejected call must leave alone: the guest's vSVA counters and holdings. */
struct snap {
	uint64_t binds, unbinds, batches, pasids, devices;
};

static struct snap snapshot(void)
{
	struct snap s = { 0 };

	if (get_stats() == 0)
		s = (struct snap){ stats.vsva_binds, stats.vsva_unbinds, stats.vsva_inv_batches,
				   stats.vsva_pasids, stats.vsva_devices };
	return s;
}

static bool snap_eq(struct snap a, struct snap b)
{
	return a.binds == b.binds && a.unbinds == b.unbinds && a.batches == b.batches &&
	       a.pasids == b.pasids && a.devices == b.devices;
}

/* ---- the flow ---------------------------------------------------------------------- */
static void vsva_off(void)
{
	check(!(caps.v1.flags & VSVA_CAP_VSVA), "capabilities say no vSVA on this machine");
	check_eq(vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0), -VSVA_ENODEV,
		 "without vSVA, PASID alloc gives -ENODEV");
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), -VSVA_ENODEV,
		 "without vSVA, device attach gives -ENODEV");
}

static void check_caps(void)
{
	puts_serial("# guest: vsva: capabilities flags ");
	put_hex(caps.v1.flags);
	puts_serial(", PASID bits ");
	put_u64(caps.v1.pasid_bits);
	puts_serial(", shared [");
	put_hex(caps.shared_first);
	puts_serial(", ");
	put_hex(caps.shared_last);
	puts_serial("], batch max ");
	put_u64(caps.inv_batch_max);
	puts_serial("\n");
	check(caps.v1.size == VSVA_CAPABILITIES_SIZE_V2, "capabilities V2 filled (size 160)");
	check(caps.v1.flags & VSVA_CAP_NEST_HW, "capabilities: hardware nesting (ECAP.NEST)");
	check(caps.v1.flags & VSVA_CAP_SHARED, "capabilities: shared PASIDs");
	check(!(caps.v1.flags & VSVA_CAP_PASID_XLT),
	      "capabilities: CPU PASID translation inactive (Bochs lacks secondary control 21)");
	check(caps.v1.fl_levels & (1u << 4), "capabilities: 4-level first-level tables");
	check(caps.inv_batch_max >= INV_BATCH, "capabilities: invalidation batches of >= 32");
	check(caps.nr_ranges >= 1 && caps.ranges[0].first <= GVA_BASE &&
		      caps.ranges[0].last > GVA_BASE,
	      "capabilities: the test GVA lies in a permitted range");
}

static void check_translate_ok(uint32_t pasid, uint32_t dev, uint64_t gva, const void *page,
			       const char *what)
{
	uint64_t want = gpa_of(page) + (gva & 0xfff);
	int64_t r = do_translate(pasid, dev, gva);

	check(r == 0 && xlate.status == VSVA_XLATE_OK && xlate.level == 1 &&
		      xlate.page_size == 4096 && xlate.gpa == want && xlate.hpa == want &&
		      (xlate.perms & (VSVA_XLATE_R | VSVA_XLATE_W | VSVA_XLATE_U)) ==
			      (VSVA_XLATE_R | VSVA_XLATE_W | VSVA_XLATE_U),
	      what);
	puts_serial("# guest: vsva: translate GVA ");
	put_hex(gva);
	puts_serial(" -> GPA ");
	put_hex(xlate.gpa);
	puts_serial(" -> HPA ");
	put_hex(xlate.hpa);
	puts_serial(", status ");
	put_u64(xlate.status);
	puts_serial(", rc ");
	put_i64(r);
	puts_serial("\n");
}

static void bench_line(const char *call, uint64_t ticks, unsigned int rounds)
{
	puts_serial("# guest: bench: vsva ");
	puts_serial(call);
	puts_serial(" round trip ");
	put_u64(ticks / rounds);
	puts_serial(" TSC ticks (mean of ");
	put_u64(rounds);
	puts_serial(")\n");
}

static void bench(uint32_t dev)
{
	uint64_t t_alloc = 0, t_free = 0, t_att = 0, t_det = 0, t_bind = 0, t_unbind = 0;
	uint64_t t_inv = 0, t_xl = 0, t_null = 0, t0;
	unsigned int ok = 0;
	int64_t p;

	for (unsigned int i = 0; i < BENCH_ROUNDS; i++) {
		t0 = rdtsc();
		vmcall(VSVA_HC_NULL, 0, 0);
		t_null += rdtsc() - t0;
		t0 = rdtsc();
		p = vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
		t_alloc += rdtsc() - t0;
		t0 = rdtsc();
		ok += do_bind((uint32_t)p, dev, gpa_of(fl_pml4), 4) == 0;
		t_bind += rdtsc() - t0;
		inv_fill(INV_BATCH, (uint32_t)p, dev);
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0) == 0;
		t_inv += rdtsc() - t0;
		zero(&xlate, sizeof(xlate));
		xlate.size = sizeof(xlate);
		xlate.pasid = (uint32_t)p;
		xlate.device = dev;
		xlate.addr = GVA_BASE;
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_TRANSLATE, gpa_of(&xlate), 0) == 0;
		t_xl += rdtsc() - t0;
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_UNBIND, dev, (uint64_t)p) == 0;
		t_unbind += rdtsc() - t0;
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_PASID_FREE, (uint64_t)p, 0) == 0;
		t_free += rdtsc() - t0;
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_DEVICE_DETACH, dev, 0) == 0;
		t_det += rdtsc() - t0;
		t0 = rdtsc();
		ok += vmcall(VSVA_HC_DEVICE_ATTACH, dev, 0) == 0;
		t_att += rdtsc() - t0;
	}
	check_eq(ok, 7 * BENCH_ROUNDS, "benchmark: every timed call succeeded");
	bench_line("null", t_null, BENCH_ROUNDS);
	bench_line("pasid_alloc", t_alloc, BENCH_ROUNDS);
	bench_line("bind", t_bind, BENCH_ROUNDS);
	bench_line("invalidate32", t_inv, BENCH_ROUNDS);
	bench_line("translate", t_xl, BENCH_ROUNDS);
	bench_line("unbind", t_unbind, BENCH_ROUNDS);
	bench_line("pasid_free", t_free, BENCH_ROUNDS);
	bench_line("detach", t_det, BENCH_ROUNDS);
	bench_line("attach", t_att, BENCH_ROUNDS);
}

void guest_vsva_checks(void)
{
	int64_t p1, p2, ps, r;
	uint64_t e0, h0, d0;
	struct snap s0;

	check_eq(get_caps(), 0, "capabilities V2 call succeeds");
	if (!(caps.v1.flags & VSVA_CAP_VSVA)) {
		vsva_off();
		return;
	}
	check_caps();

	/* PASIDs: RID-local any and wanted, shared any */
	p1 = vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0);
	check(p1 >= caps.rid_local_first && p1 <= caps.rid_local_last,
	      "alloc: a RID-local PASID in the RID-local range");
	p2 = vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0x20);
	check_eq(p2, 0x20, "alloc: the RID-local PASID asked for (0x20)");
	ps = vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_SHARED, 0);
	check(ps >= caps.shared_first && ps <= caps.shared_last,
	      "alloc: a shared PASID in the shared range");
	s0 = snapshot();
	check_eq(vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, 0x20), -VSVA_EBUSY,
		 "alloc: a PASID already held gives -EBUSY");
	check_eq(vmcall(VSVA_HC_PASID_ALLOC, 7, 0), -VSVA_EINVAL,
		 "alloc: unknown kind gives -EINVAL");
	check_eq(vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL, caps.shared_first), -VSVA_EINVAL,
		 "alloc: a RID-local PASID outside its range gives -EINVAL");
	check_eq(vmcall(VSVA_HC_PASID_ALLOC, VSVA_PASID_RID_LOCAL | (1ull << 32), 0), -VSVA_EINVAL,
		 "alloc: bits above 31 give -EINVAL");
	check(snap_eq(s0, snapshot()), "alloc: the rejected calls changed nothing");

	/* Devices */
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), 0, "attach: device 00:03.0");
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_B, 0), 0, "attach: device 00:04.0");
	s0 = snapshot();
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_A, 0), -VSVA_EBUSY,
		 "attach: twice gives -EBUSY");
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_X, 0), -VSVA_ENODEV,
		 "attach: a device not the guest's gives -ENODEV");
	check_eq(vmcall(VSVA_HC_DEVICE_ATTACH, DEV_X, 1), -VSVA_EINVAL,
		 "attach: nonzero flags give -EINVAL");
	check(snap_eq(s0, snapshot()) && s0.devices == 2 && s0.pasids == 3,
	      "attach: the rejected calls changed nothing (2 devices, 3 PASIDs)");

	/* Bind a first-level table built here */
	fl_build();
	data[0][0x123] = 0x5a;
	check_eq(do_bind((uint32_t)p1, DEV_A, gpa_of(fl_pml4), 4), 0,
		 "bind: RID-local PASID on 00:03.0 to this guest's FL table");
	check_eq(do_bind((uint32_t)ps, DEV_A, gpa_of(fl_pml4), 4), 0,
		 "bind: shared PASID on 00:03.0");
	check_eq(do_bind((uint32_t)p2, DEV_B, gpa_of(fl_pml4), 4), 0,
		 "bind: PASID 0x20 on 00:04.0");
	s0 = snapshot();
	check_eq(do_bind((uint32_t)p1, DEV_A, gpa_of(fl_pml4), 4), -VSVA_EBUSY,
		 "bind: twice gives -EBUSY");
	check_eq(do_bind((uint32_t)p2, DEV_A, gpa_of(fl_pml4) + 8, 4), -VSVA_EINVAL,
		 "bind: an unaligned FLPTR gives -EINVAL");
	check_eq(do_bind((uint32_t)p2, DEV_A, HV_IMAGE_GPA, 4), -VSVA_EFAULT,
		 "bind: an FLPTR in hypervisor memory gives -EFAULT");
	check_eq(do_bind((uint32_t)p2, DEV_A, gpa_of(fl_pml4), 3), -VSVA_EINVAL,
		 "bind: 3 paging levels give -EINVAL");
	check_eq(do_bind(0x7000, DEV_A, gpa_of(fl_pml4), 4), -VSVA_ENOENT,
		 "bind: a PASID not allocated gives -ENOENT");
	check_eq(do_bind((uint32_t)p2, DEV_X, gpa_of(fl_pml4), 4), -VSVA_ENOENT,
		 "bind: a device not attached gives -ENOENT");
	zero(&bind_arg, sizeof(bind_arg));
	bind_arg.size = sizeof(bind_arg);
	bind_arg.pasid = (uint32_t)p2;
	bind_arg.device = DEV_A;
	bind_arg.flptr = gpa_of(fl_pml4);
	bind_arg.paging_levels = 4;
	bind_arg.reserved = 1;
	check_eq(vmcall(VSVA_HC_BIND, gpa_of(&bind_arg), 0), -VSVA_EINVAL,
		 "bind: a nonzero reserved field gives -EINVAL");
	check_eq(vmcall(VSVA_HC_BIND, gpa_of(&bind_arg) + 4, 0), -VSVA_EINVAL,
		 "bind: a misaligned structure GPA gives -EINVAL");
	check(snap_eq(s0, snapshot()) && s0.binds == 3, "bind: the rejected calls changed nothing");
	check_eq(do_translate((uint32_t)p2, DEV_A, GVA_BASE), -VSVA_ENOENT,
		 "bind: no rejected bind left a binding (translate gives -ENOENT)");

	/* Translate: GVA -> GPA -> HPA */
	check_translate_ok((uint32_t)p1, DEV_A, GVA_BASE + 0x123, data[0],
			   "translate: GVA -> GPA (data page) -> HPA = GPA, 4 KiB, R/W/U");
	check_translate_ok((uint32_t)ps, DEV_A, GVA_BASE + 0x1008, data[1],
			   "translate: shared PASID, second page");
	r = do_translate((uint32_t)p1, DEV_A, GVA_BASE + 0x200000);
	check(r == 0 && xlate.status == VSVA_XLATE_FL_NOT_PRESENT,
	      "translate: an unmapped GVA stops at a not-present FL entry");

	/* Invalidation batch: one hypercall, one VM exit */
	inv_fill(INV_BATCH, (uint32_t)p1, DEV_A);
	get_stats();
	e0 = stats.v1.exits_total, h0 = stats.v1.hypercalls, d0 = stats.vsva_inv_descriptors;
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), 0,
		 "invalidate: a batch of 32 requests succeeds");
	get_stats();
	/* exits between the two statistics calls, the second one excluded */
	puts_serial("# guest: bench: vsva invalidate batch of 32: ");
	put_u64(stats.v1.exits_total - e0 - 1);
	puts_serial(" VM exits, ");
	put_u64(stats.v1.hypercalls - h0 - 1);
	puts_serial(" hypercalls, ");
	put_u64(stats.vsva_inv_descriptors - d0);
	puts_serial(" queue descriptors\n");
	check_eq((int64_t)(stats.v1.exits_total - e0 - 1), 1,
		 "invalidate: the batch of 32 cost one VM exit");
	check_eq((int64_t)(stats.vsva_inv_descriptors - d0), INV_BATCH,
		 "invalidate: 32 requests became 32 queue descriptors");
	inv_fill(VSVA_INV_BATCH_MAX, (uint32_t)ps, DEV_A);
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), 0,
		 "invalidate: a batch of 64 (the maximum) succeeds");
	s0 = snapshot();
	inv_fill(VSVA_INV_BATCH_MAX + 1, (uint32_t)p1, DEV_A);
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), -VSVA_EINVAL,
		 "invalidate: 65 requests give -EINVAL");
	inv_fill(1, (uint32_t)p1, DEV_A);
	inv_arg.inv.count = 0;
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), -VSVA_EINVAL,
		 "invalidate: zero requests give -EINVAL");
	inv_fill(INV_BATCH, (uint32_t)p1, DEV_A);
	inv_arg.inv.req[17].reserved = 1;
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), -VSVA_EINVAL,
		 "invalidate: one bad request (reserved) rejects the whole batch");
	inv_fill(INV_BATCH, (uint32_t)p1, DEV_A);
	inv_arg.inv.req[31].pasid = 0x7000;
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), -VSVA_ENOENT,
		 "invalidate: a PASID not the guest's gives -ENOENT");
	inv_fill(INV_BATCH, (uint32_t)p1, DEV_A);
	inv_arg.inv.req[2].addr += 8;
	check_eq(vmcall(VSVA_HC_INVALIDATE, gpa_of(&inv_arg), 0), -VSVA_EINVAL,
		 "invalidate: an unaligned range gives -EINVAL");
	check(snap_eq(s0, snapshot()), "invalidate: the rejected batches changed nothing");

	/* Unbind, free, free before unbind */
	check_eq(vmcall(VSVA_HC_UNBIND, DEV_A, (uint64_t)p1), 0,
		 "unbind: RID-local PASID on 00:03.0");
	check_eq(do_translate((uint32_t)p1, DEV_A, GVA_BASE), -VSVA_ENOENT,
		 "unbind: translate then gives -ENOENT");
	s0 = snapshot();
	check_eq(vmcall(VSVA_HC_UNBIND, DEV_A, (uint64_t)p1), -VSVA_ENOENT,
		 "unbind: twice gives -ENOENT");
	check_eq(vmcall(VSVA_HC_UNBIND, DEV_A | (1ull << 32), (uint64_t)p1), -VSVA_EINVAL,
		 "unbind: bits above 31 give -EINVAL");
	check(snap_eq(s0, snapshot()), "unbind: the rejected calls changed nothing");
	check_eq(vmcall(VSVA_HC_PASID_FREE, (uint64_t)p1, 0), 0, "free: the unbound PASID");
	check_eq(vmcall(VSVA_HC_PASID_FREE, (uint64_t)p1, 0), -VSVA_ENOENT,
		 "free: twice gives -ENOENT");
	s0 = snapshot();
	check_eq(vmcall(VSVA_HC_PASID_FREE, (uint64_t)p2, 0), 0,
		 "free before unbind: PASID 0x20, still bound on 00:04.0");
	check(snapshot().unbinds == s0.unbinds + 1 && snapshot().pasids == s0.pasids - 1,
	      "free before unbind: the binding was torn down with the PASID");
	check_eq(do_translate((uint32_t)p2, DEV_B, GVA_BASE), -VSVA_ENOENT,
		 "free before unbind: translate then gives -ENOENT");
	check_translate_ok((uint32_t)ps, DEV_A, GVA_BASE + 0x123, data[0],
			   "the shared PASID's binding is untouched by the others' teardown");

	/* Costs (DEV_B: a device with nothing else bound), then the state left behind */
	bench(DEV_B);
	s0 = snapshot();
	check(s0.pasids == 1 && s0.devices == 2,
	      "end: the shared PASID stays bound on 00:03.0 for the hypervisor's model check");
}

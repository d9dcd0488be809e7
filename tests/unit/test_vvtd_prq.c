// SPDX-License-Identifier: MIT
/*
 * test_vvtd_prq.c - page requests end to end (VT-d §7.5, §6.5.2.9): a device of the
 * VT-d reference model issues a page request under a HOST PASID that the guest's
 * virtual unit shadowed for it -> iommu/prq.c drains the physical queue ->
 * hv/vsva_prq.c routes it -> hv/vvtd_prq.c writes it into the guest's page request
 * queue under the GUEST PASID and raises the page request event -> the test, playing
 * the guest's driver, writes a page group response into the guest's invalidation queue
 * -> the model records the response under the host PASID.
 * Also the virtual registers (PQH, PQT, PQA, PRS, PECTL, PEDATA, PEADDR) and every
 * malformed or unlucky input: a PQA outside guest RAM or unprogrammed, PQH beyond the
 * queue, a full queue (PRO, answered Success), requests no guest owns (Invalid),
 * responses for groups the guest never got (refused), reserved bits (IQE).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vsva_prq.h"
#include "hv/vvtd.h"
#include "iommu/prq.h"
#include "iommu/root.h"
#include "iommu/vtd_regs.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* hypervisor memory: absent from the guest map */
#define GDID	 9
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0)
#define SID_X	 VTD_SID(0, 9, 0) /* a device no guest has */
#define GVA	 0x7f1234567000ull

/* Guest RAM layout (offsets). */
#define OFF_QUEUE    0x1000 /* invalidation queue, 4 KiB */
#define OFF_STATUS   0x3000
#define OFF_ROOT     0x4000
#define OFF_CTX	     0x5000
#define OFF_PDIR     0x6000 /* device A: 1024-entry PASID directory (PDTS 3), 8 KiB */
#define OFF_PTBL     0x8000 /* PASIDs 0-63 */
#define OFF_PTBL_SH  0x9000 /* PASIDs 0x8000-0x803f (shared) */
#define OFF_PRQ	     0xc000 /* page request queue, up to 8 KiB */
#define OFF_TABLES   0x10000
#define OFF_DATA     0x100000
#define PRQ_ENTRIES  128 /* in 4 KiB */
#define QW_CC_GLOBAL (VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL))
#define QW_PC_GLOBAL (VTD_QI_TYPE_PC | VTD_QI_GRAN(3))

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t hv_mem[0x2000] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e;
	struct vsva_prq r;
	struct vtd_prq q; /* the physical unit's queue */
	struct vvtd v;
	uint64_t tail;
	uint32_t seq;
	unsigned int events[4];
	uint32_t gpasid, hpasid; /* the bound PASID of device A */
} fx;

static void on_event(void *ctx, enum vvtd_event ev)
{
	(void)ctx;
	fx.events[ev]++;
}

static int setup_cfg(uint64_t clear_ecap, bool router)
{
	struct vte_config ec = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .model_ram = true,
				 .hv_size = sizeof(hv_mem),
				 .hv_mem = hv_mem,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };
	struct vvtd_config vc;

	memset(&fx, 0, sizeof(fx));
	memset(hv_mem, 0, sizeof(hv_mem));
	ec.model.ecap &= ~clear_ecap;
	if (vte_setup(&fx.e, &ec))
		fail_msg("setup: %s", fx.e.failed);
	vsva_prq_init(&fx.r);
	if (clear_ecap != MODEL_ECAP_PRS)
		assert_int_equal(vtd_prq_enable(&fx.q, &fx.e.u, 0), 0);
	memset(&vc, 0, sizeof(vc));
	vc.vsva = &fx.e.g;
	vc.sid[0] = SID_A;
	vc.sid[1] = SID_B;
	vc.nr_sids = 2;
	vc.vcmd = true;
	vc.event = on_event;
	vc.prq = router ? &fx.r : NULL;
	assert_int_equal(vvtd_init(&fx.v, &vc), 0);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(0, true);
}

static int setup_no_router(void **state)
{
	(void)state;
	return setup_cfg(0, false);
}

static int setup_no_physical_prs(void **state)
{
	(void)state;
	return setup_cfg(MODEL_ECAP_PRS, true);
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	vvtd_destroy(&fx.v);
	vtd_prq_disable(&fx.q);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	assert_int_equal(vte_teardown(&fx.e), 0); /* no frame leaked */
	for (size_t i = 0; i < sizeof(hv_mem); i++)
		assert_int_equal(hv_mem[i], 0); /* never written */
	return 0;
}

/* ---- the guest's side ----------------------------------------------------------- */

static void *at(uint64_t off)
{
	return vte_at(&fx.e, off);
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vvtd_mmio(&fx.v, off, size, false, &v), 0);
	return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vvtd_mmio(&fx.v, off, size, true, &v), 0);
}

static void put(uint64_t q0, uint64_t q1, uint64_t q2, uint64_t q3)
{
	uint64_t *d = at(OFF_QUEUE + fx.tail);

	d[0] = q0, d[1] = q1, d[2] = q2, d[3] = q3;
	fx.tail = (fx.tail + 32) % 0x1000;
}

/* Queue a wait with status write and ring IQT: true when the queue ran to it. */
static bool submit_wait(void)
{
	uint32_t *st = at(OFF_STATUS);

	*st = 0;
	put(VTD_QI_TYPE_WAIT | VTD_BIT(5) | ((uint64_t)++fx.seq << 32), RAM_GPA + OFF_STATUS, 0, 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	return *st == fx.seq;
}

/* The guest's PASID entry @p of device A: FL only, 4-level. */
static void guest_pe(uint32_t p, uint64_t flroot)
{
	uint64_t tbl = RAM_GPA + (p >= PASID_SHARED_GFIRST ? OFF_PTBL_SH : OFF_PTBL);
	uint64_t *pe;

	((uint64_t *)at(OFF_PDIR))[p >> 6] = tbl | VTD_PDE_P;
	pe = (uint64_t *)at(tbl - RAM_GPA) + (p & 63) * 8;
	memset(pe, 0, 64);
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	pe[1] = GDID;
	pe[2] = flroot;
}

/* Linux intel-iommu's bring-up, then its page request queue (intel_enable_prq()). */
static void guest_init(void)
{
	uint64_t *re = at(OFF_ROOT), *ce = at(OFF_CTX + (SID_A & 0x7f) * 32);

	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_IQA, 8, (RAM_GPA + OFF_QUEUE) | VTD_IQA_DW);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	re[0] = (RAM_GPA + OFF_CTX) | VTD_RE_P;
	ce[0] = (RAM_GPA + OFF_PDIR) | VTD_SCE_0_P | VTD_SCE_0_PASIDE | VTD_SCE_0_PRE |
		(3ull << VTD_SCE_0_PDTS_SHIFT);
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_SRTP);
	put(QW_CC_GLOBAL, 0, 0, 0);
	put(QW_PC_GLOBAL, 0, 0, 0);
	assert_true(submit_wait());
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_TE);
	wr(VTD_REG_PQH, 8, 0);
	wr(VTD_REG_PQT, 8, 0);
	wr(VTD_REG_PQA, 8, RAM_GPA + OFF_PRQ); /* PQS 0: 4 KiB */
	wr(VTD_REG_PEDATA, 4, 0x45);
	wr(VTD_REG_PEADDR, 4, 0xfee00000);
	wr(VTD_REG_PECTL, 4, 0);
}

/* Bind guest PASID @p (a shared one from the virtual command when 0) on device A:
 * fx.gpasid / fx.hpasid. */
static void bind(uint32_t p)
{
	uint64_t root = vte_new_table(&fx.e);

	if (!p) {
		wr(VVTD_REG_VCMD, 8, VVTD_VCMD_ALLOC);
		p = (uint32_t)(rd(VVTD_REG_VCRSP, 8) >> VVTD_VC_SHIFT);
	}
	vte_fl_map(&fx.e, root, GVA, RAM_GPA + OFF_DATA, VTE_FLF);
	guest_pe(p, root);
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(p), 0, 0, 0);
	assert_true(submit_wait());
	assert_non_null(vvtd_find_shadow(&fx.v, SID_A, p));
	fx.gpasid = p;
	fx.hpasid = VTD_NO_PASID;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].gpasid == p)
			fx.hpasid = fx.e.g.pasid[i].hpasid;
	assert_int_not_equal(fx.hpasid, VTD_NO_PASID);
}

/* The guest's page request descriptor @i. */
static const uint64_t *gdesc(unsigned int i)
{
	return (const uint64_t *)at(OFF_PRQ + (uint64_t)i * 32);
}

/* The guest answers group @prgi of its PASID @p on device A with @code. */
static void guest_respond(uint32_t p, uint16_t prgi, unsigned int code)
{
	put(VTD_QI_TYPE_PGRP_RESP | VTD_QI_PGRP_PP | VTD_QI_PGRP_CODE(code) |
		    VTD_QI_PGRP_RID(SID_A) | VTD_QI_PASID(p),
	    VTD_QI_PGRP_PRGI(prgi), 0, 0);
	assert_true(submit_wait());
}

/* ---- the device's side ------------------------------------------------------------ */

static struct model_prq preq(uint16_t sid, uint32_t hpasid, uint16_t prgi, bool lpig)
{
	return (struct model_prq){
		.sid = sid, .pasid = hpasid, .addr = GVA, .write = true, .prgi = prgi, .lpig = lpig
	};
}

/* The device sends @r; the physical queue is not drained. */
static void device_sends(struct model_prq r)
{
	env_sync_to_model();
	assert_int_equal(model_page_request(fx.e.m, &r), 0);
	env_sync_from_model();
}

/* The page request event handler the integrator installs: drain into the router. */
static int drain(void)
{
	return vtd_prq_drain(&fx.q, vsva_prq_route, &fx.r);
}

static void device_request(uint16_t sid, uint32_t hpasid, uint16_t prgi, bool lpig)
{
	device_sends(preq(sid, hpasid, prgi, lpig));
	assert_int_equal(drain(), 1);
}

static struct model_pgrp_resp last_resp(void)
{
	struct model_pgrp_resp r;

	model_last_page_response(fx.e.m, &r);
	return r;
}

/* ---- capability and registers ----------------------------------------------------- */

static void ecap_reports_prs_with_a_router_and_physical_prs(void **state)
{
	(void)state;
	assert_true(rd(VTD_REG_ECAP, 8) & VTD_ECAP_PRS);
}

static void ecap_has_no_prs_without_a_router(void **state)
{
	(void)state;
	assert_false(rd(VTD_REG_ECAP, 8) & VTD_ECAP_PRS);
}

static void ecap_has_no_prs_without_physical_prs(void **state)
{
	(void)state;
	assert_false(rd(VTD_REG_ECAP, 8) & VTD_ECAP_PRS);
}

static void registers_are_absent_without_prs(void **state)
{
	(void)state;
	wr(VTD_REG_PQA, 8, RAM_GPA + OFF_PRQ);
	wr(VTD_REG_PECTL, 4, 0);
	assert_int_equal(rd(VTD_REG_PQA, 8), 0);
	assert_int_equal(rd(VTD_REG_PECTL, 4), 0);
}

static void reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(VTD_REG_PQH, 8), 0);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
	assert_int_equal(rd(VTD_REG_PQA, 8), 0);
	assert_int_equal(rd(VTD_REG_PRS, 4), 0);
	assert_int_equal(rd(VTD_REG_PECTL, 4), VTD_PECTL_IM);
}

static void pq_registers_keep_only_their_fields(void **state)
{
	(void)state;
	wr(VTD_REG_PQH, 8, ~0ull);
	wr(VTD_REG_PQT, 8, ~0ull);
	wr(VTD_REG_PQA, 8, ~0ull);
	assert_int_equal(rd(VTD_REG_PQH, 8), VTD_GENMASK(18, 5));
	assert_int_equal(rd(VTD_REG_PQT, 8), VTD_GENMASK(18, 5));
	assert_int_equal(rd(VTD_REG_PQA, 8), VTD_GENMASK(63, 12) | 7);
	wr(VTD_REG_PQA + 4, 4, 0); /* 32-bit halves */
	assert_int_equal(rd(VTD_REG_PQA, 8), VTD_GENMASK(31, 12) | 7);
}

static void event_registers_keep_only_their_fields(void **state)
{
	(void)state;
	wr(VTD_REG_PECTL, 4, ~0u);
	wr(VTD_REG_PEDATA, 4, ~0u);
	wr(VTD_REG_PEADDR, 4, ~0u);
	wr(VTD_REG_PEUADDR, 4, ~0u);
	assert_int_equal(rd(VTD_REG_PECTL, 4), VTD_PECTL_IM); /* IP is read-only */
	assert_int_equal(rd(VTD_REG_PEDATA, 4), 0xffff);
	assert_int_equal(rd(VTD_REG_PEADDR, 4), 0xfffffffc);
	assert_int_equal(rd(VTD_REG_PEUADDR, 4), 0); /* no ECAP.EIM */
}

/* ---- the whole path ----------------------------------------------------------------- */

static void request_reaches_the_guest_under_its_pasid(void **state)
{
	const uint64_t *d;

	(void)state;
	guest_init();
	bind(0);
	assert_int_not_equal(fx.gpasid, fx.hpasid); /* a shared PASID: translated */
	device_request(SID_A, fx.hpasid, 0x1a5, true);
	d = gdesc(0);
	/* §7.5.1, bit by bit: type 1, PP, RID, the GUEST PASID; W, LPIG, PRGI, address. */
	assert_int_equal(d[0], 1 | 1ull << 8 | (uint64_t)SID_A << 16 | (uint64_t)fx.gpasid << 32);
	assert_int_equal(d[1], GVA | 2 | 4 | 0x1a5ull << 3);
	assert_int_equal(d[2] | d[3], 0);
	assert_int_equal(rd(VTD_REG_PQT, 8), 32);
	assert_true(rd(VTD_REG_PRS, 4) & VTD_PRS_PPR);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 1);
	assert_int_equal(fx.v.cnt.prq_requests, 1);
	assert_int_equal(vsva_prq_outstanding(&fx.r, &fx.e.g), 1);
	assert_int_equal(last_resp().count, 0); /* nobody answered for the guest */
}

static void guest_response_reaches_the_device_under_the_host_pasid(void **state)
{
	struct model_pgrp_resp got;

	(void)state;
	guest_init();
	bind(0);
	device_request(SID_A, fx.hpasid, 0x1a5, true);
	guest_respond(fx.gpasid, 0x1a5, VTD_PGRP_RESP_SUCCESS);
	got = last_resp();
	assert_int_equal(got.count, 1);
	assert_int_equal(got.rid, SID_A);
	assert_true(got.pasid_present);
	assert_int_equal(got.pasid, fx.hpasid);
	assert_int_equal(got.prgi, 0x1a5);
	assert_int_equal(got.code, VTD_PGRP_RESP_SUCCESS);
	assert_int_equal(fx.v.cnt.prq_responses, 1);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 0);
	assert_int_equal(rd(VTD_REG_FSTS, 4) & VTD_FSTS_IQE, 0);
}

static void guest_failure_code_is_forwarded(void **state)
{
	(void)state;
	guest_init();
	bind(5); /* RID-local */
	device_request(SID_A, fx.hpasid, 3, true);
	guest_respond(5, 3, VTD_PGRP_RESP_FAILURE);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_FAILURE);
	assert_int_equal(last_resp().pasid, fx.hpasid);
}

static void guest_drains_its_queue_like_linux(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 1, false);
	device_request(SID_A, fx.hpasid, 1, true);
	assert_int_equal(rd(VTD_REG_PQT, 8), 64);
	/* prq_event_thread(): clear PPR, read PQH..PQT, answer, PQH = PQT. */
	wr(VTD_REG_PRS, 4, VTD_PRS_PPR);
	assert_false(gdesc(0)[1] & VTD_PRQ_1_LPIG);
	assert_true(gdesc(1)[1] & VTD_PRQ_1_LPIG);
	guest_respond(5, 1, VTD_PGRP_RESP_SUCCESS);
	wr(VTD_REG_PQH, 8, 64);
	assert_int_equal(last_resp().count, 1);
	/* The next request raises a new event. */
	device_request(SID_A, fx.hpasid, 2, true);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 2);
	assert_int_equal(gdesc(2)[1] & VTD_PRQ_1_ADDR, GVA);
}

static void second_request_while_ppr_is_set_raises_no_event(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 1, false);
	device_request(SID_A, fx.hpasid, 2, false);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 1);
	assert_int_equal(fx.v.cnt.prq_requests, 2);
}

static void masked_event_is_held_and_delivered_on_unmask(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PECTL, 4, VTD_PECTL_IM);
	device_request(SID_A, fx.hpasid, 1, true);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 0);
	assert_int_equal(rd(VTD_REG_PECTL, 4), VTD_PECTL_IM | VTD_PECTL_IP);
	wr(VTD_REG_PECTL, 4, 0);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 1);
	assert_int_equal(rd(VTD_REG_PECTL, 4), 0);
}

static void clearing_ppr_clears_a_held_event(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PECTL, 4, VTD_PECTL_IM);
	device_request(SID_A, fx.hpasid, 1, true);
	wr(VTD_REG_PRS, 4, VTD_PRS_PPR);
	assert_int_equal(rd(VTD_REG_PECTL, 4), VTD_PECTL_IM);
	wr(VTD_REG_PECTL, 4, 0);
	assert_int_equal(fx.events[VVTD_EV_PRQ], 0);
}

static void request_without_lpig_holds_no_group(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 7, false);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 0);
	guest_respond(5, 7, VTD_PGRP_RESP_SUCCESS); /* nothing to answer */
	assert_int_equal(last_resp().count, 0);
	assert_int_equal(fx.v.cnt.prq_responses_refused, 1);
}

static void private_data_reaches_the_guest(void **state)
{
	struct vtd_page_req r = { .rid = SID_A,
				  .pasid_present = true,
				  .pasid = 5,
				  .read = true,
				  .lpig = true,
				  .prgi = 4,
				  .addr = GVA,
				  .pdp = true,
				  .priv_data = { 0x1111, 0x2222 } };

	(void)state;
	guest_init();
	assert_int_equal(vvtd_page_request(&fx.v, &r), 0);
	assert_true(gdesc(0)[0] & VTD_PRQ_0_PDP);
	assert_int_equal(gdesc(0)[2], 0x1111);
	assert_int_equal(gdesc(0)[3], 0x2222);
}

static void request_for_a_device_out_of_scope_is_not_taken(void **state)
{
	struct vtd_page_req r = { .rid = SID_X, .pasid_present = true, .pasid = 5, .lpig = true };

	(void)state;
	guest_init();
	assert_int_equal(vvtd_page_request(&fx.v, &r), -ENODEV);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
}

/* ---- requests nobody in the guest can answer ------------------------------------------- */

static void request_for_an_unbound_pasid_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	device_request(SID_A, 0x777, 9, true);
	assert_int_equal(last_resp().count, 1);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(last_resp().pasid, 0x777);
	assert_int_equal(last_resp().prgi, 9);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0); /* the guest saw nothing */
	assert_int_equal(fx.r.cnt.unowned, 1);
}

static void request_without_pasid_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	device_request(SID_A, MODEL_NO_PASID, 9, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_false(last_resp().pasid_present);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
}

static void request_of_a_device_no_guest_has_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_X, fx.hpasid, 9, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(last_resp().rid, SID_X);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
}

static void request_without_lpig_for_nobody_needs_no_answer(void **state)
{
	(void)state;
	guest_init();
	device_request(SID_A, 0x777, 9, false);
	assert_int_equal(last_resp().count, 0);
	assert_int_equal(fx.r.cnt.unowned, 1);
}

static void full_guest_queue_sets_pro_and_is_answered_success(void **state)
{
	unsigned int i;

	(void)state;
	guest_init();
	bind(5);
	/* Full at PRQ_ENTRIES - 1 (the next PQT would equal PQH); the physical queue is
	 * the same size, so the device's requests are drained in two rounds. */
	for (i = 0; i < 100; i++)
		device_sends(preq(SID_A, fx.hpasid, (uint16_t)i, false));
	assert_int_equal(drain(), 100);
	for (; i < PRQ_ENTRIES - 1; i++)
		device_sends(preq(SID_A, fx.hpasid, (uint16_t)i, false));
	assert_int_equal(drain(), PRQ_ENTRIES - 1 - 100);
	assert_false(rd(VTD_REG_PRS, 4) & VTD_PRS_PRO);
	device_request(SID_A, fx.hpasid, 0x1ff, true);
	assert_true(rd(VTD_REG_PRS, 4) & VTD_PRS_PRO);
	assert_int_equal(rd(VTD_REG_PQT, 8), (PRQ_ENTRIES - 1) * 32); /* not moved */
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_SUCCESS);    /* the device retries */
	assert_int_equal(last_resp().pasid, fx.hpasid);
	assert_int_equal(last_resp().prgi, 0x1ff);
	assert_int_equal(fx.v.cnt.prq_overflows, 1);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 0);
	/* The guest drains and clears PRO: requests are queued again. */
	wr(VTD_REG_PQH, 8, (PRQ_ENTRIES - 1) * 32);
	wr(VTD_REG_PRS, 4, VTD_PRS_PRO | VTD_PRS_PPR);
	assert_int_equal(rd(VTD_REG_PRS, 4), 0);
	device_request(SID_A, fx.hpasid, 0x1ff, true);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0); /* wrapped */
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 1);
}

static void pqa_outside_guest_ram_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PQA, 8, HV_HPA); /* the hypervisor's memory */
	device_request(SID_A, fx.hpasid, 2, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
	assert_false(rd(VTD_REG_PRS, 4) & VTD_PRS_PPR);
	assert_int_equal(fx.v.cnt.prq_refused, 1);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 0);
	/* hv_mem untouched: checked by the teardown */
}

static void queue_running_off_the_end_of_ram_is_refused(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PQA, 8, (RAM_GPA + RAM_SIZE - 0x1000) | 1); /* 8 KiB, half outside */
	wr(VTD_REG_PQT, 8, 0x1000);
	wr(VTD_REG_PQH, 8, 0x1000);
	device_request(SID_A, fx.hpasid, 2, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0x1000);
}

static void unprogrammed_pqa_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PQA, 8, 0);
	device_request(SID_A, fx.hpasid, 2, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(fx.v.cnt.prq_refused, 1);
}

static void pqh_beyond_the_queue_is_answered_invalid(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	wr(VTD_REG_PQH, 8, 0x2000); /* PQS 0: 4 KiB */
	device_request(SID_A, fx.hpasid, 2, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(rd(VTD_REG_PQT, 8), 0);
	assert_int_equal(((const uint64_t *)at(OFF_PRQ))[0], 0);
}

static void too_many_open_groups_are_answered_success(void **state)
{
	unsigned int i;

	(void)state;
	guest_init();
	bind(5);
	for (i = 0; i < VSVA_PRQ_MAX_GROUPS; i++)
		device_sends(preq(SID_A, fx.hpasid, (uint16_t)i, true));
	assert_int_equal(drain(), VSVA_PRQ_MAX_GROUPS);
	assert_int_equal(last_resp().count, 0);
	device_request(SID_A, fx.hpasid, 300, true);
	assert_int_equal(last_resp().count, 1);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_SUCCESS);
	assert_int_equal(fx.r.cnt.groups_full, 1);
	assert_int_equal(fx.v.cnt.prq_requests, VSVA_PRQ_MAX_GROUPS); /* not shown */
}

/* ---- the guest's responses ------------------------------------------------------------ */

static void response_for_a_group_never_sent_is_refused(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 3, true);
	guest_respond(5, 4, VTD_PGRP_RESP_SUCCESS); /* wrong PRGI */
	assert_int_equal(last_resp().count, 0);
	assert_int_equal(fx.v.cnt.prq_responses_refused, 1);
	assert_int_equal(rd(VTD_REG_FSTS, 4) & VTD_FSTS_IQE, 0); /* completes, no IQE */
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 1);
}

static void response_under_another_pasid_is_refused(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 3, true);
	guest_respond(6, 3, VTD_PGRP_RESP_SUCCESS);
	assert_int_equal(last_resp().count, 0);
	assert_int_equal(fx.r.cnt.refused, 1);
}

static void response_under_the_host_pasid_is_refused(void **state)
{
	(void)state;
	guest_init();
	bind(0);
	device_request(SID_A, fx.hpasid, 3, true);
	guest_respond(fx.hpasid, 3, VTD_PGRP_RESP_SUCCESS); /* a guest guessing the host's */
	assert_int_equal(last_resp().count, 0);
}

static void second_response_to_one_group_is_refused(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 3, true);
	guest_respond(5, 3, VTD_PGRP_RESP_SUCCESS);
	guest_respond(5, 3, VTD_PGRP_RESP_SUCCESS);
	assert_int_equal(last_resp().count, 1);
	assert_int_equal(fx.v.cnt.prq_responses_refused, 1);
}

/* One malformed page group response: IQE, nothing forwarded, the group still held. */
static void assert_iqe(uint64_t q0, uint64_t q1, uint64_t q2, uint64_t q3)
{
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 3, true);
	put(q0, q1, q2, q3);
	assert_false(submit_wait());
	assert_true(rd(VTD_REG_FSTS, 4) & VTD_FSTS_IQE);
	assert_int_equal(rd(VTD_REG_IQH, 8), fx.tail - 64); /* stopped at it */
	assert_int_equal(last_resp().count, 0);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 1);
}

#define GOOD0 (VTD_QI_TYPE_PGRP_RESP | VTD_QI_PGRP_PP | VTD_QI_PGRP_RID(SID_A) | VTD_QI_PASID(5))
#define GOOD1 VTD_QI_PGRP_PRGI(3)

static void response_with_reserved_qw0_bit_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0 | VTD_BIT(6), GOOD1, 0, 0);
}

static void response_with_reserved_high_qw0_bit_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0 | VTD_BIT(60), GOOD1, 0, 0);
}

static void response_with_reserved_qw1_bits_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0, GOOD1 | VTD_BIT(0), 0, 0);
}

static void response_with_an_address_in_qw1_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0, GOOD1 | GVA, 0, 0);
}

static void response_with_a_reserved_code_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0 | VTD_QI_PGRP_CODE(2), GOOD1, 0, 0);
}

static void response_with_a_pasid_but_no_pp_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0 & ~VTD_QI_PGRP_PP, GOOD1, 0, 0);
}

static void response_with_private_data_but_no_pdp_is_iqe(void **state)
{
	(void)state;
	assert_iqe(GOOD0, GOOD1, 0x1234, 0);
}

static void response_in_a_128_bit_queue_is_iqe(void **state)
{
	(void)state;
	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_IQA, 8, RAM_GPA + OFF_QUEUE); /* DW = 0, legacy root */
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	((uint64_t *)at(OFF_QUEUE))[0] = GOOD0;
	((uint64_t *)at(OFF_QUEUE))[1] = GOOD1;
	wr(VTD_REG_IQT, 8, 16);
	assert_true(rd(VTD_REG_FSTS, 4) & VTD_FSTS_IQE);
}

static void response_without_prs_is_iqe(void **state)
{
	(void)state;
	guest_init();
	put(GOOD0, GOOD1, 0, 0);
	assert_false(submit_wait());
	assert_true(rd(VTD_REG_FSTS, 4) & VTD_FSTS_IQE);
	assert_int_equal(last_resp().count, 0);
}

static void response_with_pdp_and_private_data_is_accepted(void **state)
{
	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 3, true);
	put(GOOD0 | VTD_QI_PGRP_PDP, GOOD1, 0x1234, 0x5678);
	assert_true(submit_wait());
	assert_int_equal(last_resp().count, 1);
}

/* ---- life cycle ------------------------------------------------------------------------- */

static void guest_reset_answers_its_open_groups_invalid(void **state)
{
	(void)state;
	guest_init();
	bind(0);
	device_request(SID_A, fx.hpasid, 8, true);
	vvtd_reset(&fx.v);
	assert_int_equal(last_resp().count, 1);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(last_resp().pasid, fx.hpasid);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 0);
	assert_int_equal(rd(VTD_REG_PQA, 8), 0);
	assert_int_equal(rd(VTD_REG_PECTL, 4), VTD_PECTL_IM);
}

static void destroyed_unit_gets_no_more_requests(void **state)
{
	struct vvtd_config vc = fx.v.cfg;

	(void)state;
	guest_init();
	bind(5);
	vvtd_destroy(&fx.v);
	device_request(SID_A, fx.hpasid, 8, true);
	assert_int_equal(last_resp().code, VTD_PGRP_RESP_INVALID);
	assert_int_equal(fx.r.cnt.unowned, 1);
	assert_int_equal(vvtd_init(&fx.v, &vc), 0); /* for the teardown */
}

static void router_refuses_bad_and_duplicate_sinks(void **state)
{
	struct vsva_prq r;
	int ctx[VSVA_PRQ_MAX_SINKS + 1];

	(void)state;
	vsva_prq_init(&r);
	assert_int_equal(vsva_prq_add_sink(&r, NULL, vvtd_prq_deliver, &ctx[0]), -EINVAL);
	assert_int_equal(vsva_prq_add_sink(&r, &fx.e.g, NULL, &ctx[0]), -EINVAL);
	for (unsigned int i = 0; i < VSVA_PRQ_MAX_SINKS; i++)
		assert_int_equal(vsva_prq_add_sink(&r, &fx.e.g, vvtd_prq_deliver, &ctx[i]), 0);
	assert_int_equal(vsva_prq_add_sink(&r, &fx.e.g, vvtd_prq_deliver, &ctx[0]), -EBUSY);
	assert_int_equal(vsva_prq_add_sink(&r, &fx.e.g, vvtd_prq_deliver, &ctx[8]), -ENOSPC);
	vsva_prq_remove_sink(&r, &fx.e.g, &ctx[3]);
	assert_int_equal(vsva_prq_add_sink(&r, &fx.e.g, vvtd_prq_deliver, &ctx[8]), 0);
}

static void router_rejects_a_reserved_response_code(void **state)
{
	struct vtd_page_resp gr = { .rid = SID_A, .pasid_present = true, .pasid = 5, .code = 3 };

	(void)state;
	guest_init();
	bind(5);
	device_request(SID_A, fx.hpasid, 0, true);
	assert_int_equal(vsva_prq_respond(&fx.r, &fx.e.g, &gr), -EINVAL);
	assert_int_equal(vsva_prq_outstanding(&fx.r, NULL), 1);
}

#define T(f)  cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TN(f) cmocka_unit_test_setup_teardown(f, setup_no_router, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(ecap_reports_prs_with_a_router_and_physical_prs),
		TN(ecap_has_no_prs_without_a_router),
		cmocka_unit_test_setup_teardown(ecap_has_no_prs_without_physical_prs,
						setup_no_physical_prs, teardown),
		TN(registers_are_absent_without_prs),
		T(reset_values),
		T(pq_registers_keep_only_their_fields),
		T(event_registers_keep_only_their_fields),
		T(request_reaches_the_guest_under_its_pasid),
		T(guest_response_reaches_the_device_under_the_host_pasid),
		T(guest_failure_code_is_forwarded),
		T(guest_drains_its_queue_like_linux),
		T(second_request_while_ppr_is_set_raises_no_event),
		T(masked_event_is_held_and_delivered_on_unmask),
		T(clearing_ppr_clears_a_held_event),
		T(request_without_lpig_holds_no_group),
		T(private_data_reaches_the_guest),
		T(request_for_a_device_out_of_scope_is_not_taken),
		T(request_for_an_unbound_pasid_is_answered_invalid),
		T(request_without_pasid_is_answered_invalid),
		T(request_of_a_device_no_guest_has_is_answered_invalid),
		T(request_without_lpig_for_nobody_needs_no_answer),
		T(full_guest_queue_sets_pro_and_is_answered_success),
		T(pqa_outside_guest_ram_is_answered_invalid),
		T(queue_running_off_the_end_of_ram_is_refused),
		T(unprogrammed_pqa_is_answered_invalid),
		T(pqh_beyond_the_queue_is_answered_invalid),
		T(too_many_open_groups_are_answered_success),
		T(response_for_a_group_never_sent_is_refused),
		T(response_under_another_pasid_is_refused),
		T(response_under_the_host_pasid_is_refused),
		T(second_response_to_one_group_is_refused),
		T(response_with_reserved_qw0_bit_is_iqe),
		T(response_with_reserved_high_qw0_bit_is_iqe),
		T(response_with_reserved_qw1_bits_is_iqe),
		T(response_with_an_address_in_qw1_is_iqe),
		T(response_with_a_reserved_code_is_iqe),
		T(response_with_a_pasid_but_no_pp_is_iqe),
		T(response_with_private_data_but_no_pdp_is_iqe),
		T(response_in_a_128_bit_queue_is_iqe),
		TN(response_without_prs_is_iqe),
		T(response_with_pdp_and_private_data_is_accepted),
		T(guest_reset_answers_its_open_groups_invalid),
		T(destroyed_unit_gets_no_more_requests),
		T(router_refuses_bad_and_duplicate_sinks),
		T(router_rejects_a_reserved_response_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * fuzz_vvtd.c - the virtual VT-d unit (hv/vvtd*.c) as an unmodified guest's intel-iommu
 * driver drives it: register accesses through vvtd_mmio() (any offset, size and
 * alignment), the invalidation queue it runs on IQT writes, the guest's root, context,
 * PASID-directory and PASID tables it walks on context- and PASID-cache invalidations,
 * the shadows it binds through vSVA (hv/vsva*.c) onto the VT-d reference model, the
 * virtual-command PASID allocator, vvtd_report_fault() and vvtd_reset().
 *
 * Guest RAM is RAM_SIZE bytes at RAM_GPA in the guest map: every byte of it is the
 * fuzzer's arena, and the unit reads its tables and its queue from there. An MMIO page
 * below RAM and hypervisor memory above it are hosted (hpa_to_hva() reaches them) but
 * not guest RAM: canaries. Devices: A and B (vSVA knows them, B has ATS) and C (in the
 * unit's scope on bus 1, devfn >= 128, but not the guest's in vSVA).
 *
 * Input: one config byte (bit 0: virtual commands; bits 7:1 all set: a physical unit
 * without nesting, where vvtd_init() must refuse), then up to 96 records, an op byte and
 * its operands (see the op_*() functions):
 *   0 mmio write   offset (mostly a defined register), size (mostly 4 or 8), value
 *   1 mmio read    offset, size; undefined offsets and bad accesses must read 0
 *   2 poke         bytes anywhere in guest RAM
 *   3 chain        a well-formed root -> context -> PASID dir -> PASID entry chain for
 *                  (device, PASID), its fields fuzzed, sometimes one bit flipped; PASID 0
 *                  is RID_PASID (the device's requests without PASID)
 *   4 bring-up     Linux's sequence: IQA, QIE, RTADDR, SRTP, global flushes, TE
 *   5 descriptors  1-4 descriptors of chosen types with fuzzed fields at the tail,
 *                  an optional wait, then IQT
 *   6 fault        vvtd_report_fault()
 *   7 vcmd/reset   a virtual command (alloc, free), or vvtd_reset()
 *
 * After every op: the registers are consistent (GSTS, FSTS, FECTL, IECTL, ICS only
 * defined bits; FRI < NFR; IP only while masked and while a condition is pending; the
 * queue never stopped between IQH and IQT without IQE; IQH within the queue and on a
 * descriptor boundary unless the guest changed IQA under a running queue; VER, CAP,
 * ECAP constant); every shadow of the unit is a live vSVA binding with the same FLPTR,
 * levels and flags, and every vSVA binding is a shadow; shadows exist only while the
 * guest translates (TE and a scalable root) or until it invalidates after a new root;
 * each device's RID_PASID state in the unit is the one vSVA installed (platform entry,
 * nested guest FL with the same FLPTR, levels and flags, or blocked); every live vSVA
 * PASID is held by exactly one owner (the virtual-command allocator or one shadow);
 * vsva_check();
 * every vSVA invalidation batch the unit sent was accepted and no physical submission
 * failed; the unit wrote guest RAM only as wait-descriptor status dwords (at most one
 * per wait) and nothing outside guest RAM. After vvtd_reset() and at the end: no shadow,
 * no binding, every RID_PASID back to the platform entry, reset register values, and
 * teardown frees every frame.
 *
 * Findings replay from tests/fuzz/findings/vvtd/ (README.md there); FUZZ_VVTD_TRACE set
 * prints every access. The page request queue (ECAP.PRS, vvtd_config.prq) is not
 * fuzzed here.
 */
#include <errno.h>
#include <string.h>

#include "hv/guest_map.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vvtd.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "iommu/vtd_regs.h"
#include "tests/fuzz/fuzz_env.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	  VTE_RAM_GPA
#define RAM_SIZE  0x20000ull /* 32 pages */
#define GUARD	  0x2000ull  /* MMIO below RAM, hypervisor memory above it */
#define GUARD_VAL 0xa5
#define SID_A	  VTD_SID(0, 3, 0)
#define SID_B	  VTD_SID(0, 4, 0)    /* ATS */
#define SID_C	  VTD_SID(1, 0x10, 1) /* in scope, not the guest's in vSVA */
#define NSIDS	  3
#define NVC	  64 /* PASIDs the virtual-command allocator may hold */

/* Where the structured ops put things (RAM offsets); pokes go anywhere. */
#define OFF_QUEUE  0x0000 /* up to 8 KiB */
#define OFF_STATUS 0x2000
#define OFF_ROOT   0x3000
#define OFF_CTX0   0x4000 /* bus 0, devfn 0-127 (A, B) */
#define OFF_CTX1   0x5000 /* bus 1, devfn 128-255 (C) */
#define OFF_DIR_A  0x6000 /* 8 KiB: PDTS up to 3 */
#define OFF_DIR_B  0x8000 /* 8 KiB */
#define OFF_DIR_C  0xa000 /* 4 KiB: PDTS up to 2 */
#define OFF_PTBL   0xb000 /* 4 PASID tables */
#define OFF_FL	   0xf000 /* FL roots (hardware nesting: never walked here) */

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t ram_ref[RAM_SIZE]; /* what the guest (this fuzzer) wrote */
static uint8_t hv_mem[GUARD] __attribute__((aligned(4096)));
static uint8_t mmio_mem[GUARD] __attribute__((aligned(4096)));
static uint8_t pattern[GUARD];

static const uint16_t sids[NSIDS] = { SID_A, SID_B, SID_C };

static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B (ATS), the guest (no hypercalls) */
	struct vvtd v;
	uint64_t ver, cap, ecap; /* as after vvtd_init() */
	uint32_t vc[NVC];	 /* PASIDs the allocator handed out and not freed */
	unsigned int nvc;
	bool iqa_moved;	    /* IQA written while the queue was enabled */
	bool root_switched; /* SRTP while TE was set */
	uint64_t vsva_batches;
	uint64_t checked_binds, checked_unbinds; /* vSVA's counters at the last vsva_check() */
	unsigned int events[3];
} fx;

static bool trace; /* FUZZ_VVTD_TRACE set: print every access */

/* ---- input reader ---------------------------------------------------------------- */

static const uint8_t *in;
static size_t in_left;

static uint64_t take(unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n && in_left; i++, in_left--)
		v |= (uint64_t)*in++ << (8 * i);
	return v;
}

static uint8_t take8(void)
{
	return (uint8_t)take(1);
}

/* ---- guest memory ------------------------------------------------------------------ */

/* The guest writes @len bytes at RAM offset @off (clipped to RAM). */
static void gw(uint64_t off, const void *p, size_t len)
{
	for (size_t i = 0; i < len && off + i < RAM_SIZE; i++)
		ram[off + i] = ram_ref[off + i] = ((const uint8_t *)p)[i];
}

static void gw64(uint64_t off, uint64_t v)
{
	gw(off, &v, sizeof(v));
}

/*
 * The unit wrote guest RAM only as wait status dwords, at most @waits of them, and
 * nothing outside it; then take its writes into the reference.
 */
static void check_memory(uint64_t waits)
{
	uint64_t words = 0;

	if (memcmp(ram, ram_ref, RAM_SIZE)) {
		for (uint64_t o = 0; o < RAM_SIZE; o += 4) {
			if (!memcmp(ram + o, ram_ref + o, 4))
				continue;
			words++;
			memcpy(ram_ref + o, ram + o, 4);
		}
	}
	FUZZ_CHECK(words <= waits);
	FUZZ_CHECK(!memcmp(hv_mem, pattern, GUARD));
	FUZZ_CHECK(!memcmp(mmio_mem, pattern, GUARD));
}

/* ---- invariants -------------------------------------------------------------------- */

static bool vc_held(uint32_t p)
{
	for (unsigned int i = 0; i < fx.nvc; i++)
		if (fx.vc[i] == p)
			return true;
	return false;
}

static void vc_drop(uint32_t p)
{
	for (unsigned int i = 0; i < fx.nvc; i++)
		if (fx.vc[i] == p)
			fx.vc[i] = fx.vc[--fx.nvc];
}

static int dev_slot(uint16_t sid)
{
	for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
		if (fx.e.g.dev[d].attached &&
		    fx.e.g.dev[d].id == VSVA_DEVICE(0, sid >> 8, sid & 0xff))
			return (int)d;
	return -1;
}

static int pasid_slot(uint32_t gpasid)
{
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].gpasid == gpasid)
			return (int)i;
	return -1;
}

/* The guest's translation is on: TE, and a scalable-mode root latched (hv/vvtd.h). */
static bool translating(void)
{
	return (fx.v.gsts & VTD_GSTS_TES) &&
	       (fx.v.rtaddr_active & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_SCALABLE;
}

/* Registers, as the guest reads them and as the unit holds them. */
static void check_regs(void)
{
	const struct vvtd *u = &fx.v;
	uint64_t qbytes = PAGE_SIZE << (u->iqa & 7), dsz = (u->iqa & VTD_IQA_DW) ? 32 : 16;
	uint64_t fsts = 0;

	FUZZ_CHECK(u->ver == fx.ver && u->cap == fx.cap && u->ecap == fx.ecap);
	FUZZ_CHECK(!(u->gsts & ~(uint32_t)(VTD_GSTS_TES | VTD_GSTS_RTPS | VTD_GSTS_QIES)));
	FUZZ_CHECK(!(u->fsts & ~(uint32_t)(VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE |
					   VTD_FSTS_ITE | VTD_FSTS_PRO)));
	FUZZ_CHECK(u->fri < VVTD_NFR);
	FUZZ_CHECK(!vvtd_mmio(&fx.v, VTD_REG_FSTS, 4, false, &fsts));
	FUZZ_CHECK(!(fsts & ~(uint64_t)(VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_IQE | VTD_FSTS_ICE |
					VTD_FSTS_ITE | VTD_FSTS_PRO | VTD_GENMASK(15, 8))));
	/* VT-d §11.4.9.1: PPF when any record holds a fault; FRI < NFR, at one of them then. */
	{
		bool any = false;

		for (unsigned int i = 0; i < VVTD_NFR; i++)
			any |= !!(u->frcd[i][1] & VTD_FRCD_HI_F);
		FUZZ_CHECK(!!(fsts & VTD_FSTS_PPF) == any);
		FUZZ_CHECK(VTD_FSTS_FRI(fsts) < VVTD_NFR);
		if (any)
			FUZZ_CHECK(u->frcd[VTD_FSTS_FRI(fsts)][1] & VTD_FRCD_HI_F);
	}
	FUZZ_CHECK(!(u->fectl & ~(uint32_t)(VTD_FECTL_IM | VTD_FECTL_IP)));
	FUZZ_CHECK(!(u->iectl & ~(uint32_t)(VTD_FECTL_IM | VTD_FECTL_IP)));
	FUZZ_CHECK(!(u->ics & ~(uint32_t)VTD_ICS_IWC));
	/* VT-d §11.4.9.2, §11.4.10.6: IP only while masked, and only while pending. */
	if (u->fectl & VTD_FECTL_IP)
		FUZZ_CHECK((u->fectl & VTD_FECTL_IM) &&
			   (fsts & (VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_IQE | VTD_FSTS_ICE |
				    VTD_FSTS_ITE)));
	if (u->iectl & VTD_FECTL_IP)
		FUZZ_CHECK((u->iectl & VTD_FECTL_IM) && (u->ics & VTD_ICS_IWC));
	FUZZ_CHECK(!(u->rtaddr & VTD_GENMASK(9, 0)) && !(u->rtaddr_active & VTD_GENMASK(9, 0)));
	FUZZ_CHECK(!(u->iqh & ~VTD_IQ_OFF_MASK) && !(u->iqt & ~VTD_IQ_OFF_MASK));
	FUZZ_CHECK(!(u->iqa & VTD_GENMASK(10, 3)));
	FUZZ_CHECK(u->nbatch == 0); /* every request went out before the call returned */
	if (!(u->gsts & VTD_GSTS_QIES)) {
		FUZZ_CHECK(u->iqh == 0);
		return;
	}
	/* A running queue stops only at its tail or at an error (VT-d §6.5.2.10). */
	if (!(u->fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
		FUZZ_CHECK(u->iqh == u->iqt);
	if (!fx.iqa_moved)
		FUZZ_CHECK(u->iqh < qbytes && u->iqh % dsz == 0);
}

/* Shadows <-> vSVA bindings, PASID ownership, the physical tables. */
static void check_shadows(bool force)
{
	const struct vvtd *u = &fx.v;
	const struct vsva_guest *g = &fx.e.g;
	unsigned int nsh = 0, nbound = 0;
	char why[200] = "";

	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++) {
		const struct vvtd_shadow *s = &u->sh[i];
		const struct vsva_binding *b;
		bool in_scope = false;
		int d, p;

		if (!s->used)
			continue;
		nsh++;
		FUZZ_CHECK(translating() || fx.root_switched);
		for (unsigned int k = 0; k < NSIDS; k++)
			in_scope |= s->sid == sids[k];
		FUZZ_CHECK(in_scope);
		FUZZ_CHECK(s->gpasid != 0 && s->gpasid < (1u << (VTD_ECAP_PSS(u->ecap) + 1)));
		for (unsigned int j = 0; j < i; j++)
			FUZZ_CHECK(!u->sh[j].used || u->sh[j].sid != s->sid ||
				   u->sh[j].gpasid != s->gpasid);
		d = dev_slot(s->sid);
		p = pasid_slot(s->gpasid);
		FUZZ_CHECK(d >= 0 && p >= 0);
		b = &g->pasid[p].bind[d];
		FUZZ_CHECK(b->bound);
		FUZZ_CHECK(b->flptr == s->flptr && b->levels == s->levels && b->flags == s->flags);
		if (s->local_owned)
			FUZZ_CHECK(!vc_held(s->gpasid));
	}
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++) {
		unsigned int owners = 0;

		if (!g->pasid[i].live)
			continue;
		for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
			nbound += g->pasid[i].bind[d].bound;
		for (unsigned int j = 0; j < VVTD_MAX_SHADOWS; j++)
			owners += u->sh[j].used && u->sh[j].local_owned &&
				  u->sh[j].gpasid == g->pasid[i].gpasid;
		/* One owner: the allocator, or the shadow that allocated it (no leak). */
		FUZZ_CHECK(owners + vc_held(g->pasid[i].gpasid) == 1);
	}
	FUZZ_CHECK(nsh == nbound);
	for (unsigned int i = 0; i < fx.nvc; i++)
		FUZZ_CHECK(pasid_slot(fx.vc[i]) >= 0);
	/* vsva_check() walks every physical table: only after vSVA changed, and at the end. */
	if (!force && g->cnt.binds == fx.checked_binds && g->cnt.unbinds == fx.checked_unbinds)
		goto counters;
	fx.checked_binds = g->cnt.binds;
	fx.checked_unbinds = g->cnt.unbinds;
	if (vsva_check(g, why, sizeof(why))) {
		fprintf(stderr, "vsva_check: %s\n", why);
		FUZZ_CHECK(!"invariant: vsva_check()");
	}
counters:
	/* Every batch the unit sent was valid, and the physical queue took it. */
	FUZZ_CHECK(g->cnt.inv_batches - fx.vsva_batches == u->cnt.inv_batches);
	FUZZ_CHECK(g->cnt.inv_errors == 0);
}

/* Each device's RID_PASID state in the unit is the one vSVA installed (hv/vvtd.h). */
static void check_rid(void)
{
	for (unsigned int k = 0; k < NSIDS; k++) {
		uint32_t dev = VSVA_DEVICE(0, sids[k] >> 8, sids[k] & 0xff);
		int mode = vsva_rid_mode(&fx.e.g, dev), d = dev_slot(sids[k]);
		struct vvtd_rid r;

		FUZZ_CHECK(vvtd_rid_state(&fx.v, sids[k], &r) == 0);
		if (trace)
			fprintf(stderr, "rid %04x: unit mode %u flptr 0x%llx, vsva mode %d\n",
				sids[k], r.mode, (unsigned long long)r.flptr, mode);
		if (!translating() && !fx.root_switched)
			FUZZ_CHECK(r.mode == VVTD_RID_OFF);
		if (mode < 0) { /* never attached: the platform entry, or not the guest's */
			FUZZ_CHECK(r.mode != VVTD_RID_FL);
			continue;
		}
		switch (r.mode) {
		case VVTD_RID_OFF:
		case VVTD_RID_PT:
			FUZZ_CHECK(mode == VSVA_RID_PLATFORM);
			break;
		case VVTD_RID_FL:
			FUZZ_CHECK(mode == VSVA_RID_NESTED && d >= 0);
			FUZZ_CHECK(fx.e.g.dev[d].rid.bind.flptr == r.flptr &&
				   fx.e.g.dev[d].rid.bind.levels == r.levels &&
				   fx.e.g.dev[d].rid.bind.flags == r.flags);
			break;
		case VVTD_RID_BLOCKED:
		case VVTD_RID_INVALID:
			FUZZ_CHECK(mode == VSVA_RID_BLOCKED);
			break;
		default:
			FUZZ_CHECK(!"RID_PASID mode");
		}
	}
}

static void invariants(uint64_t waits_before)
{
	check_memory(fx.v.cnt.waits - waits_before);
	check_regs();
	check_shadows(false);
	check_rid();
}

/* ---- the unit ------------------------------------------------------------------------- */

static bool defined_qword(uint64_t off8)
{
	static const uint16_t regs[] = { 0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38,
					 0x40, 0x80, 0x88, 0x90, 0x98, 0xa0, 0xa8 };

	if (off8 >= VVTD_FRO && off8 < VVTD_FRO + 16 * VVTD_NFR)
		return true;
	if (off8 == VVTD_IRO || off8 == VVTD_IRO + 8)
		return true;
	if (off8 == VVTD_REG_VCMD || off8 == VVTD_REG_VCRSP || off8 == VVTD_REG_VCCAP)
		return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
		if (regs[i] == off8)
			return true;
	return false;
}

/* One access of the guest, its result checked; the invariants after a write. */
static uint64_t mmio(uint64_t off, unsigned int size, bool write, uint64_t val)
{
	bool ok = (size == 4 || size == 8) && !(off & (size - 1)) && off < VTD_REG_SIZE;
	bool qie = fx.v.gsts & VTD_GSTS_QIES;
	uint64_t waits = fx.v.cnt.waits, v = val;
	int r;

	r = vvtd_mmio(&fx.v, off, size, write, &v);
	if (trace)
		fprintf(stderr,
			"mmio %s 0x%llx/%u 0x%llx -> %d 0x%llx (binds %llu unbinds %llu errors %llu)\n",
			write ? "wr" : "rd", (unsigned long long)off, size, (unsigned long long)val,
			r, (unsigned long long)v, (unsigned long long)fx.v.cnt.binds,
			(unsigned long long)fx.v.cnt.unbinds,
			(unsigned long long)fx.v.cnt.shadow_errors);
	FUZZ_CHECK(r == (ok ? 0 : -EINVAL));
	if (!write) {
		if (!ok || !defined_qword(off & ~7ull))
			FUZZ_CHECK(v == 0);
		if (ok && size == 4)
			FUZZ_CHECK(v <= 0xffffffffull);
		return v;
	}
	FUZZ_CHECK(v == val); /* a write leaves the caller's value alone */
	if (ok && (off & ~7ull) == VTD_REG_IQA && (qie || (fx.v.gsts & VTD_GSTS_QIES)))
		fx.iqa_moved = true;
	if (!(fx.v.gsts & VTD_GSTS_QIES))
		fx.iqa_moved = false; /* the next enable starts at IQH = 0 */
	if (ok && (off & ~7ull) == VTD_REG_GCMD && !(off & 4) && (val & VTD_GCMD_SRTP) &&
	    (fx.v.gsts & VTD_GSTS_TES))
		fx.root_switched = true; /* shadows of the old root until invalidated */
	if (!(fx.v.gsts & VTD_GSTS_TES))
		fx.root_switched = false; /* TE off drops every shadow */
	if (ok && (off & ~7ull) == VVTD_REG_VCMD && !(off & 4) && (fx.v.ecap & VTD_ECAP_VCS)) {
		uint32_t op = (uint32_t)((fx.v.vcmd >> VVTD_VC_SHIFT) & 0xfffff);
		bool done = (fx.v.vcrsp & 0xfe) == VVTD_VCRSP_SC(VVTD_VC_SC_OK);

		if ((fx.v.vcmd & 0xff) == VVTD_VCMD_ALLOC && done) {
			uint32_t p = (uint32_t)(fx.v.vcrsp >> VVTD_VC_SHIFT);

			FUZZ_CHECK(fx.nvc < NVC && !vc_held(p) && p != 0);
			fx.vc[fx.nvc++] = p;
		} else if ((fx.v.vcmd & 0xff) == VVTD_VCMD_FREE) {
			FUZZ_CHECK(pasid_slot(op) < 0 || op == 0);
			if (done)
				vc_drop(op);
		}
	}
	invariants(waits);
	return v;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
	return mmio(off, size, false, 0);
}

static void wr(uint64_t off, unsigned int size, uint64_t v)
{
	mmio(off, size, true, v);
}

/* ---- operand pickers ----------------------------------------------------------------- */

static const uint16_t reg_offs[] = {
	VTD_REG_VER,	 VTD_REG_CAP,	VTD_REG_ECAP,	VTD_REG_GCMD,	VTD_REG_GSTS,
	VTD_REG_RTADDR,	 VTD_REG_CCMD,	VTD_REG_FSTS,	VTD_REG_FECTL,	VTD_REG_FEDATA,
	VTD_REG_FEADDR,	 VTD_REG_IQH,	VTD_REG_IQT,	VTD_REG_IQA,	VTD_REG_ICS,
	VTD_REG_IECTL,	 0xa4,		0xa8,		VTD_REG_IQER,	VVTD_IRO,
	VVTD_IRO + 8,	 VVTD_FRO,	VVTD_FRO + 8,	VVTD_FRO + 12,	VVTD_FRO + 0x18,
	VVTD_FRO + 0x7c, VVTD_REG_VCMD, VVTD_REG_VCRSP, VVTD_REG_VCCAP, 0xffc,
};

static uint64_t pick_off(void)
{
	uint8_t s = take8();

	if (s < 200)
		return reg_offs[s % ARRAY_SIZE(reg_offs)];
	if (s < 250)
		return take(2) & 0xfff;
	return take(8);
}

static unsigned int pick_size(void)
{
	uint8_t s = take8();

	if (s < 120)
		return 4;
	if (s < 240)
		return 8;
	return s & 15;
}

static uint16_t pick_sid(uint8_t s)
{
	if (s < 240)
		return sids[s % NSIDS];
	return (uint16_t)take(2);
}

/* A guest PASID: small RID-local, one from the allocator, a shared one, or raw. */
static uint32_t pick_pasid(uint8_t s)
{
	if (s < 150)
		return s % 9; /* 0: RID_PASID, the requests without PASID */
	if (s < 200)
		return fx.nvc ? fx.vc[s % fx.nvc] : 1 + s % 63;
	if (s < 230)
		return PASID_SHARED_GFIRST + s % 4;
	return (uint32_t)take(3) & 0xfffff;
}

/* ---- ops ----------------------------------------------------------------------------- */

static void op_write(void)
{
	uint64_t off = pick_off();
	unsigned int size = pick_size();

	wr(off, size, take(size == 4 ? 4 : 8));
}

static void op_read(void)
{
	uint64_t off = pick_off();

	rd(off, pick_size());
}

static void op_poke(void)
{
	uint64_t off = take(3) % RAM_SIZE;
	size_t len = take8() % 65;
	uint8_t b[64];

	for (size_t i = 0; i < len; i++)
		b[i] = take8();
	gw(off, b, len);
}

/* Flip bit @s % 64 of the qword at @off when @s says so. */
static void maybe_flip(uint64_t off, uint8_t s, uint8_t which, uint8_t level)
{
	uint64_t v;

	if (s < 224 || which != level)
		return;
	memcpy(&v, ram + off, 8);
	gw64(off, v ^ (1ull << (s % 64)));
}

/*
 * A well-formed chain to one PASID entry: root entry (bus, half), scalable context
 * entry (PDTS just wide enough), directory entry, PASID entry of PGTT, flags and DID
 * from the input; one of the five qwords (root, context, directory, PE 0, PE 2) may get
 * a bit flipped.
 */
static void op_chain(void)
{
	uint8_t ds = take8(), ps = take8(), tbl = take8() % 4, pg = take8(), fl = take8();
	uint8_t flip = take8(), lvl = take8() % 5;
	unsigned int d = ds % NSIDS;
	uint16_t sid = sids[d];
	uint32_t pasid = pick_pasid(ps);
	uint64_t ctx = d == 2 ? OFF_CTX1 : OFF_CTX0, dir = d == 0 ? OFF_DIR_A :
							   d == 1 ? OFF_DIR_B :
								    OFF_DIR_C;
	uint64_t max_pdts = d == 2 ? 2 : 3, pdts = 0, idx = pasid >> 6;
	uint64_t ptbl = OFF_PTBL + tbl * 0x1000ull, re_off, ce_off, pe_off, pe[8] = { 0 };
	unsigned int pgtt = pg < 200 ? VTD_PGTT_FL : pg & 7;

	while (pdts < max_pdts && idx >= (1ull << (pdts + 7)))
		pdts++;
	re_off = OFF_ROOT + (sid >> 8) * 16ull + ((sid & 0xff) >= 128) * 8;
	ce_off = ctx + (sid & 0x7f) * 32ull;
	gw64(re_off, (RAM_GPA + ctx) | VTD_RE_P);
	gw64(ce_off,
	     (RAM_GPA + dir) | VTD_SCE_0_P | VTD_SCE_0_PASIDE | (pdts << VTD_SCE_0_PDTS_SHIFT));
	gw64(ce_off + 8, 0);
	if (idx < (1ull << (max_pdts + 7)))
		gw64(dir + idx * 8, (RAM_GPA + ptbl) | VTD_PDE_P);
	pe_off = ptbl + (pasid & 63) * 64ull;
	pe[0] = VTD_PE_0_P | ((uint64_t)pgtt << 6);
	pe[1] = take8(); /* the guest's DID */
	pe[2] = RAM_GPA + OFF_FL + (fl & 1) * 0x1000ull;
	if (fl & 2)
		pe[2] = (fl & 4) ? take(8) & VTD_PE_2_FLPTR : RAM_GPA + (take(2) & 0xfff000);
	if (fl & 8)
		pe[2] |= VTD_PE_2_FLPM & (1ull << 2); /* 5-level */
	pe[2] |= (fl & 0x10 ? VTD_PE_2_SRE : 0) | (fl & 0x20 ? VTD_PE_2_WPE : 0) |
		 (fl & 0x40 ? VTD_PE_2_EAFE : 0);
	if (fl & 0x80)
		pe[0] &= ~VTD_PE_0_P; /* an entry going away */
	gw(pe_off, pe, sizeof(pe));
	maybe_flip(re_off, flip, lvl, 0);
	maybe_flip(ce_off, flip, lvl, 1);
	if (idx < (1ull << (max_pdts + 7)))
		maybe_flip(dir + idx * 8, flip, lvl, 2);
	maybe_flip(pe_off, flip, lvl, 3);
	maybe_flip(pe_off + 16, flip, lvl, 4);
}

/* GCMD as Linux writes it: the persistent status bits, plus or minus one command. */
static void gcmd(uint32_t set, uint32_t clear)
{
	uint32_t st = (uint32_t)rd(VTD_REG_GSTS, 4) & (VTD_GSTS_TES | VTD_GSTS_QIES);

	wr(VTD_REG_GCMD, 4, (st | set) & ~clear);
}

static uint64_t qbytes(void)
{
	return PAGE_SIZE << (fx.v.iqa & 7);
}

static uint64_t dsize(void)
{
	return (fx.v.iqa & VTD_IQA_DW) ? 32 : 16;
}

/* Put descriptor @d at the tail (the guest's copy of IQT); the new tail. */
static uint64_t put_desc(uint64_t tail, const uint64_t *d)
{
	uint64_t base = (fx.v.iqa & VTD_IQA_IQA) - RAM_GPA;

	if (base < RAM_SIZE)
		gw(base + tail, d, dsize());
	return (tail + dsize()) % qbytes();
}

static uint64_t wait_status(uint8_t s)
{
	if (s < 160)
		return RAM_GPA + OFF_STATUS + (s % 16) * 4;
	if (s < 200)
		return RAM_GPA + (take(3) & (RAM_SIZE - 4)); /* anywhere in RAM */
	if (s < 215)
		return RAM_GPA - 4 * (1 + s % 4); /* MMIO below */
	if (s < 230)
		return RAM_GPA + RAM_SIZE - 4 + 4 * (s % 4); /* RAM's end, then hv memory */
	return take(8) & VTD_QI_WAIT_ADDR;
}

/* Linux's bring-up, each step skippable: IQA, QIE, RTADDR, SRTP, flushes, TE. */
static void op_bringup(void)
{
	uint8_t f = take8(), s = take8();
	uint64_t tail, d[4] = { 0 };

	if ((f & 1) && (fx.v.gsts & VTD_GSTS_QIES))
		gcmd(0, VTD_GCMD_QIE);
	if (!(fx.v.gsts & VTD_GSTS_QIES)) {
		wr(VTD_REG_IQT, 8, 0);
		wr(VTD_REG_IQA, 8,
		   (RAM_GPA + OFF_QUEUE) | ((f & 2) ? 0 : VTD_IQA_DW) | ((f >> 2) & 1));
		gcmd(VTD_GCMD_QIE, 0);
	}
	if (!(f & 8)) {
		wr(VTD_REG_RTADDR, 8,
		   (RAM_GPA + OFF_ROOT) | ((f & 0x10) ? 0 : VTD_RTADDR_TTM_SCALABLE));
		gcmd(VTD_GCMD_SRTP, 0);
	}
	tail = fx.v.iqt;
	if (!(f & 0x20)) {
		d[0] = VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL);
		tail = put_desc(tail, d);
		d[0] = VTD_QI_TYPE_PC | VTD_QI_GRAN(VTD_QI_PC_GLOBAL);
		tail = put_desc(tail, d);
		d[0] = VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL);
		tail = put_desc(tail, d);
	}
	d[0] = VTD_QI_TYPE_WAIT | VTD_QI_WAIT_SW | VTD_QI_WAIT_DATA(0x5a000000u | s);
	d[1] = RAM_GPA + OFF_STATUS;
	tail = put_desc(tail, d);
	wr(VTD_REG_IQT, 8, tail);
	if (!(f & 0x40))
		gcmd(VTD_GCMD_TE, 0);
	else if (f & 0x80)
		gcmd(0, VTD_GCMD_TE);
}

/* One descriptor of a type picked by @t, its fields from the input. */
static void make_desc(uint8_t t, uint64_t *d)
{
	uint8_t g = take8(), s = take8();
	uint16_t sid = pick_sid(take8());
	uint32_t pasid = pick_pasid(take8());
	uint64_t addr = (uint64_t)take8() << 12, am = take8();

	memset(d, 0, 4 * sizeof(*d));
	switch (t % 10) {
	case 0:
		d[0] = VTD_QI_TYPE_CC | VTD_QI_GRAN(1 + g % 3) | VTD_QI_DID(s) |
		       VTD_QI_CC_SID(sid) | VTD_QI_CC_FM(g >> 6);
		break;
	case 1:
		d[0] = VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(1 + g % 3) | VTD_QI_DID(s) |
		       (g & 0x40 ? VTD_QI_IOTLB_DW | VTD_QI_IOTLB_DR : 0);
		d[1] = addr | VTD_QI_AM(am % 10) | (g & 0x80 ? VTD_QI_IH : 0);
		break;
	case 2:
		d[0] = VTD_QI_TYPE_DEVTLB | VTD_QI_DEVTLB_SID(sid) | VTD_QI_DEVTLB_PFSID(sid);
		d[1] = addr | (g & 1 ? VTD_QI_DEVTLB_S : 0);
		break;
	case 3:
		d[0] = VTD_QI_TYPE_IEC | VTD_QI_GRAN(g & 1);
		break;
	case 4:
		d[0] = VTD_QI_TYPE_WAIT | (g & 1 ? VTD_QI_WAIT_SW : 0) |
		       (g & 2 ? VTD_QI_WAIT_IF : 0) | (g & 4 ? VTD_QI_WAIT_FN : 0) |
		       VTD_QI_WAIT_DATA(take(4));
		d[1] = wait_status(s);
		break;
	case 5:
		d[0] = VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(2 + g % 2) | VTD_QI_DID(s) |
		       VTD_QI_PASID(pasid);
		d[1] = (g & 0x40 ? take(8) & VTD_QI_ADDR : addr) | VTD_QI_AM(am) |
		       (g & 0x80 ? VTD_QI_IH : 0);
		break;
	case 6:
	case 7: { /* PASID cache: the one that makes shadows */
		static const uint8_t gran[] = { VTD_QI_PC_PASID,  VTD_QI_PC_PASID, VTD_QI_PC_DOMAIN,
						VTD_QI_PC_GLOBAL, VTD_QI_PC_PASID, 2 };

		d[0] = VTD_QI_TYPE_PC | VTD_QI_GRAN(gran[g % 6]) | VTD_QI_DID(s) |
		       VTD_QI_PASID(pasid);
		break;
	}
	case 8:
		d[0] = VTD_QI_TYPE_PDEVTLB | VTD_QI_PDEVTLB_SID(sid) | VTD_QI_PASID(pasid) |
		       VTD_QI_PDEVTLB_PFSID(sid) | VTD_QI_PDEVTLB_QDEP(g);
		d[1] = addr | (g & 1 ? VTD_QI_PDEVTLB_G : 0) | (g & 2 ? VTD_QI_PDEVTLB_S : 0);
		break;
	default: /* anything: unknown types, reserved bits, upper halves */
		d[0] = take(8);
		d[1] = take(8);
		if (g & 1)
			d[2] = take(8);
		if (g & 2)
			d[3] = take(8);
		break;
	}
	/* Now and then a reserved bit or a non-zero upper half. */
	if (s >= 248)
		d[s & 1] ^= 1ull << (take8() % 64);
	else if (s == 247)
		d[2 + (g & 1)] = 1ull << (take8() % 64);
}

static void op_descs(void)
{
	uint8_t c = take8();
	unsigned int n = 1 + c % 4;
	uint64_t tail = fx.v.iqt, d[4], iqe = fx.v.cnt.iqe;
	bool cc_global = false;

	if (c & 0x80)
		tail = take(3) & VTD_IQ_OFF_MASK; /* the guest's idea of the tail is wrong */
	for (unsigned int i = 0; i < n; i++) {
		make_desc(take8(), d);
		cc_global |= (d[0] & VTD_GENMASK(5, 0)) == (VTD_QI_TYPE_CC | VTD_QI_GRAN(1)) &&
			     !(d[0] & (VTD_GENMASK(15, 6) | VTD_GENMASK(63, 50))) && !d[1] &&
			     !d[2] && !d[3];
		tail = put_desc(tail, d);
	}
	if (c & 0x40) {
		memset(d, 0, sizeof(d));
		d[0] = VTD_QI_TYPE_WAIT | VTD_QI_WAIT_SW | VTD_QI_WAIT_DATA(0xc0ffee00u + c) |
		       (c & 0x20 ? VTD_QI_WAIT_IF : 0);
		d[1] = RAM_GPA + OFF_STATUS + 0x40;
		tail = put_desc(tail, d);
	}
	if (c & 0x10) /* the high half first, as a 32-bit guest would, then the low */
		wr(VTD_REG_IQT + 4, 4, tail >> 32);
	wr(VTD_REG_IQT, (c & 0x10) ? 4 : 8, tail);
	/*
	 * The queue ran through a global context-cache invalidation: the guest's tables as
	 * they are now are all that counts, so after a switch to a root that does not
	 * translate (legacy mode) nothing may stay shadowed (finding
	 * legacy_root_keeps_shadows).
	 */
	if (cc_global && fx.v.cnt.iqe == iqe && fx.v.iqh == tail && (fx.v.gsts & VTD_GSTS_QIES) &&
	    !translating()) {
		for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
			FUZZ_CHECK(!fx.v.sh[i].used);
		for (unsigned int k = 0; k < NSIDS; k++) {
			struct vvtd_rid r;

			FUZZ_CHECK(!vvtd_rid_state(&fx.v, sids[k], &r) && r.mode == VVTD_RID_OFF);
		}
	}
}

static void op_fault(void)
{
	uint8_t s = take8();
	uint16_t sid = pick_sid(take8());
	uint32_t pasid = s & 1 ? VVTD_NO_PASID : pick_pasid(take8());
	uint64_t addr = take(8);
	uint8_t reason = take8();
	uint64_t waits = fx.v.cnt.waits;
	bool full = fx.v.frcd[fx.v.fri][1] & VTD_FRCD_HI_F;
	int r;

	r = vvtd_report_fault(&fx.v, sid, pasid, addr, reason, s & 2);
	if (trace)
		fprintf(stderr, "fault sid %x pasid %x -> %d\n", sid, pasid, r);
	FUZZ_CHECK(r == (full ? -ENOSPC : 0));
	if (full)
		FUZZ_CHECK(fx.v.fsts & VTD_FSTS_PFO);
	invariants(waits);
}

/* After vvtd_reset(): nothing shadowed, nothing bound, the reset registers. */
static void reset_unit(void)
{
	uint64_t waits = fx.v.cnt.waits;

	vvtd_reset(&fx.v);
	if (trace)
		fprintf(stderr, "reset: binds %llu unbinds %llu errors %llu iqe %llu waits %llu\n",
			(unsigned long long)fx.v.cnt.binds, (unsigned long long)fx.v.cnt.unbinds,
			(unsigned long long)fx.v.cnt.shadow_errors,
			(unsigned long long)fx.v.cnt.iqe, (unsigned long long)fx.v.cnt.waits);
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++)
		FUZZ_CHECK(!fx.v.sh[i].used);
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
			FUZZ_CHECK(!fx.e.g.pasid[i].live || !fx.e.g.pasid[i].bind[d].bound);
	/*
	 * hv/vvtd.h: "every PASID the unit allocated freed", the allocator's too (finding
	 * reset_keeps_vcmd_pasids).
	 */
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		FUZZ_CHECK(!fx.e.g.pasid[i].live);
	for (unsigned int i = fx.nvc; i-- > 0;)
		if (pasid_slot(fx.vc[i]) < 0)
			vc_drop(fx.vc[i]);
	FUZZ_CHECK(fx.v.gsts == 0 && fx.v.fsts == 0 && fx.v.fectl == VTD_FECTL_IM &&
		   fx.v.iectl == VTD_FECTL_IM && fx.v.iqh == 0 && fx.v.iqt == 0 && fx.v.iqa == 0);
	fx.iqa_moved = false;
	fx.root_switched = false;
	for (unsigned int k = 0; k < NSIDS; k++) {
		int mode = vsva_rid_mode(&fx.e.g, VSVA_DEVICE(0, sids[k] >> 8, sids[k] & 0xff));

		FUZZ_CHECK(mode < 0 || mode == VSVA_RID_PLATFORM);
	}
	invariants(waits);
}

static void op_vcmd_reset(void)
{
	uint8_t s = take8();

	switch (s % 4) {
	case 0:
	case 1:
		wr(VVTD_REG_VCMD, s & 4 ? 4 : 8, VVTD_VCMD_ALLOC);
		break;
	case 2:
		wr(VVTD_REG_VCMD, 8,
		   VVTD_VCMD_FREE | ((uint64_t)pick_pasid(take8()) << VVTD_VC_SHIFT));
		break;
	default:
		if (s < 128)
			reset_unit();
		break;
	}
}

/* ---- environment ------------------------------------------------------------------- */

static void on_event(void *ctx, enum vvtd_event ev)
{
	(void)ctx;
	FUZZ_CHECK(ev == VVTD_EV_FAULT || ev == VVTD_EV_INV);
	fx.events[ev]++;
}

/* 0, or -1 when the unit refused a physical unit without nesting (as it must). */
static int setup(uint8_t conf)
{
	struct vte_config ec = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .ats_mask = 1u << 1,
				 .pasid_translation = true,
				 .hv_size = GUARD,
				 .hv_mem = hv_mem,
				 .mmio_size = GUARD,
				 .mmio_mem = mmio_mem };
	struct vvtd_config vc = { .nr_sids = NSIDS,
				  .sid = { SID_A, SID_B, SID_C },
				  .vcmd = conf & 1,
				  .event = on_event };
	bool no_nest = (conf & 0xfe) == 0xfe;
	int r;

	memset(&fx, 0, sizeof(fx));
	if (no_nest)
		ec.model.ecap &= ~MODEL_ECAP_NEST;
	memset(hv_mem, GUARD_VAL, sizeof(hv_mem));
	memset(mmio_mem, GUARD_VAL, sizeof(mmio_mem));
	memset(pattern, GUARD_VAL, sizeof(pattern));
	if (vte_setup(&fx.e, &ec)) {
		fprintf(stderr, "setup: %s\n", fx.e.failed);
		FUZZ_CHECK(!"setup");
	}
	memset(ram_ref, 0, sizeof(ram_ref)); /* vte_setup() zeroed RAM */
	vc.vsva = &fx.e.g;
	r = vvtd_init(&fx.v, &vc);
	if (no_nest) {
		FUZZ_CHECK(r == -ENODEV);
		return -1;
	}
	FUZZ_CHECK(r == 0);
	fx.ver = fx.v.ver;
	fx.cap = fx.v.cap;
	fx.ecap = fx.v.ecap;
	fx.vsva_batches = fx.e.g.cnt.inv_batches;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int ops = 0;

	if (size < 1 || size > 4096)
		return 0;
	trace = getenv("FUZZ_VVTD_TRACE") != NULL;
	in = data;
	in_left = size;
	if (setup(take8()) == 0) {
		invariants(0);
		while (in_left && ops++ < 96) {
			switch (take8() % 8) {
			case 0:
				op_write();
				break;
			case 1:
				op_read();
				break;
			case 2:
				op_poke();
				break;
			case 3:
				op_chain();
				break;
			case 4:
				op_bringup();
				break;
			case 5:
				op_descs();
				break;
			case 6:
				op_fault();
				break;
			default:
				op_vcmd_reset();
				break;
			}
		}
		check_shadows(true);
		reset_unit();
		check_shadows(true);
	}
	FUZZ_CHECK(vte_teardown(&fx.e) == 0); /* nothing leaked */
	return 0;
}

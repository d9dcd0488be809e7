// SPDX-License-Identifier: MIT
/*
 * fuzz_vsva.c - the vSVA hypercall decoder (hv/vsva_hc.c) and core (hv/vsva.c,
 * hv/vsva_shadow.c, hv/pasid_space.c, hv/pasid_xlate.c) through the real dispatch
 * (hypercall_dispatch(), hv/hypercall.c), over the VT-d reference model: hardware
 * nesting (ECAP.NEST), or software nesting when bit 0 of the first input byte is set.
 *
 * Input: one config byte, then records, each an op byte and its operands:
 *   0 poke        off16 len8 bytes: guest writes @len bytes at RAM offset @off
 *   1 raw call    nr8, a0, a1 (each a selector byte and its payload, see arg())
 *   2 bind        a struct vsva_bind at a fuzz-chosen GPA (some outside RAM), then call
 *   3 invalidate  a struct vsva_invalidate with 0..65 requests, then call
 *   4 translate   a struct vsva_translate, then call
 *   5 valid op    unbind of a live binding / a valid invalidation batch (must return
 *                 0), guest reset (must leave nothing), or a guest FL mapping
 * Fake guest RAM is RAM_SIZE bytes at RAM_GPA; an MMIO page below it and hypervisor
 * memory (a canary) above it are reachable through hpa_to_hva() but not guest RAM.
 *
 * After EVERY call: vsva_check() (PASID entries carry the guest's DID and second
 * level, nothing maps hypervisor memory, the VMCS translation structure agrees with
 * the PASIDs); an error return left the whole struct vsva_guest and the frame count
 * unchanged; the canaries are intact. At the end: destroy frees every frame.
 */
#include <string.h>

#include "guest/include/vsva_hv.h"
#include "hv/guest_map.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vsva_hc.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/fuzz/fuzz_env.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	  VTE_RAM_GPA
#define RAM_SIZE  0x10000ull /* 16 pages */
#define GUARD	  0x2000ull  /* MMIO below RAM, hypervisor memory above it */
#define GUARD_VAL 0xa5
#define SID_A	  VTD_SID(0, 3, 0)
#define SID_B	  VTD_SID(0, 4, 0) /* ATS */
#define DEV_A	  VSVA_DEVICE(0, 0, (3 << 3))
#define DEV_B	  VSVA_DEVICE(0, 0, (4 << 3))
#define DEV_X	  VSVA_DEVICE(0, 0, (5 << 3)) /* not the guest's */
#define FLF	  VTE_FLF
#define NHIST	  8

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t hv_mem[GUARD] __attribute__((aligned(4096)));
static uint8_t mmio[GUARD] __attribute__((aligned(4096)));
static uint8_t pattern[GUARD];

static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B (ATS), the VM, the guest, its hypercalls */
} fx;

static struct vsva_guest snap;
static uint32_t hist[NHIST]; /* PASIDs alloc returned (a ring) */
static unsigned int nhist, hpos;
static bool trace; /* FUZZ_VSVA_TRACE set: print every call and its result */

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

static uint32_t pick_dev(uint8_t s)
{
	static const uint32_t devs[] = { DEV_A, DEV_B, DEV_X, VSVA_DEVICE(1, 0, 3 << 3) };

	return s < 4 * 60 ? devs[s % 4] : (uint32_t)take(4);
}

static uint32_t pick_pasid(uint8_t s)
{
	if (s < 200)
		return nhist ? hist[s % nhist] : s % 4;
	if (s < 240)
		return s - 200;
	return (uint32_t)take(4);
}

/* A register: small number, GPA around RAM, device, PASID, raw 64 or 32 bits. */
static uint64_t arg(void)
{
	uint8_t s = (uint8_t)take(1);

	switch (s % 6) {
	case 0:
		return take(1);
	case 1:
		return RAM_GPA - GUARD + take(2) % (RAM_SIZE + 2 * GUARD);
	case 2:
		return pick_dev((uint8_t)take(1));
	case 3:
		return pick_pasid((uint8_t)take(1));
	case 4:
		return take(8);
	default:
		return take(4);
	}
}

/* A GPA for a structure: 8-byte aligned around RAM, rarely misaligned. */
static uint64_t struct_gpa(void)
{
	uint16_t o = (uint16_t)take(2);
	uint64_t gpa = RAM_GPA - 0x100 + o % (RAM_SIZE + 0x200);

	return (o & 0x8000) && (o & 0x7) == 7 ? gpa | 4 : gpa & ~7ull;
}

/* Copy @len bytes of @p to guest RAM at @gpa, dropping what falls outside RAM. */
static void guest_write(uint64_t gpa, const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (gpa + i >= RAM_GPA && gpa + i < RAM_GPA + RAM_SIZE)
			ram[gpa + i - RAM_GPA] = ((const uint8_t *)p)[i];
}

static uint64_t page_gpa(uint8_t s)
{
	if (s < 240)
		return RAM_GPA + (s % (RAM_SIZE / 4096)) * 4096;
	return take(8);
}

/* ---- environment ------------------------------------------------------------------- */

static void setup(bool sw_nest)
{
	struct vte_config vc = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .ats_mask = 1u << 1,
				 .hypercalls = true,
				 .pasid_translation = true,
				 .hv_size = GUARD,
				 .hv_mem = hv_mem,
				 .mmio_size = GUARD,
				 .mmio_mem = mmio };

	memset(&fx, 0, sizeof(fx));
	if (sw_nest)
		vc.model.ecap &= ~MODEL_ECAP_NEST;
	memset(hv_mem, GUARD_VAL, sizeof(hv_mem));
	memset(mmio, GUARD_VAL, sizeof(mmio));
	memset(pattern, GUARD_VAL, sizeof(pattern));
	if (vte_setup(&fx.e, &vc)) {
		fprintf(stderr, "setup: %s\n", fx.e.failed);
		FUZZ_CHECK(!"setup");
	}
	nhist = 0;
}

static void teardown(void)
{
	FUZZ_CHECK(vte_teardown(&fx.e) == 0); /* nothing leaked */
}

static int dev_slot(uint32_t dev)
{
	for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
		if (fx.e.g.dev[d].attached && fx.e.g.dev[d].id == dev)
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

static void invariants(void)
{
	char why[200] = "";

	if (vsva_check(&fx.e.g, why, sizeof(why))) {
		fprintf(stderr, "vsva_check: %s\n", why);
		FUZZ_CHECK(!"invariant: vsva_check()");
	}
	FUZZ_CHECK(!memcmp(hv_mem, pattern, GUARD));
	FUZZ_CHECK(!memcmp(mmio, pattern, GUARD));
}

/* One VMCALL; the checks after every call. */
static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1)
{
	unsigned int frames = env_frames_live;
	bool must_unbind = false;
	int64_t r;

	if (nr == VSVA_HC_UNBIND && !(a0 >> 32) && !(a1 >> 32)) {
		int d = dev_slot((uint32_t)a0), p = pasid_slot((uint32_t)a1);

		must_unbind = d >= 0 && p >= 0 && fx.e.g.pasid[p].bind[d].bound;
	}
	memcpy(&snap, &fx.e.g, sizeof(snap));
	r = vte_hc(&fx.e, nr, a0, a1);
	if (trace)
		fprintf(stderr, "call %llu (0x%llx, 0x%llx) = %lld\n", (unsigned long long)nr,
			(unsigned long long)a0, (unsigned long long)a1, (long long)r);
	invariants();
	if (must_unbind)
		FUZZ_CHECK(r == 0);
	if (r < 0) {
		FUZZ_CHECK(!memcmp(&snap, &fx.e.g, sizeof(snap))); /* an error changes nothing */
		FUZZ_CHECK(env_frames_live == frames);
	}
	if (nr == VSVA_HC_PASID_ALLOC && r > 0) {
		hist[hpos++ % NHIST] = (uint32_t)r;
		if (nhist < NHIST)
			nhist++;
	}
	return r;
}

/* ---- ops ------------------------------------------------------------------------- */

static void op_poke(void)
{
	uint64_t off = take(2) % RAM_SIZE;
	size_t len = take(1) % 65;

	for (size_t i = 0; i < len && off + i < RAM_SIZE; i++)
		ram[off + i] = (uint8_t)take(1);
}

static void op_raw(void)
{
	uint64_t nr = take(1) % (VSVA_HC_COUNT + 2);
	uint64_t a0 = arg();

	call(nr, a0, arg());
}

static void op_bind(void)
{
	uint64_t gpa = struct_gpa();
	uint8_t s = (uint8_t)take(1);
	struct vsva_bind b = {
		.size = s < 200 ? VSVA_BIND_SIZE_V1 : (uint32_t)take(2) % 4200,
		.pasid = pick_pasid((uint8_t)take(1)),
		.device = pick_dev((uint8_t)take(1)),
		.flptr = page_gpa((uint8_t)take(1)),
	};

	s = (uint8_t)take(1);
	b.flags = s < 128 ? 0 : s & 7;
	if (s & 0x40)
		b.flags |= 1u << (s & 31);
	s = (uint8_t)take(1);
	b.paging_levels = s < 160 ? 4 : s < 220 ? 5 : s;
	s = (uint8_t)take(1);
	b.addr_width = s < 160 ? 0 : s < 200 ? 48 : s < 240 ? 57 : s;
	s = (uint8_t)take(1);
	if (s > 240)
		b.reserved = s;
	if (s == 255)
		b.flptr |= take(2) & 0xfff;
	guest_write(gpa, &b, sizeof(b));
	if (b.size > sizeof(b) && b.size <= 4096) /* bytes past V1: zero, or one set */
		for (uint64_t i = sizeof(b); i < b.size; i++)
			guest_write(gpa + i, &(uint8_t){ i == b.size - 1 && s == 250 }, 1);
	call(VSVA_HC_BIND, gpa, 0);
}

static void op_invalidate(void)
{
	uint64_t gpa = struct_gpa();
	uint8_t s = (uint8_t)take(1);
	uint32_t n = s < 250 ? 1 + s % 33 : s == 250 ? 0 : s == 251 ? 65 : VSVA_INV_BATCH_MAX;
	struct vsva_invalidate h = { .size = VSVA_INVALIDATE_SIZE(n), .count = n };

	s = (uint8_t)take(1);
	if (s > 245)
		h.size += 8 * (s - 245);
	if (s == 255)
		h.reserved = 1;
	guest_write(gpa, &h, sizeof(h));
	for (uint32_t i = 0; i < n && i < VSVA_INV_BATCH_MAX; i++) {
		uint8_t t = (uint8_t)take(1);
		struct vsva_inv_req q = {
			.type = t < 240 ? 1 + t % 3 : t,
			.flags = (t & 0x30) == 0x30,
			.pasid = pick_pasid((uint8_t)take(1)),
			.device = pick_dev((uint8_t)take(1)),
		};

		s = (uint8_t)take(1);
		q.pages = s < 128 ? 0 : s < 250 ? s - 127 : take(8);
		q.addr = q.pages ? (uint64_t)(uint8_t)take(1) << 12 : 0;
		if (s == 255)
			q.addr |= take(2) & 0xfff;
		if (s == 254)
			q.reserved = 1;
		guest_write(gpa + 16 + 32ull * i, &q, sizeof(q));
	}
	for (uint64_t i = VSVA_INVALIDATE_SIZE(n); i < h.size; i++)
		guest_write(gpa + i, &(uint8_t){ 0 }, 1);
	call(VSVA_HC_INVALIDATE, gpa, 0);
}

static void op_translate(void)
{
	uint64_t gpa = struct_gpa();
	uint8_t s = (uint8_t)take(1);
	struct vsva_translate t = {
		.size = s < 240 ? VSVA_TRANSLATE_SIZE_V1 : (uint32_t)take(2) % 4200,
		.pasid = pick_pasid((uint8_t)take(1)),
		.device = pick_dev((uint8_t)take(1)),
		.reserved = s == 239,
	};

	s = (uint8_t)take(1);
	t.addr = s < 200 ? (uint64_t)s << 12 | (take(1) & 0xff) : take(8);
	guest_write(gpa, &t, sizeof(t));
	call(VSVA_HC_TRANSLATE, gpa, 0);
}

/* A valid batch: requests naming an attached device and a live PASID must succeed. */
static void valid_invalidate(uint8_t s)
{
	struct vsva_inv_req q[8];
	unsigned int n = 0;
	int64_t r;

	memset(q, 0, sizeof(q));
	for (unsigned int d = 0; d < VSVA_MAX_DEVICES && n < 8; d++) {
		if (!fx.e.g.dev[d].attached)
			continue;
		for (unsigned int i = 0; i < VSVA_MAX_PASIDS && n < 8; i++) {
			if (!fx.e.g.pasid[i].live)
				continue;
			q[n].type = 1 + (s + n) % 3;
			q[n].pasid = fx.e.g.pasid[i].gpasid;
			q[n].device = fx.e.g.dev[d].id;
			if (((s >> 2) & 1) && q[n].type != VSVA_INV_PASID_CACHE) {
				q[n].pages = 1 + (s >> 3);
				q[n].addr = (uint64_t)s << 12;
			}
			n++;
		}
	}
	if (!n)
		return;
	memset(ram, 0, 16 + 32 * n);
	memcpy(ram, &(struct vsva_invalidate){ .size = VSVA_INVALIDATE_SIZE(n), .count = n }, 16);
	memcpy(ram + 16, q, 32 * n);
	r = call(VSVA_HC_INVALIDATE, RAM_GPA, 0);
	FUZZ_CHECK(r == 0);
}

/* vsva_guest_reset(): no PASID, device, binding or VMCS translation entry left. */
static void valid_reset(void)
{
	vsva_guest_reset(&fx.e.g);
	invariants();
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		FUZZ_CHECK(!fx.e.g.pasid[i].live);
	for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
		FUZZ_CHECK(!fx.e.g.dev[d].attached);
	FUZZ_CHECK(fx.e.g.xlate.entries == 0);
	nhist = 0;
}

/* A guest FL entry: table page @s, entry @e, pointing at page @t with low flags. */
static void fl_entry(void)
{
	uint64_t tab = take(1) % (RAM_SIZE / 4096), e = take(2) % 512;
	uint64_t v = page_gpa((uint8_t)take(1)) | (take(1) & 0x87);

	memcpy(ram + tab * 4096 + e * 8, &v, sizeof(v));
}

static void op_valid(void)
{
	uint8_t s = (uint8_t)take(1);

	switch (s % 4) {
	case 0:
		for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
			for (unsigned int d = 0; d < VSVA_MAX_DEVICES; d++)
				if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].bind[d].bound &&
				    !(s & 4)) {
					int64_t r = call(VSVA_HC_UNBIND, fx.e.g.dev[d].id,
							 fx.e.g.pasid[i].gpasid);

					FUZZ_CHECK(r == 0);
					return;
				}
		break;
	case 1:
		valid_invalidate(s);
		break;
	case 2:
		if (s < 64)
			valid_reset();
		break;
	default:
		fl_entry();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int calls = 0;

	if (size < 1 || size > 4096)
		return 0;
	trace = getenv("FUZZ_VSVA_TRACE") != NULL;
	in = data;
	in_left = size;
	setup(take(1) & 1);
	while (in_left && calls++ < 64) {
		switch (take(1) % 6) {
		case 0:
			op_poke();
			break;
		case 1:
			op_raw();
			break;
		case 2:
			op_bind();
			break;
		case 3:
			op_invalidate();
			break;
		case 4:
			op_translate();
			break;
		default:
			op_valid();
			break;
		}
	}
	teardown();
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * test_model_cache.c - caches and their invalidation (VT-d §6.2, §6.5):
 * a table change without the right invalidation keeps being used (the
 * translation is reported stale); after the right descriptor it is fresh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

#define SID    0x0300
#define DID    3
#define PASID  0x21
#define IOVA   0x200000ULL
#define SL_RW  (MODEL_SL_R | MODEL_SL_W)
#define FL_RWU (MODEL_FL_P | MODEL_FL_RW | MODEL_FL_US)

struct fx {
	struct model_unit *u;
	bool sm;
	uint64_t root, dir, sl, sl2, fl, fl2, data, data2, iq;
	uint64_t leaf; /* HPA of the leaf entry for IOVA */
};

/* ---- invalidation queue helpers ---- */

static void qi_init(struct fx *f)
{
	uint32_t sts;

	f->iq = model_mem_alloc(f->u, 1);
	model_write64(f->u, MODEL_REG_IQA, f->iq | (f->sm ? MODEL_IQA_DW : 0));
	sts = model_read32(f->u, MODEL_REG_GSTS) & MODEL_GSTS_TES;
	model_write32(f->u, MODEL_REG_GCMD, sts | MODEL_GCMD_QIE);
}

static void qi(struct fx *f, uint64_t q0, uint64_t q1)
{
	uint64_t d[4] = { q0, q1, 0, 0 }, size = f->sm ? 32 : 16;
	uint64_t tail = model_read64(f->u, MODEL_REG_IQT);

	model_mem_write(f->u, f->iq + tail, d, size);
	model_write64(f->u, MODEL_REG_IQT, (tail + size) % 4096);
	assert_int_equal(model_read64(f->u, MODEL_REG_IQH), model_read64(f->u, MODEL_REG_IQT));
}

static uint64_t q_did(uint64_t did)
{
	return did << 16;
}

static uint64_t q_pasid(uint64_t pasid)
{
	return pasid << 32;
}

static uint64_t q_g(uint64_t g)
{
	return g << 4;
}

/* ---- fixtures ---- */

static int setup_legacy(void **state)
{
	static struct fx f;
	struct model_config c = model_cfg_legacy();
	uint64_t ce[2];

	memset(&f, 0, sizeof(f));
	f.u = model_create(&c);
	model_tb_root(f.u, false, &f.root);
	f.sl = model_mem_alloc(f.u, 1);
	f.sl2 = model_mem_alloc(f.u, 1);
	f.data = model_mem_alloc(f.u, 1);
	f.data2 = model_mem_alloc(f.u, 1);
	ce[0] = MODEL_CE_P | (MODEL_CE_TT_ALL << 2) | f.sl;
	ce[1] = ((uint64_t)DID << 8) | 2;
	model_tb_legacy_ctx(f.u, f.root, SID, ce);
	model_tb_map(f.u, f.sl, 4, false, IOVA, f.data, 4096, SL_RW, SL_RW, 0, &f.leaf);
	model_tb_map(f.u, f.sl2, 4, false, IOVA, f.data2, 4096, SL_RW, SL_RW, 0, NULL);
	model_tb_enable(f.u);
	qi_init(&f);
	*state = &f;
	return 0;
}

static void set_pe(struct fx *f, uint32_t pasid, unsigned int pgtt, uint16_t did, uint64_t fl,
		   uint64_t sl)
{
	uint64_t pe[8] = { MODEL_PE_P | (2 << 2) | ((uint64_t)pgtt << 6) | sl, did, fl };

	model_tb_pasid_entry(f->u, f->dir, pasid, pe);
}

static int setup_scalable(void **state)
{
	static struct fx f;
	struct model_config c = model_cfg_scalable();
	uint64_t ce[4] = { 0 };

	memset(&f, 0, sizeof(f));
	f.sm = true;
	f.u = model_create(&c);
	model_tb_root(f.u, true, &f.root);
	f.dir = model_mem_alloc(f.u, 1);
	f.fl = model_mem_alloc(f.u, 1);
	f.fl2 = model_mem_alloc(f.u, 1);
	f.sl = model_mem_alloc(f.u, 1);
	f.data = model_mem_alloc(f.u, 1);
	f.data2 = model_mem_alloc(f.u, 1);
	ce[0] = MODEL_SCE_P | MODEL_SCE_PASIDE | MODEL_SCE_DTE | f.dir;
	model_tb_sm_ctx(f.u, f.root, SID, ce);
	set_pe(&f, PASID, MODEL_PGTT_FL, DID, f.fl, 0);
	model_tb_map(f.u, f.fl, 4, true, IOVA, f.data, 4096, FL_RWU, FL_RWU, 0, &f.leaf);
	model_tb_map(f.u, f.fl2, 4, true, IOVA, f.data2, 4096, FL_RWU, FL_RWU, 0, NULL);
	model_tb_enable(f.u);
	qi_init(&f);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	model_destroy(f->u);
	return 0;
}

static struct model_xlate go(struct fx *f, uint32_t pasid, uint64_t addr, bool ats)
{
	struct model_req r = { .sid = SID, .pasid = pasid, .addr = addr, .ats = ats };
	struct model_xlate x;

	model_translate(f->u, &r, &x);
	return x;
}

static struct model_xlate lg(struct fx *f)
{
	return go(f, MODEL_NO_PASID, IOVA, false);
}

static struct model_xlate sm(struct fx *f)
{
	return go(f, PASID, IOVA, false);
}

/* Point the leaf for IOVA at data2 (a PTE change software must flush). */
static void remap_leaf(struct fx *f)
{
	uint64_t e = model_mem_read64(f->u, f->leaf);

	model_mem_write64(f->u, f->leaf, (e & ~MODEL_GENMASK(51, 12)) | f->data2);
}

/* ---- legacy: IOTLB ---- */

static void first_translation_is_a_walk(void **state)
{
	struct fx *f = *state;

	assert_int_equal(lg(f).src, MODEL_SRC_WALK);
}

static void second_translation_hits_iotlb(void **state)
{
	struct fx *f = *state;

	lg(f);
	assert_int_equal(lg(f).src, MODEL_SRC_IOTLB);
	assert_int_equal(model_get_stats(f->u)->hits[MODEL_CACHE_IOTLB], 1);
}

static void pte_change_without_flush_is_stale(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	lg(f);
	remap_leaf(f);
	x = lg(f);
	assert_true(x.stale);
	assert_int_equal(x.hpa, f->data);
	assert_int_equal(x.fresh_hpa, f->data2);
}

static void page_selective_iotlb_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;
	struct model_xlate x;

	lg(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA);
	x = lg(f);
	assert_false(x.stale);
	assert_int_equal(x.hpa, f->data2);
}

static void domain_iotlb_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;

	lg(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	assert_false(lg(f).stale);
}

static void global_iotlb_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;

	lg(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(1), 0);
	assert_false(lg(f).stale);
}

static void iotlb_flush_of_other_domain_stays_stale(void **state)
{
	struct fx *f = *state;

	lg(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID + 1), 0);
	assert_true(lg(f).stale);
}

static void page_flush_of_other_page_stays_stale(void **state)
{
	struct fx *f = *state;

	lg(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA + 4096);
	assert_true(lg(f).stale);
}

static void page_flush_with_am1_covers_both_pages(void **state)
{
	struct fx *f = *state;

	lg(f);
	remap_leaf(f);
	/* AM = 1: 2 pages at IOVA + 4K rounded down to 8K = IOVA. */
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), (IOVA + 4096) | 1);
	assert_false(lg(f).stale);
}

static void register_based_iotlb_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;
	uint32_t iro = (uint32_t)MODEL_ECAP_IRO(model_read64(f->u, MODEL_REG_ECAP));

	lg(f);
	remap_leaf(f);
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE); /* QI off */
	model_write64(f->u, iro, IOVA);
	model_write64(f->u, iro + 8, MODEL_IOTLB_IVT | (3ULL << 60) | ((uint64_t)DID << 32));
	assert_false(lg(f).stale);
	assert_false(model_read64(f->u, iro + 8) & MODEL_IOTLB_IVT);
}

/* ---- legacy: paging-structure cache and IH ---- */

/* Point the PD entry for IOVA at a new page table mapping IOVA to data2. */
static void replace_page_table(struct fx *f)
{
	uint64_t pt = model_mem_alloc(f->u, 1);
	uint64_t pml4e = model_mem_read64(f->u, f->sl);
	uint64_t pdpt = pml4e & MODEL_GENMASK(51, 12);
	uint64_t pd = model_mem_read64(f->u, pdpt) & MODEL_GENMASK(51, 12);

	model_mem_write64(f->u, pt + ((IOVA >> 12) & 0x1FF) * 8, f->data2 | SL_RW);
	model_mem_write64(f->u, pd + ((IOVA >> 21) & 0x1FF) * 8, pt | SL_RW);
}

static void page_flush_with_ih_keeps_paging_structure_cache(void **state)
{
	struct fx *f = *state;

	lg(f);
	replace_page_table(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA | MODEL_QI_IH);
	assert_true(lg(f).stale);
}

static void page_flush_without_ih_drops_paging_structure_cache(void **state)
{
	struct fx *f = *state;

	lg(f);
	replace_page_table(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA);
	assert_false(lg(f).stale);
}

/* ---- legacy: context cache ---- */

static void move_to_sl2(struct fx *f, uint16_t did)
{
	uint64_t ce[2] = { MODEL_CE_P | (MODEL_CE_TT_ALL << 2) | f->sl2, ((uint64_t)did << 8) | 2 };

	model_tb_legacy_ctx(f->u, f->root, SID, ce);
}

static void context_change_without_flush_is_stale(void **state)
{
	struct fx *f = *state;

	lg(f);
	move_to_sl2(f, DID);
	assert_true(lg(f).stale);
}

static void context_flush_without_iotlb_flush_stays_stale(void **state)
{
	struct fx *f = *state;

	lg(f);
	move_to_sl2(f, DID);
	qi(f, MODEL_QI_CC | q_g(3) | q_did(DID) | ((uint64_t)SID << 32), 0);
	assert_true(lg(f).stale);
}

static void device_context_flush_then_domain_iotlb_flush_is_fresh(void **state)
{
	struct fx *f = *state;

	lg(f);
	move_to_sl2(f, DID);
	qi(f, MODEL_QI_CC | q_g(3) | q_did(DID) | ((uint64_t)SID << 32), 0);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	assert_false(lg(f).stale);
}

static void domain_context_flush_with_wrong_did_stays_stale(void **state)
{
	struct fx *f = *state;

	lg(f);
	move_to_sl2(f, DID + 1);
	/* Flushing the new DID misses the cached entry tagged with the old. */
	qi(f, MODEL_QI_CC | q_g(2) | q_did(DID + 1), 0);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID + 1), 0);
	assert_true(lg(f).stale);
}

static void global_context_flush_counts_flushed_entries(void **state)
{
	struct fx *f = *state;

	lg(f);
	qi(f, MODEL_QI_CC | q_g(1), 0);
	assert_int_equal(model_get_stats(f->u)->flushed[MODEL_CACHE_CONTEXT], 1);
	assert_int_equal(model_cache_count(f->u, MODEL_CACHE_CONTEXT), 0);
}

static void device_context_flush_with_function_mask_covers_function(void **state)
{
	struct fx *f = *state;

	lg(f);
	move_to_sl2(f, DID);
	/* FM = 3: all 8 functions of device 03:00; flush names function 7. */
	qi(f, MODEL_QI_CC | q_g(3) | q_did(DID) | ((uint64_t)(SID | 7) << 32) | (3ULL << 48), 0);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	assert_false(lg(f).stale);
}

static void register_based_context_flush_works_without_qi(void **state)
{
	struct fx *f = *state;

	lg(f);
	model_write32(f->u, MODEL_REG_GCMD, MODEL_GCMD_TE); /* QI off */
	model_write64(f->u, MODEL_REG_CCMD, MODEL_CCMD_ICC | (1ULL << 61));
	assert_int_equal(model_cache_count(f->u, MODEL_CACHE_CONTEXT), 0);
}

/* ---- legacy: device-TLB ---- */

static void ats_translation_fills_device_tlb(void **state)
{
	struct fx *f = *state;

	go(f, MODEL_NO_PASID, IOVA, true);
	assert_int_equal(go(f, MODEL_NO_PASID, IOVA, true).src, MODEL_SRC_DEVTLB);
}

static void iotlb_flush_alone_leaves_device_tlb_stale(void **state)
{
	struct fx *f = *state;

	go(f, MODEL_NO_PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA);
	assert_true(go(f, MODEL_NO_PASID, IOVA, true).stale);
}

static void devtlb_flush_after_iotlb_flush_is_fresh(void **state)
{
	struct fx *f = *state;

	go(f, MODEL_NO_PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), IOVA);
	qi(f, MODEL_QI_DEVTLB | ((uint64_t)SID << 32), IOVA);
	assert_false(go(f, MODEL_NO_PASID, IOVA, true).stale);
}

static void devtlb_flush_with_size_bit_covers_range(void **state)
{
	struct fx *f = *state;

	go(f, MODEL_NO_PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	/* S=1, address 0x27F000: lowest clear bit 19 -> 1 MiB at 0x200000. */
	qi(f, MODEL_QI_DEVTLB | ((uint64_t)SID << 32), 0x27F000ULL | MODEL_QI_DEVTLB_S);
	assert_false(go(f, MODEL_NO_PASID, IOVA, true).stale);
}

static void devtlb_flush_of_other_device_stays_stale(void **state)
{
	struct fx *f = *state;

	go(f, MODEL_NO_PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	qi(f, MODEL_QI_DEVTLB | ((uint64_t)(SID + 1) << 32), IOVA);
	assert_true(go(f, MODEL_NO_PASID, IOVA, true).stale);
}

/* ---- scalable: PASID cache and PASID-based IOTLB ---- */

static void sm_pte_change_without_flush_is_stale(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	assert_true(sm(f).stale);
}

static void piotlb_page_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(3) | q_did(DID) | q_pasid(PASID), IOVA);
	assert_false(sm(f).stale);
}

static void piotlb_pasid_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	assert_false(sm(f).stale);
}

static void piotlb_flush_of_other_pasid_stays_stale(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID + 1), 0);
	assert_true(sm(f).stale);
}

static void piotlb_page_flush_with_am_covers_page(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(3) | q_did(DID) | q_pasid(PASID), (IOVA + 0x3000) | 2);
	assert_false(sm(f).stale);
}

static void iotlb_descriptor_does_not_flush_first_level(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	qi(f, MODEL_QI_IOTLB | q_g(2) | q_did(DID), 0);
	assert_true(sm(f).stale);
}

static void pasid_entry_change_without_pasid_cache_flush_is_stale(void **state)
{
	struct fx *f = *state;

	sm(f);
	set_pe(f, PASID, MODEL_PGTT_FL, DID, f->fl2, 0);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	assert_true(sm(f).stale);
}

static void pasid_cache_then_piotlb_flush_is_fresh(void **state)
{
	struct fx *f = *state;

	sm(f);
	set_pe(f, PASID, MODEL_PGTT_FL, DID, f->fl2, 0);
	qi(f, MODEL_QI_PC | q_g(1) | q_did(DID) | q_pasid(PASID), 0);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	assert_false(sm(f).stale);
}

static void pasid_cache_domain_flush_is_fresh(void **state)
{
	struct fx *f = *state;

	sm(f);
	set_pe(f, PASID, MODEL_PGTT_FL, DID, f->fl2, 0);
	qi(f, MODEL_QI_PC | q_g(0) | q_did(DID), 0);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	assert_false(sm(f).stale);
}

static void pasid_cache_flush_naming_new_did_misses_old_entry(void **state)
{
	struct fx *f = *state;

	sm(f);
	set_pe(f, PASID, MODEL_PGTT_FL, DID + 1, f->fl2, 0);
	qi(f, MODEL_QI_PC | q_g(1) | q_did(DID + 1) | q_pasid(PASID), 0);
	assert_true(sm(f).stale);
}

static void pasid_cache_global_flush_empties_it(void **state)
{
	struct fx *f = *state;

	sm(f);
	qi(f, MODEL_QI_PC | q_g(3), 0);
	assert_int_equal(model_cache_count(f->u, MODEL_CACHE_PASID), 0);
}

static void pasid_cache_hit_is_counted(void **state)
{
	struct fx *f = *state;

	sm(f);
	sm(f);
	assert_int_equal(model_get_stats(f->u)->hits[MODEL_CACHE_PASID], 1);
}

/* ---- scalable: nested, the SL stage ---- */

static void nested_sl_change_needs_iotlb_descriptor(void **state)
{
	struct fx *f = *state;
	uint64_t sl = model_mem_alloc(f->u, 1), sl_leaf, gpa = 0x40000000ULL;
	uint64_t fl = model_mem_alloc(f->u, 1);

	/* FL maps IOVA to GPA 1 GiB; FL tables reached by GPA = HPA + 2 GiB. */
	set_pe(f, PASID + 1, MODEL_PGTT_NESTED, DID, fl + 0x80000000ULL, sl);
	model_tb_map(f->u, sl, 4, false, 0x80000000ULL, 0, 1 << 30, SL_RW, SL_RW, 0, NULL);
	model_tb_map(f->u, sl, 4, false, gpa, f->data, 4096, SL_RW, SL_RW, 0, &sl_leaf);
	model_tb_map(f->u, fl, 4, true, IOVA, gpa, 4096, FL_RWU, FL_RWU, 0x80000000ULL, NULL);
	assert_int_equal(go(f, PASID + 1, IOVA, false).hpa, f->data);
	model_mem_write64(f->u, sl_leaf, f->data2 | SL_RW);
	assert_true(go(f, PASID + 1, IOVA, false).stale);
	qi(f, MODEL_QI_IOTLB | q_g(3) | q_did(DID), gpa);
	assert_false(go(f, PASID + 1, IOVA, false).stale);
}

/* ---- scalable: PASID-based device-TLB ---- */

static void pasid_devtlb_flush_makes_it_fresh(void **state)
{
	struct fx *f = *state;

	go(f, PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	assert_true(go(f, PASID, IOVA, true).stale);
	qi(f, MODEL_QI_PDEVTLB | ((uint64_t)SID << 16) | q_pasid(PASID), IOVA);
	assert_false(go(f, PASID, IOVA, true).stale);
}

static void pasid_devtlb_flush_of_other_pasid_stays_stale(void **state)
{
	struct fx *f = *state;

	go(f, PASID, IOVA, true);
	remap_leaf(f);
	qi(f, MODEL_QI_PIOTLB | q_g(2) | q_did(DID) | q_pasid(PASID), 0);
	qi(f, MODEL_QI_PDEVTLB | ((uint64_t)SID << 16) | q_pasid(PASID + 1), IOVA);
	assert_true(go(f, PASID, IOVA, true).stale);
}

static void stale_uses_are_counted(void **state)
{
	struct fx *f = *state;

	sm(f);
	remap_leaf(f);
	sm(f);
	assert_int_equal(model_get_stats(f->u)->stale_uses, 1);
}

#define L(fn) cmocka_unit_test_setup_teardown(fn, setup_legacy, teardown)
#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_scalable, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		L(first_translation_is_a_walk),
		L(second_translation_hits_iotlb),
		L(pte_change_without_flush_is_stale),
		L(page_selective_iotlb_flush_makes_it_fresh),
		L(domain_iotlb_flush_makes_it_fresh),
		L(global_iotlb_flush_makes_it_fresh),
		L(iotlb_flush_of_other_domain_stays_stale),
		L(page_flush_of_other_page_stays_stale),
		L(page_flush_with_am1_covers_both_pages),
		L(register_based_iotlb_flush_makes_it_fresh),
		L(page_flush_with_ih_keeps_paging_structure_cache),
		L(page_flush_without_ih_drops_paging_structure_cache),
		L(context_change_without_flush_is_stale),
		L(context_flush_without_iotlb_flush_stays_stale),
		L(device_context_flush_then_domain_iotlb_flush_is_fresh),
		L(domain_context_flush_with_wrong_did_stays_stale),
		L(global_context_flush_counts_flushed_entries),
		L(device_context_flush_with_function_mask_covers_function),
		L(register_based_context_flush_works_without_qi),
		L(ats_translation_fills_device_tlb),
		L(iotlb_flush_alone_leaves_device_tlb_stale),
		L(devtlb_flush_after_iotlb_flush_is_fresh),
		L(devtlb_flush_with_size_bit_covers_range),
		L(devtlb_flush_of_other_device_stays_stale),
		S(sm_pte_change_without_flush_is_stale),
		S(piotlb_page_flush_makes_it_fresh),
		S(piotlb_pasid_flush_makes_it_fresh),
		S(piotlb_flush_of_other_pasid_stays_stale),
		S(piotlb_page_flush_with_am_covers_page),
		S(iotlb_descriptor_does_not_flush_first_level),
		S(pasid_entry_change_without_pasid_cache_flush_is_stale),
		S(pasid_cache_then_piotlb_flush_is_fresh),
		S(pasid_cache_domain_flush_is_fresh),
		S(pasid_cache_flush_naming_new_did_misses_old_entry),
		S(pasid_cache_global_flush_empties_it),
		S(pasid_cache_hit_is_counted),
		S(nested_sl_change_needs_iotlb_descriptor),
		S(pasid_devtlb_flush_makes_it_fresh),
		S(pasid_devtlb_flush_of_other_pasid_stays_stale),
		S(stale_uses_are_counted),
	};

	return cmocka_run_group_tests_name("model_cache", tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * test_vvtd.c - the virtual VT-d unit (hv/vvtd*.c) over the vSVA core and the VT-d
 * reference model as the physical unit: register semantics (widths, reserved bits,
 * undefined offsets, RW1C, one-shot commands), the guest driver's bring-up as Linux's
 * intel-iommu does it, PASID-entry shadowing into nested physical entries with DMA
 * translating GVA -> GPA -> HPA through the model, batched invalidation, the virtual
 * command allocator, and every malformed input (IQE or ignored, no physical change).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/guest_map.h"
#include "hv/pasid_space.h"
#include "hv/vsva.h"
#include "hv/vvtd.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "iommu/vtd_regs.h"
#include "tests/unit/support/hosted.h"
#include "tests/unit/support/iommu_env_model.h"
#include "tests/unit/support/vsva_test_env.h"

#define RAM_GPA	 VTE_RAM_GPA
#define RAM_SIZE 0x200000ull
#define HV_HPA	 (RAM_GPA + RAM_SIZE) /* hypervisor memory: absent from the guest map */
#define DID	 VTE_DID
#define GDID	 9 /* the guest's own domain ID in its PASID entries */
#define SID_A	 VTD_SID(0, 3, 0)
#define SID_B	 VTD_SID(0, 4, 0)
#define FLF	 VTE_FLF

/* Guest RAM layout (offsets). */
#define OFF_QUEUE    0x1000 /* 4 KiB invalidation queue */
#define OFF_STATUS   0x3000 /* wait status words */
#define OFF_ROOT     0x4000
#define OFF_CTX	     0x5000
#define OFF_PDIR_A   0x6000
#define OFF_PTBL_A   0x7000
#define OFF_PDIR_B   0x8000
#define OFF_PTBL_B   0x9000
#define OFF_PDIR_BIG 0xa000 /* 8 KiB */
#define OFF_PTBL_BIG 0xc000
#define OFF_TABLES   0x10000
#define OFF_DATA     0x100000

#define QW_CC_GLOBAL	(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL))
#define QW_IOTLB_GLOBAL (VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL))
#define QW_PC_GLOBAL	(VTD_QI_TYPE_PC | VTD_QI_GRAN(3))

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct fx {
	struct vsva_test_env e; /* SID_A, SID_B, the guest (no hypercalls) */
	struct vvtd v;
	uint64_t tail; /* the guest's IQT */
	uint32_t seq;  /* wait status data */
	unsigned int events[3];
} fx;

static void on_event(void *ctx, enum vvtd_event ev)
{
	(void)ctx;
	fx.events[ev]++;
}

static int setup_cfg(bool vcmd)
{
	struct vte_config ec = { .model = model_cfg_scalable(),
				 .ram = ram,
				 .ram_size = RAM_SIZE,
				 .nr_devs = 2,
				 .sid = { SID_A, SID_B },
				 .model_ram = true,
				 .pasid_translation = true,
				 .hv_size = 0x1000,
				 .tables_off = OFF_TABLES,
				 .tables_end = OFF_DATA };
	struct vvtd_config vc;

	memset(&fx, 0, sizeof(fx));
	if (vte_setup(&fx.e, &ec))
		fail_msg("setup: %s", fx.e.failed);
	memset(&vc, 0, sizeof(vc));
	vc.vsva = &fx.e.g;
	vc.sid[0] = SID_A;
	vc.sid[1] = SID_B;
	vc.nr_sids = 2;
	vc.vcmd = vcmd;
	vc.event = on_event;
	assert_int_equal(vvtd_init(&fx.v, &vc), 0);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(true);
}

static int setup_no_vcmd(void **state)
{
	(void)state;
	return setup_cfg(false);
}

static int teardown(void **state)
{
	char why[160] = "";

	(void)state;
	vvtd_reset(&fx.v);
	assert_int_equal(vsva_check(&fx.e.g, why, sizeof(why)), 0);
	assert_int_equal(vte_teardown(&fx.e), 0); /* no frame leaked */
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

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

static uint32_t gsts(void)
{
	return (uint32_t)rd(VTD_REG_GSTS, 4);
}

static uint32_t fsts(void)
{
	return (uint32_t)rd(VTD_REG_FSTS, 4);
}

static bool pe_present(int d, uint32_t hpasid)
{
	struct vtd_pasid_entry pe;

	vtd_pasid_entry_get(&fx.e.dir[d], hpasid, &pe);
	return vtd_pe_present(&pe);
}

/* Put a 256-bit descriptor at the guest's tail (no IQT write). */
static void put(uint64_t q0, uint64_t q1)
{
	uint64_t *d = at(OFF_QUEUE + fx.tail);

	d[0] = q0, d[1] = q1, d[2] = 0, d[3] = 0;
	fx.tail = (fx.tail + 32) % 0x1000;
}

static uint64_t wait_desc(uint32_t data)
{
	return VTD_QI_TYPE_WAIT | VTD_BIT(5) | ((uint64_t)data << 32);
}

/* Queue a wait with status write, ring IQT; true when the status arrived. */
static bool submit_wait(void)
{
	uint32_t *st = at(OFF_STATUS);

	*st = 0;
	put(wait_desc(++fx.seq), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	return *st == fx.seq;
}

static uint64_t new_table(void)
{
	return vte_new_table(&fx.e);
}

static void fl_map(uint64_t root, uint64_t gva, uint64_t gpa)
{
	vte_fl_map(&fx.e, root, gva, gpa, FLF);
}

static uint64_t process(uint64_t gva, uint64_t data_off, uint64_t val)
{
	uint64_t root = new_table();

	fl_map(root, gva, RAM_GPA + data_off);
	*(uint64_t *)at(data_off) = val;
	return root;
}

static int dma_read(uint16_t sid, uint32_t pasid, uint64_t addr, uint64_t *v)
{
	return vte_dma(&fx.e, (struct model_req){ .sid = sid, .pasid = pasid, .addr = addr }, v);
}

/* The guest's scalable-mode tables: root -> context (SID_A, SID_B) -> PASID dirs. */
static void guest_tables(void)
{
	uint64_t *re = at(OFF_ROOT), *ce;
	const uint16_t sids[2] = { SID_A, SID_B };
	const uint64_t dirs[2] = { OFF_PDIR_A, OFF_PDIR_B };

	re[0] = (RAM_GPA + OFF_CTX) | VTD_RE_P; /* bus 0, devfn 0-127 */
	for (int i = 0; i < 2; i++) {
		ce = at(OFF_CTX + (sids[i] & 0x7f) * 32);
		ce[0] = (RAM_GPA + dirs[i]) | VTD_SCE_0_P | VTD_SCE_0_PASIDE; /* PDTS 0: 128 */
	}
}

/* Linux intel-iommu bring-up: CAP/ECAP, QI, root table, global flushes, TE. */
static void guest_init(void)
{
	uint64_t ecap = rd(VTD_REG_ECAP, 8);

	assert_true(ecap & VTD_ECAP_QI);
	assert_true(ecap & VTD_ECAP_SMTS);
	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_IQA, 8, (RAM_GPA + OFF_QUEUE) | VTD_IQA_DW);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	assert_true(gsts() & VTD_GSTS_QIES);
	guest_tables();
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_SRTP);
	assert_true(gsts() & VTD_GSTS_RTPS);
	put(QW_CC_GLOBAL, 0);
	put(QW_PC_GLOBAL, 0);
	put(QW_IOTLB_GLOBAL, 0);
	assert_true(submit_wait());
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_TE);
	assert_true(gsts() & VTD_GSTS_TES);
}

/* The guest's PASID entry (device @d: 0 A, 1 B): FL only, 4-level, root @flroot. */
static uint64_t *guest_pe(int d, uint32_t pasid)
{
	uint64_t *dir = at(d ? OFF_PDIR_B : OFF_PDIR_A);
	uint64_t tbl = RAM_GPA + (d ? OFF_PTBL_B : OFF_PTBL_A);

	assert_true(pasid < 64);
	dir[0] = tbl | VTD_PDE_P;
	return (uint64_t *)at(tbl - RAM_GPA) + pasid * 8;
}

static void set_pe(int d, uint32_t pasid, uint64_t flroot)
{
	uint64_t *pe = guest_pe(d, pasid);

	memset(pe, 0, 64);
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	pe[1] = GDID;
	pe[2] = flroot;
}

static uint64_t pc_pasid(uint32_t pasid)
{
	return VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(pasid);
}

/* A bound PASID @p on device A with GVA 0x7000 -> value @val. */
static void bound_a(uint32_t p, uint64_t val)
{
	guest_init();
	set_pe(0, p, process(0x7000, OFF_DATA, val));
	put(pc_pasid(p), 0);
	assert_true(submit_wait());
}

/* ---- registers ------------------------------------------------------------------ */

static void version_is_3_0(void **state)
{
	(void)state;
	assert_int_equal(rd(VTD_REG_VER, 4), 0x30);
}

static void cap_reports_caching_mode(void **state)
{
	(void)state;
	assert_true(rd(VTD_REG_CAP, 8) & VTD_CAP_CM);
}

static void cap_reports_eight_fault_records_at_0x200(void **state)
{
	uint64_t cap = rd(VTD_REG_CAP, 8);

	(void)state;
	assert_int_equal(VTD_CAP_NFR(cap), 8);
	assert_int_equal(VTD_CAP_FRO(cap), 0x200);
}

static void ecap_reports_scalable_first_level_only(void **state)
{
	uint64_t e = rd(VTD_REG_ECAP, 8);

	(void)state;
	assert_true(e & VTD_ECAP_SMTS);
	assert_true(e & VTD_ECAP_FLTS);
	assert_false(e & VTD_ECAP_SLTS);
	assert_false(e & VTD_ECAP_NEST);
	assert_true(e & VTD_ECAP_QI);
	assert_true(e & VTD_ECAP_PASID);
	assert_false(e & (VTD_ECAP_IR | VTD_ECAP_PRS));
}

static void ecap_with_vcmd_reports_vcs_and_16_bit_pasids(void **state)
{
	uint64_t e = rd(VTD_REG_ECAP, 8);

	(void)state;
	assert_true(e & VTD_ECAP_VCS);
	assert_int_equal(VTD_ECAP_PSS(e) + 1, 16);
	assert_int_equal(rd(VVTD_REG_VCCAP, 8), VVTD_VCCAP_PAS);
}

static void ecap_without_vcmd_reports_15_bit_pasids(void **state)
{
	uint64_t e = rd(VTD_REG_ECAP, 8);

	(void)state;
	assert_false(e & VTD_ECAP_VCS);
	assert_int_equal(VTD_ECAP_PSS(e) + 1, 15);
	assert_int_equal(rd(VVTD_REG_VCCAP, 8), 0);
}

static void cap_halves_read_as_dwords(void **state)
{
	uint64_t cap = rd(VTD_REG_CAP, 8);

	(void)state;
	assert_int_equal(rd(VTD_REG_CAP, 4), (uint32_t)cap);
	assert_int_equal(rd(VTD_REG_CAP + 4, 4), cap >> 32);
}

static void read_only_registers_ignore_writes(void **state)
{
	uint64_t cap = rd(VTD_REG_CAP, 8), ecap = rd(VTD_REG_ECAP, 8);

	(void)state;
	wr(VTD_REG_CAP, 8, ~0ull);
	wr(VTD_REG_ECAP, 8, 0);
	wr(VTD_REG_VER, 4, 0x77);
	wr(VTD_REG_GSTS, 4, ~0u);
	wr(VTD_REG_IQH, 8, 0x40);
	assert_int_equal(rd(VTD_REG_CAP, 8), cap);
	assert_int_equal(rd(VTD_REG_ECAP, 8), ecap);
	assert_int_equal(rd(VTD_REG_VER, 4), 0x30);
	assert_int_equal(gsts(), 0);
	assert_int_equal(rd(VTD_REG_IQH, 8), 0);
}

static void undefined_offsets_read_zero(void **state)
{
	const uint64_t offs[] = { 0x30, 0x48, 0x60,  0xb0,  0xb8,  0xc0,
				  0xc8, 0xd0, 0x400, 0x280, 0xe20, 0xff8 };

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++) {
		wr(offs[i], 8, ~0ull);
		assert_int_equal(rd(offs[i], 8), 0);
	}
}

static void wrong_width_reads_zero_and_is_refused(void **state)
{
	uint64_t v = 0x1234;

	(void)state;
	assert_int_equal(vvtd_mmio(&fx.v, VTD_REG_VER, 2, false, &v), -EINVAL);
	assert_int_equal(v, 0);
}

static void misaligned_access_reads_zero_and_is_refused(void **state)
{
	uint64_t v = 0x1234;

	(void)state;
	assert_int_equal(vvtd_mmio(&fx.v, VTD_REG_GSTS, 8, false, &v), -EINVAL);
	assert_int_equal(v, 0);
}

static void offset_beyond_page_is_refused(void **state)
{
	uint64_t v = 5;

	(void)state;
	assert_int_equal(vvtd_mmio(&fx.v, 0x1000, 4, false, &v), -EINVAL);
	assert_int_equal(vvtd_mmio(&fx.v, ~0ull - 3, 4, true, &v), -EINVAL);
}

static void wrong_width_write_changes_nothing(void **state)
{
	uint64_t v = VTD_GCMD_QIE;

	(void)state;
	assert_int_equal(vvtd_mmio(&fx.v, VTD_REG_GCMD, 1, true, &v), -EINVAL);
	assert_int_equal(gsts(), 0);
}

static void gcmd_reads_zero(void **state)
{
	(void)state;
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	assert_int_equal(rd(VTD_REG_GCMD, 4), 0);
}

static void gsts_reflects_qie_then_its_clearing(void **state)
{
	(void)state;
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	assert_int_equal(gsts(), VTD_GSTS_QIES);
	wr(VTD_REG_GCMD, 4, 0);
	assert_int_equal(gsts(), 0);
}

static void srtp_latches_rtaddr_and_sets_rtps(void **state)
{
	(void)state;
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_SRTP);
	assert_true(gsts() & VTD_GSTS_RTPS);
	assert_int_equal(fx.v.rtaddr_active, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
}

static void te_sets_tes(void **state)
{
	(void)state;
	wr(VTD_REG_GCMD, 4, VTD_GCMD_TE);
	assert_int_equal(gsts(), VTD_GSTS_TES);
}

static void unsupported_commands_leave_gsts_clear(void **state)
{
	(void)state;
	wr(VTD_REG_GCMD, 4,
	   VTD_GCMD_IRE | VTD_GCMD_SIRTP | VTD_GCMD_CFI | VTD_GCMD_WBF | VTD_GCMD_SFL |
		   VTD_GCMD_EAFL);
	assert_int_equal(gsts(), 0);
}

static void rtaddr_reserved_bits_read_zero(void **state)
{
	(void)state;
	wr(VTD_REG_RTADDR, 8, 0x1000 | 0x3ff);
	assert_int_equal(rd(VTD_REG_RTADDR, 8), 0x1000);
}

static void rtaddr_halves_write_separately(void **state)
{
	(void)state;
	wr(VTD_REG_RTADDR + 4, 4, 0x12);
	wr(VTD_REG_RTADDR, 4, 0x5000);
	assert_int_equal(rd(VTD_REG_RTADDR, 8), 0x1200005000ull);
}

static void iqa_reserved_bits_read_zero(void **state)
{
	(void)state;
	wr(VTD_REG_IQA, 8, 0x5000 | VTD_IQA_DW | 0x7f8 | 3);
	assert_int_equal(rd(VTD_REG_IQA, 8), 0x5000 | VTD_IQA_DW | 3);
}

static void iqt_reserved_bits_read_zero(void **state)
{
	(void)state;
	wr(VTD_REG_IQT, 8, 0xffffffffffffffffull);
	assert_int_equal(rd(VTD_REG_IQT, 8), VTD_IQ_OFF_MASK);
}

static void fectl_is_masked_at_reset(void **state)
{
	(void)state;
	assert_int_equal(rd(VTD_REG_FECTL, 4), VTD_FECTL_IM);
}

static void fedata_feaddr_reserved_bits_read_zero(void **state)
{
	(void)state;
	wr(VTD_REG_FEDATA, 4, 0xffffffff);
	wr(VTD_REG_FEADDR, 4, 0xfee00003);
	wr(VTD_REG_FEUADDR, 4, 0x1);
	assert_int_equal(rd(VTD_REG_FEDATA, 4), 0xffff);
	assert_int_equal(rd(VTD_REG_FEADDR, 4), 0xfee00000);
	assert_int_equal(rd(VTD_REG_FEUADDR, 4), 0);
}

static void ccmd_completes_at_once(void **state)
{
	(void)state;
	wr(VTD_REG_CCMD, 8, BIT(63) | (1ull << 61));
	assert_int_equal(rd(VTD_REG_CCMD, 8), (1ull << 61) | (1ull << 59));
}

static void iotlb_reg_completes_at_once(void **state)
{
	(void)state;
	wr(VVTD_IRO + 8, 8, BIT(63) | (1ull << 60));
	assert_int_equal(rd(VVTD_IRO + 8, 8), (1ull << 60) | (1ull << 57));
}

/* ---- faults --------------------------------------------------------------------- */

static void fault_is_recorded_with_pasid_and_reason(void **state)
{
	(void)state;
	assert_int_equal(vvtd_report_fault(&fx.v, SID_A, 7, 0x7123, 0x71, false), 0);
	assert_int_equal(rd(VVTD_FRO, 8), 0x7000);
	assert_int_equal(rd(VVTD_FRO + 8, 8), VTD_FRCD_HI_F | VTD_FRCD_HI_T | (7ull << 40) |
						      VTD_FRCD_HI_PP | (0x71ull << 32) | SID_A);
}

/* VT-d §11.4.9.1: FSTS.FRI names the first (oldest) pending record. */
static void fault_sets_ppf_and_fri_names_the_oldest_record(void **state)
{
	(void)state;
	vvtd_report_fault(&fx.v, SID_A, VVTD_NO_PASID, 0x1000, 0x71, true);
	assert_int_equal(fsts(), VTD_FSTS_PPF | (0u << 8));
	vvtd_report_fault(&fx.v, SID_A, VVTD_NO_PASID, 0x2000, 0x71, true);
	assert_int_equal(fsts(), VTD_FSTS_PPF | (0u << 8));
	wr(VVTD_FRO + 12, 4, VTD_FRCD_F32); /* record 0 serviced: record 1 is the oldest */
	assert_int_equal(fsts(), VTD_FSTS_PPF | (1u << 8));
}

static void fault_f_is_rw1c(void **state)
{
	(void)state;
	vvtd_report_fault(&fx.v, SID_A, VVTD_NO_PASID, 0x1000, 0x71, true);
	wr(VVTD_FRO + 12, 4, VTD_FRCD_F32);
	assert_false(rd(VVTD_FRO + 8, 8) & VTD_FRCD_HI_F);
	assert_false(fsts() & VTD_FSTS_PPF);
}

static void full_fault_records_overflow_with_pfo(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < VVTD_NFR; i++)
		assert_int_equal(vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true), 0);
	assert_int_equal(vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true), -ENOSPC);
	assert_true(fsts() & VTD_FSTS_PFO);
}

static void masked_fault_event_is_delivered_on_unmask(void **state)
{
	(void)state;
	vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 0);
	assert_true(rd(VTD_REG_FECTL, 4) & VTD_FECTL_IP);
	wr(VTD_REG_FECTL, 4, 0);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
	assert_int_equal(rd(VTD_REG_FECTL, 4), 0);
}

static void second_fault_while_pending_raises_no_event(void **state)
{
	(void)state;
	wr(VTD_REG_FECTL, 4, 0);
	vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true);
	vvtd_report_fault(&fx.v, SID_A, 1, 0x1000, 0x71, true);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
}

static void fault_after_service_raises_a_new_event(void **state)
{
	(void)state;
	wr(VTD_REG_FECTL, 4, 0);
	vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true);
	wr(VVTD_FRO + 12, 4, VTD_FRCD_F32);
	vvtd_report_fault(&fx.v, SID_A, 1, 0x1000, 0x71, true);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 2);
}

static void serviced_fault_clears_ip(void **state)
{
	(void)state;
	vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true);
	wr(VVTD_FRO + 12, 4, VTD_FRCD_F32);
	assert_false(rd(VTD_REG_FECTL, 4) & VTD_FECTL_IP);
}

static void unmask_after_service_raises_no_event(void **state)
{
	(void)state;
	vvtd_report_fault(&fx.v, SID_A, 1, 0, 0x71, true);
	wr(VVTD_FRO + 12, 4, VTD_FRCD_F32);
	wr(VTD_REG_FECTL, 4, 0);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 0);
}

/* ---- the guest driver ----------------------------------------------------------- */

static void linux_bring_up_completes_waits(void **state)
{
	(void)state;
	guest_init();
	assert_int_equal(rd(VTD_REG_IQH, 8), fx.tail);
}

static void pasid_cache_flush_installs_nested_entry(void **state)
{
	(void)state;
	bound_a(5, 0xabcd);
	assert_true(pe_present(0, 5));
}

static void shadowed_pasid_dma_translates_gva_to_hpa(void **state)
{
	uint64_t v = 0;

	(void)state;
	bound_a(5, 0xabcd);
	assert_int_equal(dma_read(SID_A, 5, 0x7000, &v), 0);
	assert_int_equal(v, 0xabcd);
}

static void shadow_records_guest_did_and_flptr(void **state)
{
	const struct vvtd_shadow *s;

	(void)state;
	bound_a(5, 1);
	s = vvtd_find_shadow(&fx.v, SID_A, 5);
	assert_non_null(s);
	assert_int_equal(s->gdid, GDID);
	assert_int_equal(s->levels, 4);
}

static void entry_before_te_is_shadowed_when_te_is_set(void **state)
{
	(void)state;
	guest_tables();
	set_pe(0, 6, process(0x7000, OFF_DATA, 1));
	wr(VTD_REG_RTADDR, 8, (RAM_GPA + OFF_ROOT) | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_SRTP);
	assert_false(pe_present(0, 6));
	wr(VTD_REG_GCMD, 4, VTD_GCMD_TE);
	assert_true(pe_present(0, 6));
}

static void cleared_entry_is_unbound_on_flush(void **state)
{
	(void)state;
	bound_a(5, 1);
	guest_pe(0, 5)[0] = 0;
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

static void changed_flptr_is_rebound(void **state)
{
	uint64_t v = 0;

	(void)state;
	bound_a(5, 1);
	guest_pe(0, 5)[2] = process(0x7000, OFF_DATA + 0x1000, 2);
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_int_equal(dma_read(SID_A, 5, 0x7000, &v), 0);
	assert_int_equal(v, 2);
}

static void te_clear_drops_every_shadow(void **state)
{
	(void)state;
	bound_a(5, 1);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	assert_false(pe_present(0, 5));
}

static void domain_pasid_flush_finds_new_entries(void **state)
{
	(void)state;
	guest_init();
	set_pe(1, 9, process(0x7000, OFF_DATA, 1));
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(0) | VTD_QI_DID(GDID), 0);
	assert_true(submit_wait());
	assert_true(pe_present(1, 9));
}

static void context_flush_resyncs_device(void **state)
{
	uint64_t *ce = at(OFF_CTX + (SID_A & 0x7f) * 32);

	(void)state;
	bound_a(5, 1);
	ce[0] = 0;
	put(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_DEVICE) | VTD_QI_CC_SID(SID_A), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

static void piotlb_requests_go_out_as_one_batch(void **state)
{
	uint64_t before;

	(void)state;
	bound_a(5, 1);
	before = fx.e.g.cnt.inv_batches;
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(2) | VTD_QI_DID(GDID) | VTD_QI_PASID(5), 0);
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(3) | VTD_QI_DID(GDID) | VTD_QI_PASID(5), 0x7000);
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(3) | VTD_QI_DID(GDID) | VTD_QI_PASID(5), 0x8000 | 1);
	assert_true(submit_wait());
	assert_int_equal(fx.e.g.cnt.inv_batches - before, 1);
}

static void piotlb_flush_makes_fl_change_visible(void **state)
{
	uint64_t v = 0, root;
	struct model_xlate x;
	struct model_req r = { .sid = SID_A, .pasid = 5, .addr = 0x7000 };

	(void)state;
	bound_a(5, 1);
	assert_int_equal(dma_read(SID_A, 5, 0x7000, &v), 0); /* cached in the IOTLB */
	root = guest_pe(0, 5)[2] & VTD_PE_2_FLPTR;
	fl_map(root, 0x7000, RAM_GPA + OFF_DATA + 0x2000);
	put(VTD_QI_TYPE_PIOTLB | VTD_QI_GRAN(3) | VTD_QI_DID(GDID) | VTD_QI_PASID(5), 0x7000);
	assert_true(submit_wait());
	memset(&x, 0, sizeof(x));
	model_mem_write(fx.e.m, RAM_GPA, ram, RAM_SIZE);
	env_translate(&r, &x);
	assert_false(x.stale);
}

static void rid_local_pasid_is_freed_with_its_last_shadow(void **state)
{
	(void)state;
	bound_a(5, 1);
	guest_pe(0, 5)[0] = 0;
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_int_equal(vsva_pasid_free(&fx.e.g, 5), -VSVA_ENOENT);
}

/* ---- wait descriptors ----------------------------------------------------------- */

static void wait_with_if_sets_iwc(void **state)
{
	(void)state;
	guest_init();
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(rd(VTD_REG_ICS, 4), VTD_ICS_IWC);
}

static void unmasked_wait_with_if_raises_an_inv_event(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_IECTL, 4, 0);
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(fx.events[VVTD_EV_INV], 1);
}

static void wait_while_iwc_set_raises_no_event(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_IECTL, 4, 0);
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(fx.events[VVTD_EV_INV], 1);
}

static void masked_wait_sets_iectl_ip(void **state)
{
	(void)state;
	guest_init();
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_true(rd(VTD_REG_IECTL, 4) & VTD_FECTL_IP);
}

static void masked_inv_event_is_delivered_on_unmask(void **state)
{
	(void)state;
	guest_init();
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	wr(VTD_REG_IECTL, 4, 0);
	assert_int_equal(fx.events[VVTD_EV_INV], 1);
}

static void clearing_iwc_clears_iectl_ip(void **state)
{
	(void)state;
	guest_init();
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	wr(VTD_REG_ICS, 4, VTD_ICS_IWC);
	assert_false(rd(VTD_REG_IECTL, 4) & VTD_FECTL_IP);
}

static void iwc_is_rw1c(void **state)
{
	(void)state;
	guest_init();
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	wr(VTD_REG_ICS, 4, VTD_ICS_IWC);
	assert_int_equal(rd(VTD_REG_ICS, 4), 0);
}

static void wait_status_in_hypervisor_memory_is_dropped(void **state)
{
	(void)state;
	guest_init();
	put(wait_desc(7), HV_HPA);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(fx.v.cnt.wait_writes_dropped, 1);
	assert_false(fsts() & VTD_FSTS_IQE);
}

/* ---- malformed input ------------------------------------------------------------ */

static void unknown_type_sets_iqe_with_iqh_at_it(void **state)
{
	uint64_t bad;

	(void)state;
	guest_init();
	bad = fx.tail;
	put(0xf, 0);
	put(wait_desc(1), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_true(fsts() & VTD_FSTS_IQE);
	assert_int_equal(rd(VTD_REG_IQH, 8), bad);
}

static void descriptors_behind_iqe_do_not_run(void **state)
{
	(void)state;
	guest_init();
	*(uint32_t *)at(OFF_STATUS) = 0;
	put(0xf, 0);
	put(wait_desc(1), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(*(uint32_t *)at(OFF_STATUS), 0);
}

static void clearing_iqe_resumes_at_iqh(void **state)
{
	uint64_t *bad;

	(void)state;
	guest_init();
	bad = at(OFF_QUEUE + fx.tail);
	*(uint32_t *)at(OFF_STATUS) = 0;
	put(0xf, 0);
	put(wait_desc(3), RAM_GPA + OFF_STATUS);
	wr(VTD_REG_IQT, 8, fx.tail);
	bad[0] = wait_desc(0), bad[1] = RAM_GPA + OFF_STATUS + 4; /* what Linux does */
	wr(VTD_REG_FSTS, 4, VTD_FSTS_IQE);
	assert_int_equal(*(uint32_t *)at(OFF_STATUS), 3);
}

static void pc_with_reserved_bits_is_iqe_and_installs_nothing(void **state)
{
	(void)state;
	guest_init();
	set_pe(0, 5, process(0x7000, OFF_DATA, 1));
	put(pc_pasid(5) | VTD_BIT(63), 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_true(fsts() & VTD_FSTS_IQE);
	assert_false(pe_present(0, 5));
}

static void wait_with_unaligned_status_is_iqe(void **state)
{
	(void)state;
	guest_init();
	put(wait_desc(1), RAM_GPA + OFF_STATUS + 1);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void upper_half_nonzero_is_iqe(void **state)
{
	uint64_t *d;

	(void)state;
	guest_init();
	d = at(OFF_QUEUE + fx.tail);
	put(QW_IOTLB_GLOBAL, 0);
	d[3] = 1;
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void iqt_with_bit4_in_256_bit_queue_is_iqe(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_IQT, 8, fx.tail + 16);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void iqt_beyond_queue_is_iqe(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_IQT, 8, 0x2000);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void queue_outside_guest_memory_is_iqe(void **state)
{
	(void)state;
	wr(VTD_REG_IQA, 8, HV_HPA | VTD_IQA_DW);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE);
	wr(VTD_REG_IQT, 8, 32);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void legacy_descriptors_in_scalable_mode_are_iqe(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_GCMD, 4, VTD_GCMD_TE); /* QI off: IQH = 0 */
	wr(VTD_REG_IQA, 8, RAM_GPA + OFF_QUEUE);
	wr(VTD_REG_IQT, 8, 0);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_TE | VTD_GCMD_QIE);
	((uint64_t *)at(OFF_QUEUE))[0] = QW_IOTLB_GLOBAL;
	((uint64_t *)at(OFF_QUEUE))[1] = 0;
	wr(VTD_REG_IQT, 8, 16);
	assert_true(fsts() & VTD_FSTS_IQE);
}

static void iqe_raises_a_fault_event_when_unmasked(void **state)
{
	(void)state;
	guest_init();
	wr(VTD_REG_FECTL, 4, 0);
	put(0xf, 0);
	wr(VTD_REG_IQT, 8, fx.tail);
	assert_int_equal(fx.events[VVTD_EV_FAULT], 1);
}

static void entry_with_reserved_bits_is_not_shadowed(void **state)
{
	(void)state;
	guest_init();
	set_pe(0, 5, process(0x7000, OFF_DATA, 1));
	guest_pe(0, 5)[2] |= VTD_BIT(9);
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

static void flptr_outside_guest_ram_is_not_shadowed(void **state)
{
	(void)state;
	guest_init();
	set_pe(0, 5, HV_HPA);
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

static void second_level_entry_is_not_shadowed(void **state)
{
	(void)state;
	guest_init();
	set_pe(0, 5, process(0x7000, OFF_DATA, 1));
	guest_pe(0, 5)[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_SL << 6);
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

static void root_table_outside_guest_memory_shadows_nothing(void **state)
{
	(void)state;
	guest_init();
	set_pe(0, 5, process(0x7000, OFF_DATA, 1));
	wr(VTD_REG_RTADDR, 8, HV_HPA | VTD_RTADDR_TTM_SCALABLE);
	wr(VTD_REG_GCMD, 4, VTD_GCMD_QIE | VTD_GCMD_TE | VTD_GCMD_SRTP);
	put(QW_CC_GLOBAL, 0);
	put(pc_pasid(5), 0);
	assert_true(submit_wait());
	assert_false(pe_present(0, 5));
}

/* ---- virtual commands ----------------------------------------------------------- */

/* Device A gets a 1024-entry PASID directory (PDTS 3: 2^16 PASIDs) and FL entry @p. */
static void big_pe(uint32_t p, uint64_t flroot)
{
	uint64_t *ce = at(OFF_CTX + (SID_A & 0x7f) * 32), *pe;

	ce[0] = (RAM_GPA + OFF_PDIR_BIG) | VTD_SCE_0_P | VTD_SCE_0_PASIDE |
		(3ull << VTD_SCE_0_PDTS_SHIFT);
	((uint64_t *)at(OFF_PDIR_BIG))[p >> 6] = (RAM_GPA + OFF_PTBL_BIG) | VTD_PDE_P;
	pe = (uint64_t *)at(OFF_PTBL_BIG) + (p & 63) * 8;
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	pe[1] = GDID;
	pe[2] = flroot;
}

static uint64_t vcmd(uint64_t cmd)
{
	wr(VVTD_REG_VCMD, 8, cmd);
	return rd(VVTD_REG_VCRSP, 8);
}

static void vcmd_alloc_returns_shared_pasid(void **state)
{
	uint64_t r;

	(void)state;
	r = vcmd(VVTD_VCMD_ALLOC);
	assert_int_equal(r & 0xff, 0);
	assert_int_equal(r >> VVTD_VC_SHIFT, PASID_SHARED_GFIRST);
}

static void vcmd_free_of_unknown_pasid_fails(void **state)
{
	(void)state;
	assert_int_equal(vcmd(VVTD_VCMD_FREE | (77ull << 16)) & 0xff,
			 VVTD_VCRSP_SC(VVTD_VC_SC_NOPASID));
}

static void vcmd_free_of_allocated_pasid_succeeds(void **state)
{
	uint64_t p = vcmd(VVTD_VCMD_ALLOC) >> VVTD_VC_SHIFT;

	(void)state;
	assert_int_equal(vcmd(VVTD_VCMD_FREE | (p << 16)), 0);
}

static void vcmd_unknown_command_reports_status(void **state)
{
	(void)state;
	assert_int_equal(vcmd(0x7f), VVTD_VCRSP_SC(VVTD_VC_SC_BADCMD));
}

static void vcmd_is_absent_without_vcs(void **state)
{
	(void)state;
	wr(VVTD_REG_VCMD, 8, VVTD_VCMD_ALLOC);
	assert_int_equal(rd(VVTD_REG_VCRSP, 8), 0);
}

static void shared_pasid_from_vcmd_is_shadowed_under_host_pasid(void **state)
{
	uint32_t p, hp = 0;
	uint64_t v = 0;

	(void)state;
	guest_init();
	p = (uint32_t)(vcmd(VVTD_VCMD_ALLOC) >> VVTD_VC_SHIFT);
	big_pe(p, process(0x7000, OFF_DATA, 0x55));
	put(pc_pasid(p), 0);
	assert_true(submit_wait());
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (fx.e.g.pasid[i].live && fx.e.g.pasid[i].gpasid == p)
			hp = fx.e.g.pasid[i].hpasid;
	assert_int_equal(dma_read(SID_A, hp, 0x7000, &v), 0);
	assert_int_equal(v, 0x55);
}

static void shared_pasid_not_from_vcmd_is_not_shadowed(void **state)
{
	uint32_t p = PASID_SHARED_GFIRST + 3;

	(void)state;
	guest_init();
	big_pe(p, process(0x7000, OFF_DATA, 1));
	put(pc_pasid(p), 0);
	assert_true(submit_wait());
	assert_null(vvtd_find_shadow(&fx.v, SID_A, p));
}

static void reset_drops_shadows_and_registers(void **state)
{
	(void)state;
	bound_a(5, 1);
	vvtd_reset(&fx.v);
	assert_false(pe_present(0, 5));
	assert_int_equal(gsts(), 0);
}

#define T(f)   cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TNV(f) cmocka_unit_test_setup_teardown(f, setup_no_vcmd, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(version_is_3_0),
		T(cap_reports_caching_mode),
		T(cap_reports_eight_fault_records_at_0x200),
		T(ecap_reports_scalable_first_level_only),
		T(ecap_with_vcmd_reports_vcs_and_16_bit_pasids),
		TNV(ecap_without_vcmd_reports_15_bit_pasids),
		T(cap_halves_read_as_dwords),
		T(read_only_registers_ignore_writes),
		T(undefined_offsets_read_zero),
		T(wrong_width_reads_zero_and_is_refused),
		T(misaligned_access_reads_zero_and_is_refused),
		T(offset_beyond_page_is_refused),
		T(wrong_width_write_changes_nothing),
		T(gcmd_reads_zero),
		T(gsts_reflects_qie_then_its_clearing),
		T(srtp_latches_rtaddr_and_sets_rtps),
		T(te_sets_tes),
		T(unsupported_commands_leave_gsts_clear),
		T(rtaddr_reserved_bits_read_zero),
		T(rtaddr_halves_write_separately),
		T(iqa_reserved_bits_read_zero),
		T(iqt_reserved_bits_read_zero),
		T(fectl_is_masked_at_reset),
		T(fedata_feaddr_reserved_bits_read_zero),
		T(ccmd_completes_at_once),
		T(iotlb_reg_completes_at_once),
		T(fault_is_recorded_with_pasid_and_reason),
		T(fault_sets_ppf_and_fri_names_the_oldest_record),
		T(fault_f_is_rw1c),
		T(full_fault_records_overflow_with_pfo),
		T(masked_fault_event_is_delivered_on_unmask),
		T(second_fault_while_pending_raises_no_event),
		T(fault_after_service_raises_a_new_event),
		T(serviced_fault_clears_ip),
		T(unmask_after_service_raises_no_event),
		T(linux_bring_up_completes_waits),
		T(pasid_cache_flush_installs_nested_entry),
		T(shadowed_pasid_dma_translates_gva_to_hpa),
		T(shadow_records_guest_did_and_flptr),
		T(entry_before_te_is_shadowed_when_te_is_set),
		T(cleared_entry_is_unbound_on_flush),
		T(changed_flptr_is_rebound),
		T(te_clear_drops_every_shadow),
		T(domain_pasid_flush_finds_new_entries),
		T(context_flush_resyncs_device),
		T(piotlb_requests_go_out_as_one_batch),
		T(piotlb_flush_makes_fl_change_visible),
		T(rid_local_pasid_is_freed_with_its_last_shadow),
		T(wait_with_if_sets_iwc),
		T(iwc_is_rw1c),
		T(unmasked_wait_with_if_raises_an_inv_event),
		T(wait_while_iwc_set_raises_no_event),
		T(masked_wait_sets_iectl_ip),
		T(masked_inv_event_is_delivered_on_unmask),
		T(clearing_iwc_clears_iectl_ip),
		T(wait_status_in_hypervisor_memory_is_dropped),
		T(unknown_type_sets_iqe_with_iqh_at_it),
		T(descriptors_behind_iqe_do_not_run),
		T(clearing_iqe_resumes_at_iqh),
		T(pc_with_reserved_bits_is_iqe_and_installs_nothing),
		T(wait_with_unaligned_status_is_iqe),
		T(upper_half_nonzero_is_iqe),
		T(iqt_with_bit4_in_256_bit_queue_is_iqe),
		T(iqt_beyond_queue_is_iqe),
		T(queue_outside_guest_memory_is_iqe),
		T(legacy_descriptors_in_scalable_mode_are_iqe),
		T(iqe_raises_a_fault_event_when_unmasked),
		T(entry_with_reserved_bits_is_not_shadowed),
		T(flptr_outside_guest_ram_is_not_shadowed),
		T(second_level_entry_is_not_shadowed),
		T(root_table_outside_guest_memory_shadows_nothing),
		T(vcmd_alloc_returns_shared_pasid),
		T(vcmd_free_of_unknown_pasid_fails),
		T(vcmd_free_of_allocated_pasid_succeeds),
		T(vcmd_unknown_command_reports_status),
		TNV(vcmd_is_absent_without_vcs),
		T(shared_pasid_from_vcmd_is_shadowed_under_host_pasid),
		T(shared_pasid_not_from_vcmd_is_not_shadowed),
		T(reset_drops_shadows_and_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

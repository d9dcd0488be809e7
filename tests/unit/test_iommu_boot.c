// SPDX-License-Identifier: MIT
/*
 * test_iommu_boot.c - the VT-d boot integration (hv/iommu_boot.c, iommu_platform_init())
 * over the VT-d reference model: a hand-made DMAR and guest memory map, then requests
 * from the devices: every scoped device translates GPA = HPA, the hypervisor's memory,
 * the unit's registers and unscoped devices fault, RMRRs are mapped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/iommu_boot.h"
#include "tests/unit/support/iommu_env_model.h"

/* The machine: RAM [4K, 1M) and [2M, 64M), the hv pool [1M, 2M), MMIO above. */
#define RAM_LO	 0x200000ull
#define HV_POOL	 0x100000ull
#define REGS_HPA 0x3000000ull /* a DRHD register page placed inside RAM: must be unmapped */
#define RMRR_HPA 0x5000000000ull
#define SID_A	 0x0008 /* 00:01.0 */
#define SID_B	 0x0010 /* 00:02.0 */
#define SID_X	 0x0028 /* 00:05.0: in no scope */
#define SID_BUS1 0x0100 /* 01:00.0 */

static struct {
	struct model_unit *m;
	struct iommu_platform p;
	struct vtd_dmar_info dmar;
	struct guest_map map;
	struct boot_info bi;
	struct mtrr_state mtrr;
	uintptr_t reg_base[1];
} fx;

static const uint16_t enum_bdfs[] = { SID_A, 0x00fb /* 00:1f.3 */, SID_BUS1 };

static unsigned int fake_enumerate(pci_visit_fn fn, void *ctx)
{
	for (unsigned int i = 0; i < sizeof(enum_bdfs) / sizeof(enum_bdfs[0]); i++)
		fn(ctx, enum_bdfs[i]);
	return sizeof(enum_bdfs) / sizeof(enum_bdfs[0]);
}

static bool fake_hv_owns(hpa_t hpa)
{
	return hpa >= HV_POOL && hpa < HV_POOL + 0x100000;
}

static const struct iommu_platform_ops ops = {
	.enumerate = fake_enumerate,
	.read8 = NULL,
	.hv_owns = fake_hv_owns,
};

static void mem(uint32_t i, uint64_t base, uint64_t size, uint32_t type)
{
	fx.bi.mmap[i] = (struct boot_mem_range){ .base = base, .size = size, .type = type };
	fx.bi.mmap_count = i + 1;
}

static int setup_cfg(struct model_config c)
{
	memset(&fx, 0, sizeof(fx));
	fx.m = model_create(&c);
	assert_non_null(fx.m);
	env_attach(fx.m);
	fx.reg_base[0] = env_reg_base();
	mem(0, 0x1000, 0xff000, BOOT_MEM_USABLE);
	mem(1, HV_POOL, 0x100000, BOOT_MEM_HV_POOL);
	mem(2, RAM_LO, 0x4000000 - RAM_LO, BOOT_MEM_USABLE);
	assert_int_equal(guest_map_build(&fx.bi, &fx.mtrr, &fx.map), 0);
	fx.dmar.haw = 48;
	fx.dmar.ndrhd = 1;
	fx.dmar.drhd[0].reg_base = REGS_HPA;
	fx.dmar.drhd[0].reg_size = 0x1000;
	fx.dmar.drhd[0].scope.n = 2;
	fx.dmar.drhd[0].scope.dev[0] = (struct vtd_dmar_dev){ VTD_SCOPE_PCI_ENDPOINT, 0, SID_A };
	fx.dmar.drhd[0].scope.dev[1] = (struct vtd_dmar_dev){ VTD_SCOPE_PCI_ENDPOINT, 0, SID_B };
	return 0;
}

static int setup_legacy(void **state)
{
	(void)state;
	return setup_cfg(model_cfg_legacy());
}

static int setup_scalable(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	c.ecap &= ~MODEL_ECAP_FLTS; /* as QEMU: SLTS or FLTS, never both */
	return setup_cfg(c);
}

static int setup_fl_only(void **state)
{
	struct model_config c = model_cfg_scalable();

	(void)state;
	c.ecap &= ~(MODEL_ECAP_SLTS | MODEL_ECAP_NEST);
	return setup_cfg(c);
}

static int teardown(void **state)
{
	(void)state;
	env_detach();
	model_destroy(fx.m);
	return 0;
}

/* A request without PASID from @sid at @addr: 0 and the HPA, or the fault reason. */
static int xlate(uint16_t sid, uint64_t addr, bool write, uint64_t *hpa)
{
	struct model_req r = { .sid = sid, .pasid = MODEL_NO_PASID, .addr = addr, .write = write };
	struct model_xlate x;
	int ret = env_translate(&r, &x);

	if (hpa)
		*hpa = x.hpa;
	return ret;
}

static void init_ok(void)
{
	assert_int_equal(iommu_platform_init(&fx.p, &fx.dmar, fx.reg_base, &fx.map, &ops), 0);
	assert_int_equal(fx.p.nunits, 1);
}

static void scoped_devices_translate_identity(void **state)
{
	uint64_t hpa = 0;

	(void)state;
	init_ok();
	assert_int_equal(fx.p.ndev, 2);
	assert_non_null(iommu_platform_device(&fx.p, SID_A));
	assert_non_null(iommu_platform_device(&fx.p, SID_B));
	assert_true(fx.p.unit[0].enabled);
	assert_true(iommu_platform_table_frames(&fx.p) > 0);
	for (unsigned int i = 0; i < 2; i++) {
		uint16_t sid = i ? SID_B : SID_A;

		assert_int_equal(xlate(sid, RAM_LO + 0x1234, true, &hpa), 0);
		assert_int_equal(hpa, RAM_LO + 0x1234);
		assert_int_equal(xlate(sid, 0x5000, false, &hpa), 0);
		assert_int_equal(hpa, 0x5000);
		/* MMIO holes below 4 GiB are in the guest map too (peer-to-peer). */
		assert_int_equal(xlate(sid, 0xfeb00000, true, &hpa), 0);
	}
}

static void hv_pool_faults(void **state)
{
	(void)state;
	init_ok();
	assert_true(xlate(SID_A, HV_POOL, true, NULL) > 0);
	assert_true(xlate(SID_A, HV_POOL + 0xff000, false, NULL) > 0);
	/* the pages around it still translate */
	assert_int_equal(xlate(SID_A, HV_POOL - 0x1000, true, NULL), 0);
	assert_int_equal(xlate(SID_A, HV_POOL + 0x100000, true, NULL), 0);
}

static void hv_pool_fault_reason_legacy_is_0x05(void **state)
{
	(void)state;
	init_ok();
	assert_int_equal(xlate(SID_A, HV_POOL, true, NULL), 0x05);
	assert_int_equal(xlate(SID_A, HV_POOL, false, NULL), 0x06);
}

static void hv_pool_fault_reason_scalable_is_0x79(void **state)
{
	(void)state;
	init_ok();
	assert_int_equal(xlate(SID_A, HV_POOL, true, NULL), 0x79);
}

static void hv_pool_fault_reason_fl_is_0x71(void **state)
{
	(void)state;
	init_ok();
	assert_int_equal(fx.p.kind[0], IOMMU_DOM_FL);
	assert_int_equal(xlate(SID_A, HV_POOL, true, NULL), 0x71);
}

static void unit_registers_are_unmapped(void **state)
{
	(void)state;
	init_ok();
	assert_true(xlate(SID_A, REGS_HPA, true, NULL) > 0);
	assert_int_equal(xlate(SID_A, REGS_HPA + 0x1000, true, NULL), 0);
}

static void unscoped_device_faults(void **state)
{
	(void)state;
	init_ok();
	assert_null(iommu_platform_device(&fx.p, SID_X));
	assert_true(xlate(SID_X, RAM_LO, false, NULL) > 0);
}

static void include_all_attaches_every_enumerated_function(void **state)
{
	(void)state;
	fx.dmar.drhd[0].include_all = true;
	fx.dmar.drhd[0].scope.n = 0;
	init_ok();
	assert_int_equal(fx.p.ndev, 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(xlate(enum_bdfs[i], RAM_LO, true, NULL), 0);
	assert_true(xlate(SID_B, RAM_LO, true, NULL) > 0);
}

static void rmrr_is_identity_mapped_but_never_over_hv_memory(void **state)
{
	uint64_t hpa = 0;

	(void)state;
	fx.dmar.nrmrr = 2;
	fx.dmar.rmrr[0] = (struct vtd_dmar_rmrr){ .base = RMRR_HPA, .limit = RMRR_HPA + 0x1fff };
	fx.dmar.rmrr[1] = (struct vtd_dmar_rmrr){ .base = HV_POOL, .limit = HV_POOL + 0xfff };
	init_ok();
	assert_int_equal(fx.p.rmrr_pages, 2);
	assert_int_equal(xlate(SID_A, RMRR_HPA + 0x1008, true, &hpa), 0);
	assert_int_equal(hpa, RMRR_HPA + 0x1008);
	assert_true(xlate(SID_A, HV_POOL, true, NULL) > 0);
}

static void remap_needs_flush_and_flush_works(void **state)
{
	struct model_req r = { .sid = SID_A, .pasid = MODEL_NO_PASID, .addr = 0x4000000000ull };
	struct model_xlate x;

	(void)state;
	init_ok();
	assert_int_equal(iommu_domain_map(&fx.p, 0, 0x4000000000ull, RAM_LO, 0x1000, VTD_SL_R), 0);
	assert_int_equal(iommu_domain_flush(&fx.p, 0, 0x4000000000ull, 1), 0);
	assert_int_equal(env_translate(&r, &x), 0);
	assert_int_equal(x.hpa, RAM_LO);
	assert_int_equal(iommu_domain_unmap(&fx.p, 0, 0x4000000000ull, 0x1000), 0);
	assert_int_equal(
		iommu_domain_map(&fx.p, 0, 0x4000000000ull, RAM_LO + 0x1000, 0x1000, VTD_SL_R), 0);
	assert_int_equal(env_translate(&r, &x), 0);
	assert_true(x.stale); /* no flush yet: the model sees the stale IOTLB entry */
	assert_int_equal(iommu_domain_flush(&fx.p, 0, 0x4000000000ull, 1), 0);
	assert_int_equal(env_translate(&r, &x), 0);
	assert_false(x.stale);
	assert_int_equal(x.hpa, RAM_LO + 0x1000);
}

static void no_usable_unit_is_enodev(void **state)
{
	(void)state;
	fx.reg_base[0] = 0;
	assert_int_equal(iommu_platform_init(&fx.p, &fx.dmar, fx.reg_base, &fx.map, &ops), -ENODEV);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(scoped_devices_translate_identity, setup_legacy),
		T(scoped_devices_translate_identity, setup_scalable),
		T(scoped_devices_translate_identity, setup_fl_only),
		T(hv_pool_faults, setup_legacy),
		T(hv_pool_faults, setup_scalable),
		T(hv_pool_faults, setup_fl_only),
		T(hv_pool_fault_reason_legacy_is_0x05, setup_legacy),
		T(hv_pool_fault_reason_scalable_is_0x79, setup_scalable),
		T(hv_pool_fault_reason_fl_is_0x71, setup_fl_only),
		T(unit_registers_are_unmapped, setup_legacy),
		T(unit_registers_are_unmapped, setup_fl_only),
		T(unscoped_device_faults, setup_legacy),
		T(unscoped_device_faults, setup_scalable),
		T(include_all_attaches_every_enumerated_function, setup_scalable),
		T(rmrr_is_identity_mapped_but_never_over_hv_memory, setup_legacy),
		T(remap_needs_flush_and_flush_works, setup_legacy),
		T(remap_needs_flush_and_flush_works, setup_scalable),
		T(remap_needs_flush_and_flush_works, setup_fl_only),
		T(no_usable_unit_is_enodev, setup_legacy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

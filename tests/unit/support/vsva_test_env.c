// SPDX-License-Identifier: MIT
/*
 * vsva_test_env.c - one guest's vSVA over the VT-d reference model, hosted (see
 * vsva_test_env.h for what it builds).
 */
#include "tests/unit/support/vsva_test_env.h"

#include <string.h>

#include "hv/pasid_space.h"
#include "hv/vsva_hc.h"
#include "tests/unit/support/hosted.h"

#define STEP(e, ok, what)                     \
	do {                                  \
		if (!(ok)) {                  \
			(e)->failed = (what); \
			return -1;            \
		}                             \
	} while (0)

int vte_dev_info(void *ctx, uint16_t seg, uint16_t sid, struct vsva_dev_info *info)
{
	struct vsva_test_env *e = ctx;

	for (unsigned int i = 0; seg == 0 && i < e->cfg.nr_devs; i++) {
		if (sid != e->cfg.sid[i])
			continue;
		info->unit = &e->u;
		info->dir = &e->dir[i];
		info->sl = e->cfg.fl_only ? NULL : &e->sl;
		info->fl = e->cfg.fl_only ? &e->fl : NULL;
		info->did = VTE_DID;
		info->sid = sid;
		if (e->cfg.ats_mask & (1u << i)) {
			info->ats = true;
			info->ats_info.pfsid = sid;
			info->ats_info.qdep = 0;
		}
		return 0;
	}
	return -VSVA_ENODEV;
}

/* The physical unit: tables for GPA = HPA over RAM, a PASID directory per device. */
static int setup_unit(struct vsva_test_env *e)
{
	const struct vte_config *c = &e->cfg;
	const uint64_t gpa = VTE_RAM_GPA, rw = VTD_SL_R | VTD_SL_W;

	e->m = model_create(&c->model);
	STEP(e, e->m, "model_create");
	env_attach(e->m);
	STEP(e, !vtd_unit_init(&e->u, 0, env_reg_base()), "vtd_unit_init");
	STEP(e, !vtd_unit_enable(&e->u), "vtd_unit_enable");
	if (c->fl_only) {
		STEP(e, !vtd_flpt_init(&e->fl, &e->u), "vtd_flpt_init");
		STEP(e, !vtd_flpt_map(&e->fl, gpa, gpa, c->ram_size, rw), "vtd_flpt_map");
	} else {
		STEP(e, !vtd_slpt_init(&e->sl, &e->u), "vtd_slpt_init");
		STEP(e, !vtd_slpt_map(&e->sl, gpa, gpa, c->ram_size, rw), "vtd_slpt_map");
	}
	if (c->model_ram)
		STEP(e, !model_mem_map(e->m, gpa, c->ram_size + 0x1000), "model_mem_map");
	for (unsigned int i = 0; i < c->nr_devs; i++) {
		struct vtd_ats ats = { .pfsid = c->sid[i] };
		struct vtd_pasid_dir *d = &e->dir[i];

		STEP(e, !vtd_pasid_dir_init(d, &e->u), "vtd_pasid_dir_init");
		if (c->fl_only)
			STEP(e, !vtd_pasid_set_fl(&e->u, d, 0, VTE_DID, e->fl.root, 4, 0),
			     "vtd_pasid_set_fl");
		else
			STEP(e, !vtd_pasid_set_sl(&e->u, d, 0, VTE_DID, &e->sl, 0),
			     "vtd_pasid_set_sl");
		STEP(e,
		     !vtd_ctx_set_scalable(&e->u, c->sid[i], VTE_DID, d->dir, d->pdts, 0,
					   (c->ats_mask & (1u << i)) ? &ats : NULL),
		     "vtd_ctx_set_scalable");
	}
	return 0;
}

/* The guest map (MMIO below, RAM, hypervisor above) and hosted memory behind it. */
static int setup_map(struct vsva_test_env *e)
{
	const struct vte_config *c = &e->cfg;
	const uint64_t gpa = VTE_RAM_GPA;
	struct boot_info *bi = &e->bi;

	if (c->mmio_size)
		bi->mmap[bi->mmap_count++] = (struct boot_mem_range){ gpa - c->mmio_size,
								      c->mmio_size,
								      BOOT_MEM_RESERVED, 0 };
	bi->mmap[bi->mmap_count++] = (struct boot_mem_range){ gpa, c->ram_size, BOOT_MEM_USABLE,
							      0 };
	if (c->hv_size)
		bi->mmap[bi->mmap_count++] = (struct boot_mem_range){ gpa + c->ram_size, c->hv_size,
								      BOOT_MEM_HV_IMAGE, 0 };
	STEP(e, !guest_map_build(bi, &e->mtrr, &e->vm.map), "guest_map_build");
	hosted_mem_reset();
	if (c->mmio_mem)
		hosted_mem_add(gpa - c->mmio_size, c->mmio_mem, c->mmio_size);
	hosted_mem_add(gpa, c->ram, c->ram_size);
	if (c->hv_mem)
		hosted_mem_add(gpa + c->ram_size, c->hv_mem, c->hv_size);
	return 0;
}

int vte_setup(struct vsva_test_env *e, const struct vte_config *cfg)
{
	struct vsva_guest_config gc;

	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	memset(cfg->ram, 0, cfg->ram_size);
	if (setup_unit(e) || setup_map(e))
		return -1;
	e->vm.ci = &e->ci;
	e->vm.nr_vcpus = 1;
	e->vcpu.vm = &e->vm;
	pasid_space_init(e->u.pasid_bits);
	gc = (struct vsva_guest_config){ .map = &e->vm.map,
					 .device = vte_dev_info,
					 .ctx = e,
					 .unit = &e->u,
					 .pasid_translation = cfg->pasid_translation };
	STEP(e, !vsva_guest_init(&e->g, &gc), "vsva_guest_init");
	if (cfg->hypercalls)
		STEP(e, !vsva_hc_register(&e->vm, &e->g), "vsva_hc_register");
	e->next_table = cfg->tables_off;
	return 0;
}

unsigned int vte_teardown(struct vsva_test_env *e)
{
	unsigned int live;

	if (e->cfg.hypercalls)
		vsva_hc_register(&e->vm, NULL);
	vsva_guest_destroy(&e->g);
	for (unsigned int i = 0; i < e->cfg.nr_devs; i++)
		vtd_pasid_dir_destroy(&e->dir[i]);
	if (e->cfg.fl_only)
		vtd_flpt_destroy(&e->fl);
	else
		vtd_slpt_destroy(&e->sl);
	vtd_ctx_free_tables(&e->u);
	vtd_unit_disable(&e->u);
	live = env_frames_live;
	env_detach();
	model_destroy(e->m);
	return live;
}

int64_t vte_hc(struct vsva_test_env *e, uint64_t nr, uint64_t a0, uint64_t a1)
{
	struct hypercall_args a = { nr, a0, a1, 0, 0 };

	return hypercall_dispatch(&e->vcpu, &a);
}

void *vte_at(struct vsva_test_env *e, uint64_t off)
{
	return e->cfg.ram + off;
}

uint64_t vte_new_table(struct vsva_test_env *e)
{
	uint64_t off = e->next_table;

	if (off + 0x1000 > e->cfg.tables_end)
		return 0;
	e->next_table += 0x1000;
	memset(vte_at(e, off), 0, 0x1000);
	return VTE_RAM_GPA + off;
}

uint64_t *vte_fl_slot(struct vsva_test_env *e, uint64_t root, uint64_t gva, int leaf_lvl,
		      uint64_t table_flags)
{
	uint64_t t = root;

	for (int lvl = 4; lvl > leaf_lvl; lvl--) {
		uint64_t *p = (uint64_t *)vte_at(e, t - VTE_RAM_GPA) +
			      ((gva >> (12 + 9 * (lvl - 1))) & 511);

		if (!(*p & 1)) {
			uint64_t n = vte_new_table(e);

			if (!n)
				return NULL;
			*p = n | table_flags;
		}
		t = *p & 0x000ffffffffff000ull;
	}
	return (uint64_t *)vte_at(e, t - VTE_RAM_GPA) + ((gva >> (12 + 9 * (leaf_lvl - 1))) & 511);
}

int vte_fl_map(struct vsva_test_env *e, uint64_t root, uint64_t gva, uint64_t gpa, uint64_t flags)
{
	uint64_t *p = vte_fl_slot(e, root, gva, 1, VTE_FLF);

	if (!p)
		return -1;
	*p = gpa | flags;
	return 0;
}

int vte_dma(struct vsva_test_env *e, struct model_req r, uint64_t *v)
{
	int ret;

	model_mem_write(e->m, VTE_RAM_GPA, e->cfg.ram, e->cfg.ram_size);
	env_sync_to_model();
	ret = model_dma_req(e->m, &r, v, sizeof(*v), NULL);
	env_sync_from_model();
	model_mem_read(e->m, VTE_RAM_GPA, e->cfg.ram, e->cfg.ram_size);
	return ret;
}

struct model_xlate vte_xlate(struct vsva_test_env *e, struct model_req r)
{
	struct model_xlate x;

	memset(&x, 0, sizeof(x));
	model_mem_write(e->m, VTE_RAM_GPA, e->cfg.ram, e->cfg.ram_size);
	env_translate(&r, &x);
	model_mem_read(e->m, VTE_RAM_GPA, e->cfg.ram, e->cfg.ram_size);
	return x;
}

/* SPDX-License-Identifier: MIT */
/*
 * vsva_test_env.h - one guest's vSVA over the VT-d reference model, hosted, for the
 * unit tests (tests/unit/test_vsva*.c, test_vvtd.c), the fuzzer (tests/fuzz/fuzz_vsva.c)
 * and the hypercall bench (tests/bench/bench_vsva_calls.c). No test framework: every
 * call returns 0 or an error and names the failed step in env->failed, and the caller
 * checks it its own way (cmocka assert, FUZZ_CHECK, exit).
 *
 * What vte_setup() builds, in this order:
 *   - the model unit (cfg->model) attached as the driver's environment (env_attach()),
 *     the driver's unit on its registers, enabled;
 *   - the physical second level: a VT-d SL table mapping guest RAM 1:1 (GPA = HPA), or
 *     with cfg->fl_only a first-level table doing the same (no ECAP.SLTS);
 *   - per device (cfg->nr_devs, SIDs cfg->sid[]), a PASID directory whose PASID 0 (RID2PASID)
 *     uses that table, and a scalable-mode context entry with domain VTE_DID (ATS for
 *     devices in cfg->ats_mask);
 *   - the guest map: RAM usable, cfg->hv_size bytes of hypervisor image right above it,
 *     cfg->mmio_size bytes of reserved MMIO right below it; hosted memory
 *     (hpa_to_hva()) covers the RAM buffer and the optional buffers behind the others;
 *   - with cfg->model_ram, the RAM range (and one page above) mapped in model memory,
 *     for DMA (vte_dma(), vte_xlate() copy the RAM buffer to it and back);
 *   - a one-vCPU VM, the host PASID space, struct vsva_guest (device() = vte_dev_info)
 *     and, with cfg->hypercalls, its hypercalls registered for the VM.
 *
 * Units and address kinds: sizes and offsets in bytes; "off" is an offset into the
 * guest RAM buffer, "GPA" a guest-physical address (VTE_RAM_GPA + off for RAM, equal
 * to the HPA), "GVA" an address translated by a guest first-level table; tables are
 * 4-KiB pages.
 */
#ifndef TESTS_UNIT_SUPPORT_VSVA_TEST_ENV_H
#define TESTS_UNIT_SUPPORT_VSVA_TEST_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/guest_map.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/vsva.h"
#include "iommu/flpt.h"
#include "iommu/pasid.h"
#include "iommu/root.h"
#include "tests/unit/support/iommu_env_model.h"

#define VTE_RAM_GPA  0x40000000ull /* guest RAM (GPA = HPA), 2-MiB aligned */
#define VTE_DID	     5		   /* the physical domain of every device */
#define VTE_MAX_DEVS 2
#define VTE_FLF	     (1ull << 0 | 1ull << 1 | 1ull << 2) /* FL entry P, RW, US */

struct vte_config {
	struct model_config model;
	uint8_t *ram;	   /* guest RAM buffer, 4-KiB aligned, at VTE_RAM_GPA */
	uint64_t ram_size; /* bytes */
	unsigned int nr_devs;
	uint16_t sid[VTE_MAX_DEVS];
	unsigned int ats_mask; /* bit i: device i has ATS */
	bool fl_only;	       /* GPA -> HPA by a first-level table (software nesting) */
	bool model_ram;	       /* map RAM (+ 4 KiB) in model memory, for DMA */
	bool hypercalls;       /* register the guest's hypercalls for vm */
	bool pasid_translation;
	uint64_t hv_size;		 /* hypervisor image above RAM (0: none) */
	uint8_t *hv_mem;		 /* optional hosted memory behind it (hv_size bytes) */
	uint64_t mmio_size;		 /* reserved MMIO below RAM (0: none) */
	uint8_t *mmio_mem;		 /* optional hosted memory behind it (mmio_size bytes) */
	uint64_t tables_off, tables_end; /* RAM offsets vte_new_table() hands out */
};

struct vsva_test_env {
	struct vte_config cfg;
	struct model_unit *m;
	struct vtd_unit u;
	struct vtd_slpt sl;
	struct vtd_flpt fl; /* cfg.fl_only */
	struct vtd_pasid_dir dir[VTE_MAX_DEVS];
	struct boot_info bi;
	struct mtrr_state mtrr;
	struct cpu_info ci;
	struct vm vm;
	struct vcpu vcpu;
	struct vsva_guest g;
	uint64_t next_table; /* RAM offset */
	const char *failed;  /* the step that failed */
};

/* vsva_guest_config.device(): the devices of cfg (ctx = the env). */
int vte_dev_info(void *ctx, uint16_t seg, uint16_t sid, struct vsva_dev_info *info);

/* Zero @e and build all of the above from @cfg (copied). 0, or -1 with e->failed set. */
int vte_setup(struct vsva_test_env *e, const struct vte_config *cfg);

/*
 * vte_teardown() - unregister, destroy the guest, the PASID directories, the table,
 * the context tables, disable the unit, detach and destroy the model. Returns the
 * frames still live before the detach (0: nothing leaked).
 */
unsigned int vte_teardown(struct vsva_test_env *e);

/* One VMCALL of the guest's vCPU (hypercall_dispatch()): its result. */
int64_t vte_hc(struct vsva_test_env *e, uint64_t nr, uint64_t a0, uint64_t a1);

/* The RAM buffer at offset @off. */
void *vte_at(struct vsva_test_env *e, uint64_t off);

/* A zeroed 4-KiB table from [tables_off, tables_end): its GPA, or 0 when none is left. */
uint64_t vte_new_table(struct vsva_test_env *e);

/*
 * The guest's FL (4-level, 4-KiB) entry of level @leaf_lvl for GVA @gva under the root
 * at GPA @root, tables made with @table_flags as needed; NULL when out of tables.
 */
uint64_t *vte_fl_slot(struct vsva_test_env *e, uint64_t root, uint64_t gva, int leaf_lvl,
		      uint64_t table_flags);

/* Map GVA @gva -> GPA @gpa with leaf @flags (tables VTE_FLF). 0, or -1 out of tables. */
int vte_fl_map(struct vsva_test_env *e, uint64_t root, uint64_t gva, uint64_t gpa, uint64_t flags);

/* One 8-byte model DMA of @r (RAM and env synced both ways): 0 or the model's fault. */
int vte_dma(struct vsva_test_env *e, struct model_req r, uint64_t *v);

/* The model's translation of @r (RAM synced both ways). */
struct model_xlate vte_xlate(struct vsva_test_env *e, struct model_req r);

#endif

// SPDX-License-Identifier: MIT
/*
 * vSVA wiring at boot (hv/vsva_boot.h): the platform's scalable units, the host PASID
 * space, the VM's vSVA state and its hypercalls, the VMCS PASID-translation fields.
 */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "vsva"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/pasid_space.h"
#include "hv/vmx.h"
#include "hv/vsva.h"
#include "hv/vsva_boot.h"
#include "hv/vsva_hc.h"
#include "hv/vsva_prq.h"

/* The one VM vmx_start() creates (per-VM state, named so). */
static struct vsva_guest vsva_boot_guest;
static const struct vm *vsva_boot_vm_ptr;
static struct iommu_platform *vsva_boot_plat;
static bool vsva_boot_xlt; /* CPU PASID translation in use */
static bool vsva_boot_ended;
/* The one page request router (hv/vsva_prq.h): every physical queue drains into it. */
static struct vsva_prq vsva_boot_prq;
static bool vsva_boot_prq_on;
static uint64_t vsva_boot_tests; /* VSVA_HC_PLATFORM_TEST calls, for the log's rate limit */

#define VSVA_BOOT_LOG_MAX 8u

/* struct vsva_guest_config.device: @sid is the guest's when the platform attached it
 * behind a scalable unit (the RID_PASID entry then already maps the guest's GPAs). */
static int vsva_boot_device(void *ctx, uint16_t seg, uint16_t sid, struct vsva_dev_info *info)
{
	struct iommu_platform *p = ctx;
	struct iommu_device *d = iommu_platform_device(p, sid);
	unsigned int ui;

	if (seg != 0 || !d || d->unit >= p->nunits)
		return -VSVA_ENODEV;
	ui = d->unit;
	if (!p->unit[ui].scalable || p->kind[ui] != IOMMU_DOM_SL)
		return -VSVA_ENODEV; /* nesting needs the platform's second level */
	memset(info, 0, sizeof(*info));
	info->unit = &p->unit[ui];
	info->dir = &d->dir;
	info->sl = &p->sl[ui];
	info->did = p->did;
	info->sid = sid;
	info->ats = false; /* the platform attaches devices without ATS */
	return 0;
}

int vsva_boot_vm(struct vm *vm, const struct cpu_info *ci)
{
	struct iommu_platform *p = vsva_boot_platform(vm);
	struct vsva_guest_config cfg;
	const struct vtd_unit *caps_unit = NULL;
	unsigned int bits = 20;
	int ret;

	for (unsigned int i = 0; p && i < p->nunits; i++) {
		const struct vtd_unit *u = &p->unit[i];

		if (!u->scalable || p->kind[i] != IOMMU_DOM_SL)
			continue;
		if (u->pasid_bits < bits)
			bits = u->pasid_bits;
		/* The capabilities describe the least capable unit: one without NEST wins. */
		if (!caps_unit || !vtd_has_ecap(u, VTD_ECAP_NEST))
			caps_unit = u;
	}
	if (!caps_unit) {
		log_info("no scalable-mode VT-d unit with a second level: vSVA off (the "
			 "guest's vSVA calls return -ENODEV)");
		return -ENODEV;
	}
	pasid_space_init(bits);
	vsva_boot_xlt = (ci->vmx_caps.proc2.allowed1 & VSVA_BOOT_PROC2_PASID_TRANSLATION) != 0;
	cfg = (struct vsva_guest_config){
		.map = &vm->map,
		.device = vsva_boot_device,
		.ctx = p,
		.unit = caps_unit,
		.pasid_translation = vsva_boot_xlt,
	};
	ret = vsva_guest_init(&vsva_boot_guest, &cfg);
	if (ret) {
		log_err("vsva_guest_init failed (%d): vSVA off", ret);
		return ret == -VSVA_ENOMEM ? -ENOMEM : ret;
	}
	ret = vsva_hc_register(vm, &vsva_boot_guest);
	if (ret) {
		vsva_guest_destroy(&vsva_boot_guest);
		log_err("vsva_hc_register failed (%d): vSVA off", ret);
		return -ENOSPC;
	}
	vsva_boot_vm_ptr = vm;
	vsva_boot_plat = p;
	vsva_prq_init(&vsva_boot_prq);
	for (unsigned int i = 0; i < p->nunits; i++)
		vsva_boot_prq_on |= p->prq[i].u != NULL;
	vsva_boot_prq_on &= vsva_prq_supported(&vsva_boot_guest);
	log_info("on: %u units, %u devices, host PASIDs %u bits (shared range %s), nesting %s, "
		 "CPU PASID translation %s, page requests %s",
		 p->nunits, p->ndev, bits, pasid_space_shared_ok() ? "yes" : "none",
		 vtd_has_ecap(caps_unit, VTD_ECAP_NEST) ? "hardware (ECAP.NEST)" : "absent",
		 vsva_boot_xlt ? "active (secondary control bit 21)" :
				 "inactive (IA32_VMX_PROCBASED_CTLS2 lacks bit 21)",
		 vsva_boot_prq_on ? "routed (ECAP.PRS, physical queues polled)" : "none");
	return 0;
}

struct vsva_prq *vsva_boot_router(const struct vm *vm)
{
	return vsva_boot_prq_on && vm == vsva_boot_vm_ptr ? &vsva_boot_prq : NULL;
}

/* The host PASID of guest PASID @gpasid when it is bound on device @dev; -VSVA_ENODEV
 * (device not attached), -VSVA_ENOENT (PASID not the guest's or not bound there). */
static int64_t bound_hpasid(const struct vsva_guest *g, uint32_t dev, uint32_t gpasid)
{
	unsigned int s;

	for (s = 0; s < VSVA_MAX_DEVICES; s++)
		if (g->dev[s].attached && g->dev[s].id == dev)
			break;
	if (s == VSVA_MAX_DEVICES)
		return -VSVA_ENODEV;
	for (unsigned int i = 0; i < VSVA_MAX_PASIDS; i++)
		if (g->pasid[i].live && g->pasid[i].gpasid == gpasid && g->pasid[i].bind[s].bound)
			return g->pasid[i].hpasid;
	return -VSVA_ENOENT;
}

int64_t vsva_boot_platform_test(struct vcpu *v, uint64_t ops, uint64_t dev, uint64_t gpasid,
				uint64_t addr)
{
	struct iommu_platform *p = vsva_boot_plat;
	struct iommu_test_req r;
	uint32_t op = (uint32_t)(ops & VSVA_TEST_OP_MASK);
	int64_t hpasid = 0;
	int ret;

	if (!p || !p->test || v->vm != vsva_boot_vm_ptr)
		return -VSVA_ENOSYS; /* hardware: no simulated devices */
	if ((ops & VSVA_TEST_RESERVED) || op < VSVA_TEST_DMA_READ || op > VSVA_TEST_PAGE_REQ ||
	    (dev >> 32) || (gpasid >> 32) ||
	    (gpasid != VSVA_TEST_NO_PASID && gpasid > 0xfffff)) /* 20-bit PASIDs, VT-d §3.4.3 */
		return -VSVA_EINVAL;
	if (op != VSVA_TEST_PAGE_REQ && (ops & ~(uint64_t)VSVA_TEST_OP_MASK))
		return -VSVA_EINVAL; /* group flags belong to page requests */
	if ((dev >> 16) || !iommu_platform_device(p, (uint16_t)dev))
		return -VSVA_ENODEV; /* segment 0 only, like the platform */
	if (gpasid != VSVA_TEST_NO_PASID) {
		hpasid = bound_hpasid(&vsva_boot_guest, (uint32_t)dev, (uint32_t)gpasid);
		if (hpasid < 0)
			return hpasid;
	}
	memset(&r, 0, sizeof(r));
	r.op = (uint8_t)op; /* enum iommu_test_op has the ABI's numbers */
	r.sid = (uint16_t)dev;
	r.pasid_present = gpasid != VSVA_TEST_NO_PASID;
	r.pasid = (uint32_t)hpasid;
	r.addr = addr;
	r.write = (ops & VSVA_TEST_WRITE) != 0;
	r.lpig = (ops & VSVA_TEST_LPIG) != 0;
	r.prgi = (uint16_t)VSVA_TEST_PRGI_OF(ops);
	ret = p->test(p, &r);
	if (++vsva_boot_tests <= VSVA_BOOT_LOG_MAX) /* guest-driven: rate-limited */
		log_info("platform test: device %02x:%02x.%u %s guest PASID %#llx -> host PASID "
			 "%#x at %#llx%s: %d",
			 r.sid >> 8, (r.sid >> 3) & 0x1f, r.sid & 7,
			 op == VSVA_TEST_PAGE_REQ  ? "page request" :
			 op == VSVA_TEST_DMA_WRITE ? "DMA write" :
						     "DMA read",
			 (unsigned long long)gpasid, r.pasid, (unsigned long long)addr,
			 r.lpig ? " (LPIG)" : "", ret);
	if (ret >= 0)
		return ret;
	return ret == -ENOSPC ? -VSVA_ENOSPC : ret == -ENODEV ? -VSVA_ENODEV : -VSVA_EIO;
}

int vsva_boot_vmcs(const struct vm *vm)
{
	const struct pasid_xlate *x = &vsva_boot_guest.xlate;
	uint64_t rf;

	if (!vsva_boot_xlt || vm != vsva_boot_vm_ptr)
		return 0;
	rf = vmcs_write(VMCS_LOW_PASID_DIR_ADDR, x->dir[0]);
	rf |= vmcs_write(VMCS_HIGH_PASID_DIR_ADDR, x->dir[1]);
	rf |= vmcs_write(SECONDARY_VM_EXEC_CONTROL,
			 vmcs_read(SECONDARY_VM_EXEC_CONTROL) | VSVA_BOOT_PROC2_PASID_TRANSLATION);
	if (rf & (RFLAGS_CF | RFLAGS_ZF)) {
		log_err("VMWRITE of the PASID-translation fields failed");
		return -EIO;
	}
	log_info("VMCS PASID directories low 0x%llx high 0x%llx, PASID translation on",
		 (unsigned long long)x->dir[0], (unsigned long long)x->dir[1]);
	return 0;
}

int vsva_boot_guest_reset(const struct vm *vm)
{
	struct vsva_guest *g = vsva_hc_guest(vm);

	if (!g)
		return -ENODEV;
	vsva_guest_reset(g);
	log_info("guest reset: every vSVA binding, PASID and device authorization released");
	return 0;
}

void vsva_boot_guest_end(void)
{
	const struct vsva_counters *c = &vsva_boot_guest.cnt;
	char why[160] = "";
	unsigned int failed;

	if (!vsva_boot_vm_ptr || vsva_boot_ended)
		return;
	vsva_boot_ended = true;
	if (vsva_check(&vsva_boot_guest, why, sizeof(why)))
		log_err("guest end: invariants violated: %s", why);
	else
		log_info("guest end: invariants hold (every PASID entry belongs to a live "
			 "binding, no second-level leaf outside the guest map)");
	log_info("guest end: %llu binds, %llu unbinds, %llu invalidation batches of %llu "
		 "requests as %llu descriptors, %llu refused",
		 (unsigned long long)c->binds, (unsigned long long)c->unbinds,
		 (unsigned long long)c->inv_batches, (unsigned long long)c->inv_requests,
		 (unsigned long long)c->inv_descriptors, (unsigned long long)c->inv_errors);
	failed = vsva_boot_confirm(&vsva_boot_guest, vsva_boot_plat);
	(void)failed;
}

// SPDX-License-Identifier: MIT
/*
 * The VM's virtual VT-d unit on real MMIO (hv/vvtd_boot.h): the register page kept out of
 * EPT, the EPT-violation emulation, the unit's creation over vSVA and the guest's DMAR,
 * and the poll that brings the physical units' faults and page requests to it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#define LOG_PREFIX "vvtd"
#include "guest/include/vsva_hv.h"
#include "hv/acpi_guest.h"
#include "hv/cmdline.h"
#include "hv/linux_boot.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/mmio_decode.h"
#include "hv/tsc.h"
#include "hv/vmx.h"
#include "hv/vsva_boot.h"
#include "hv/vinject.h"
#include "hv/vsva_hc.h"
#include "hv/vsva_prq.h"
#include "hv/vvtd.h"
#include "hv/vvtd_boot.h"
#include "hv/vvtd_poll.h"

#define VEC_GP		  13
#define AR_L		  BIT(13) /* segment access rights: 64-bit code (SDM Vol. 3C 25.4.1) */
#define AR_DB		  BIT(14)
#define VVTD_BOOT_HAW	  46u
#define VVTD_BOOT_LOG_MAX 8u /* accesses, events, errors logged one by one; the rest counted */
#define SID_FMT		  "%02x:%02x.%u"
#define SID_ARGS(s)	  (s) >> 8, ((s) >> 3) & 0x1f, (s)&7
/*
 * The poll period. 1 ms of TSC time: a device with PRI stalls its DMA until the page
 * group response, so a page request should reach the guest's driver within about one
 * of its scheduler ticks (Linux HZ=1000: 1 ms), and a fault event within a timer
 * interrupt's reach; a physical queue of 128 descriptors (order 0) absorbs 128 requests
 * per period before the unit answers for them (§7.5.1). The cost is one VM exit per ms
 * per vCPU: on hardware about 1-2 us each (VM exit, two register reads per unit,
 * VMRESUME), about 0.1-0.2% of a CPU.
 */
#define VVTD_BOOT_POLL_US 1000u

static struct vvtd vvtd_boot_unit;
static bool vvtd_boot_on, vvtd_boot_reserved;
static int vvtd_boot_lock;
static uint64_t vvtd_boot_accesses, vvtd_boot_rejected, vvtd_boot_events[4];
static uint64_t vvtd_boot_iqt_writes; /* each one VM exit (an EPT violation) */
static uint64_t vvtd_boot_te_on, vvtd_boot_te_off, vvtd_boot_te_scalable; /* GSTS.TES edges */
static bool vvtd_boot_ended;
static uint64_t vvtd_boot_rid_changes, vvtd_boot_rid_failed; /* RID_PASID switches, checks */
static unsigned int vvtd_boot_cpu; /* logical CPU of the access being emulated */
static bool vvtd_boot_logged[VVTD_MAX_SHADOWS];
/* The poll: the physical platform, the fault router, the page request router. */
static struct iommu_platform *vvtd_boot_plat;
static struct vvtd_poll vvtd_boot_faults;
static struct vsva_prq *vvtd_boot_router;
static uint64_t vvtd_boot_timer_exits, vvtd_boot_timer_skipped, vvtd_boot_timer_ticks;
static uint64_t vvtd_boot_timer_min = UINT64_MAX; /* TSC ticks of the cheapest timer exit */
static uint64_t vvtd_boot_mmio_polls, vvtd_boot_page_requests, vvtd_boot_tsc0;

static bool wanted(const char *cmdline)
{
	char val[8];

	return cmdline && cmdline_get(cmdline, "vvtd", val, sizeof(val)) && !strcmp(val, "on");
}

int vvtd_boot_reserve(struct guest_map *m, const char *cmdline)
{
	gpa_t lo = VVTD_BOOT_REG_GPA, hi = lo + PAGE_SIZE;
	struct guest_mem_range *r;
	uint32_t i;

	if (!wanted(cmdline))
		return 0;
	for (i = 0; i < m->count && m->r[i].base + m->r[i].size <= lo; i++)
		;
	if (i == m->count || m->r[i].base >= hi) {
		vvtd_boot_reserved = true; /* absent already */
		return 0;
	}
	r = &m->r[i];
	if (r->kind != GUEST_MEM_MMIO) {
		log_err("register page 0x%llx is guest RAM: virtual VT-d unit off",
			(unsigned long long)lo);
		return -EEXIST;
	}
	if (r->base < lo && r->base + r->size > hi) { /* split in two around the page */
		if (m->count == GUEST_MAP_MAX)
			return -ENOSPC;
		memmove(&m->r[i + 1], &m->r[i], (m->count - i) * sizeof(*r));
		m->count++;
		m->r[i].size = lo - m->r[i].base;
		m->r[i + 1].size = m->r[i + 1].base + m->r[i + 1].size - hi;
		m->r[i + 1].base = hi;
	} else if (r->base == lo && r->size == PAGE_SIZE) {
		memmove(&m->r[i], &m->r[i + 1], (m->count - i - 1) * sizeof(*r));
		m->count--;
	} else if (r->base == lo) {
		r->base = hi;
		r->size -= PAGE_SIZE;
	} else {
		r->size = lo - r->base;
	}
	vvtd_boot_reserved = true;
	log_info("register page 0x%llx left out of the guest map (EPT violations reach the "
		 "virtual unit)",
		 (unsigned long long)lo);
	return 0;
}

/*
 * The unit's interrupt (VT-d §7.3.1 fault event, §7.3.2 invalidation completion event,
 * §7.3.3 page request event): the MSI the guest programmed in FEADDR/FEDATA,
 * IEADDR/IEDATA or PEADDR/PEDATA, decoded and made pending on its destination vCPU
 * (hv/vinject.h); the exit handler that ran the unit (an access, a poll) injects it.
 * Called with the unit's lock held, IM already honoured by the unit.
 */
static void vvtd_boot_event(void *ctx, enum vvtd_event ev)
{
	static const char *const names[] = { "?", "fault", "invalidation completion",
					     "page request" };
	struct vvtd *u = ctx;
	uint32_t addr, data;
	struct vinject_msi m;
	int ret;

	switch (ev) {
	case VVTD_EV_FAULT:
		addr = u->feaddr, data = u->fedata;
		break;
	case VVTD_EV_PRQ:
		addr = u->peaddr, data = u->pedata;
		break;
	default:
		addr = u->ieaddr, data = u->iedata;
		break;
	}

	if ((unsigned int)ev < ARRAY_SIZE(vvtd_boot_events))
		vvtd_boot_events[ev]++;
	ret = vinject_msi_decode(addr, data, &m);
	if (!ret)
		ret = vinject_post(vinject_state(), &m, vvtd_boot_cpu);
	if (vvtd_boot_events[ev] > VVTD_BOOT_LOG_MAX)
		return; /* a guest's MSI setup must not flood the log: the first ones tell */
	if (ret < 0)
		log_warn("%s event: MSI address 0x%x data 0x%x not delivered (%d)",
			 names[(unsigned int)ev < ARRAY_SIZE(names) ? ev : 0], addr, data, ret);
	else
		log_info("%s event: MSI vector 0x%02x to APIC ID %u (cpu %d), %llu so far",
			 names[(unsigned int)ev < ARRAY_SIZE(names) ? ev : 0], m.vector, m.dest,
			 ret, (unsigned long long)vvtd_boot_events[ev]);
}

/* Space for the guest's ACPI tables: ACPI_GUEST_SPACE bytes of guest RAM at @gpa that no
 * module occupies. */
static bool acpi_space_ok(const struct boot_info *bi, const struct guest_map *m, gpa_t gpa)
{
	if (guest_map_kind(m, gpa, ACPI_GUEST_SPACE) != GUEST_MEM_RAM)
		return false;
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
		const struct boot_module *mo = &bi->modules[i];

		if (gpa < mo->base + mo->size && mo->base < gpa + ACPI_GUEST_SPACE)
			return false;
	}
	return true;
}

/* A Linux guest: the guest's ACPI root with the DMAR in a page of its RAM that the
 * loader left free, that page reserved in its e820, the RSDP in boot_params. */
static int vvtd_boot_linux(const struct boot_info *bi, struct vm *vm, const struct acpi_info *acpi,
			   const struct acpi_guest_unit *au, gpa_t params)
{
	gpa_t base = linux_boot_acpi_space(bi, &vm->map, params, ACPI_GUEST_SPACE), rsdp;
	uint64_t used;
	int ret;

	if (!base) {
		log_err("Linux guest: no free guest RAM for its ACPI tables: unit on, no DMAR");
		vvtd_boot_on = true;
		return -ENOMEM;
	}
	ret = acpi_guest_build(acpi, &vm->map, base, au, &rsdp, &used);
	if (!ret)
		ret = linux_boot_set_acpi(params, rsdp, base, used);
	vvtd_boot_on = true; /* the register page works even if the guest cannot find it */
	if (ret) {
		log_err("Linux guest: ACPI not given (%d): unit on, the guest sees no DMAR", ret);
		return ret;
	}
	log_info("on for a Linux guest: register page 0x%llx, %u devices in scope, guest ACPI "
		 "at 0x%llx (%llu bytes, e820 reserved), boot_params.acpi_rsdp_addr 0x%llx",
		 (unsigned long long)VVTD_BOOT_REG_GPA, au->nsids, (unsigned long long)base,
		 (unsigned long long)used, (unsigned long long)rsdp);
	return 0;
}

int vvtd_boot_vm(struct vm *vm, const struct boot_info *bi, const struct acpi_info *acpi,
		 const struct guest_image *img)
{
	struct vsva_guest *g = vsva_hc_guest(vm);
	struct iommu_platform *p;
	struct vvtd_config cfg;
	struct acpi_guest_unit au;
	struct vsva_guest_boot *boot;
	gpa_t rsdp;
	uint64_t used;
	int ret;

	if (!wanted(bi->cmdline))
		return 0;
	if (!vvtd_boot_reserved || !g) {
		log_info("off: %s", !g ? "no vSVA for this VM" : "register page not reserved");
		return -ENODEV;
	}
	p = vsva_boot_platform(vm);
	memset(&cfg, 0, sizeof(cfg));
	memset(&au, 0, sizeof(au));
	cfg.vsva = g;
	cfg.event = vvtd_boot_event;
	cfg.ctx = &vvtd_boot_unit;
	cfg.prq = vsva_boot_router(vm); /* ECAP.PRS for the guest when page requests route */
	for (unsigned int k = 0; p && k < p->ndev && cfg.nr_sids < VVTD_MAX_DEVICES &&
				 cfg.nr_sids < ACPI_GUEST_MAX_SIDS;
	     k++) {
		cfg.sid[cfg.nr_sids++] = p->dev[k].sid;
		au.sid[au.nsids++] = p->dev[k].sid;
	}
	ret = vvtd_init(&vvtd_boot_unit, &cfg);
	if (ret) {
		log_err("vvtd_init failed (%d): off", ret);
		return ret;
	}
	vvtd_poll_init(&vvtd_boot_faults, &vvtd_boot_unit);
	vvtd_boot_plat = p;
	vvtd_boot_router = cfg.prq;
	vvtd_boot_tsc0 = rdtsc();
	log_info("poll: physical faults%s routed to the unit every %u us (VMX-preemption "
		 "timer; on every vIOMMU exit instead when the CPU has no timer)",
		 cfg.prq ? " and page requests" : "", VVTD_BOOT_POLL_US);
	vinject_window_exits(); /* hv/exit.c routes exit reason 7 to vinject_window_exit() */
	au.reg_base = VVTD_BOOT_REG_GPA;
	au.haw = VVTD_BOOT_HAW;
	if (img->linux_params) /* a bzImage: its ACPI through boot_params and e820 */
		return vvtd_boot_linux(bi, vm, acpi, &au, img->linux_params);
	if (!img->boot_gpa || !host_hpa_mapped(img->boot_gpa, sizeof(*boot)) ||
	    ((struct vsva_guest_boot *)hpa_to_hva(img->boot_gpa))->size != sizeof(*boot)) {
		log_info("on without a guest DMAR: the guest has no struct vsva_guest_boot");
		vvtd_boot_on = true;
		return 0;
	}
	boot = hpa_to_hva(img->boot_gpa);
	if (!acpi_space_ok(bi, &vm->map, boot->free_gpa)) {
		log_err("no guest RAM at 0x%llx for the guest's ACPI tables: off",
			(unsigned long long)boot->free_gpa);
		return -EFAULT;
	}
	ret = acpi_guest_build(acpi, &vm->map, boot->free_gpa, &au, &rsdp, &used);
	if (ret) {
		log_err("guest ACPI tables not built (%d): off", ret);
		return ret;
	}
	boot->free_gpa += ALIGN_UP(used, PAGE_SIZE); /* the tables are not the guest's to reuse */
	boot->rsdp_gpa = rsdp;
	vvtd_boot_on = true;
	log_info("on: register page 0x%llx, %u devices in scope, VER 0x%x CAP 0x%llx ECAP 0x%llx, "
		 "guest RSDP 0x%llx",
		 (unsigned long long)VVTD_BOOT_REG_GPA, cfg.nr_sids, vvtd_boot_unit.ver,
		 (unsigned long long)vvtd_boot_unit.cap, (unsigned long long)vvtd_boot_unit.ecap,
		 (unsigned long long)rsdp);
	return 0;
}

static uint64_t *gpr(struct guest_regs *r, unsigned int n)
{
	return &((uint64_t *)r)[n]; /* SDM register numbering = struct guest_regs order */
}

static uint64_t reg_read(struct guest_regs *r, unsigned int n)
{
	return n == 4 ? vmcs_read(GUEST_RSP) : *gpr(r, n);
}

static void reg_write(struct guest_regs *r, unsigned int n, uint64_t val)
{
	if (n == 4)
		vmcs_write(GUEST_RSP, val);
	else
		*gpr(r, n) = val;
}

static void cpu_mode(struct mmio_cpu_mode *m)
{
	uint64_t ar = vmcs_read(GUEST_CS_AR_BYTES);
	bool ia32e = (vmcs_read(VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE) != 0;

	memset(m, 0, sizeof(*m));
	m->long64 = ia32e && (ar & AR_L);
	m->cs_db = (ar & AR_DB) != 0;
	m->cs_base = vmcs_read(GUEST_CS_BASE);
	m->cr0 = vmcs_read(GUEST_CR0);
	m->cr3 = vmcs_read(GUEST_CR3);
	m->cr4 = vmcs_read(GUEST_CR4);
	m->efer = ia32e ? BIT(10) | BIT(8) : 0; /* LMA follows the entry control */
}

/* The guest turned translation on (@on) or off: counted, and logged the first times. */
static void te_edge(bool on)
{
	uint64_t rt = vvtd_boot_unit.rtaddr_active;
	bool scalable = (rt & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_SCALABLE;

	if (on) {
		vvtd_boot_te_on++;
		vvtd_boot_te_scalable += scalable;
	} else {
		vvtd_boot_te_off++;
	}
	if (vvtd_boot_te_on + vvtd_boot_te_off <= VVTD_BOOT_LOG_MAX)
		log_info("GCMD.TE: translation %s by the guest (root table GPA 0x%llx, %s mode)",
			 on ? "enabled" : "disabled", (unsigned long long)(rt & VTD_RTADDR_RTA),
			 scalable ? "scalable" : "legacy");
}

/*
 * Device @i's requests without PASID changed (the guest's RID_PASID entry, TE, or an
 * invalidation made the unit re-read it): one line, the first VVTD_BOOT_LOG_MAX * 2
 * times, and the platform's confirmation of the physical entry (the model image walks
 * it) every time.
 */
static void rid_changed(unsigned int i)
{
	static const char *const guest[] = {
		[VVTD_RID_OFF] = "translation off",
		[VVTD_RID_BLOCKED] = "no entry (blocked)",
		[VVTD_RID_PT] = "pass-through",
		[VVTD_RID_FL] = "first-level",
		[VVTD_RID_INVALID] = "invalid entry (blocked)",
	};
	static const char *const phys[] = {
		[VSVA_RID_PLATFORM] = "the platform's second level (GPA -> HPA)",
		[VSVA_RID_NESTED] = "nested: the guest's FL over the second level",
		[VSVA_RID_BLOCKED] = "not present (DMA faults)",
	};
	const struct vvtd_rid *g = &vvtd_boot_unit.rid[i];
	struct vsva_guest *vg = vvtd_boot_unit.cfg.vsva;
	uint16_t sid = vvtd_boot_unit.cfg.sid[i];
	int m = vsva_rid_mode(vg, VSVA_DEVICE(vvtd_boot_unit.cfg.seg, sid >> 8, sid & 0xff));
	unsigned int pm = m < 0 ? VSVA_RID_PLATFORM : (unsigned int)m; /* never attached */

	vvtd_boot_rid_changes++;
	if (vvtd_boot_rid_changes <= 2 * VVTD_BOOT_LOG_MAX) {
		if (g->mode == VVTD_RID_FL)
			log_info("RID_PASID of device " SID_FMT ": guest first-level (FL table GPA "
				 "0x%llx, %u levels, guest DID %u) -> physical %s",
				 SID_ARGS(sid), (unsigned long long)g->flptr, g->levels, g->gdid,
				 pm < ARRAY_SIZE(phys) ? phys[pm] : "?");
		else
			log_info("RID_PASID of device " SID_FMT ": guest %s -> physical %s",
				 SID_ARGS(sid), g->mode < ARRAY_SIZE(guest) ? guest[g->mode] : "?",
				 pm < ARRAY_SIZE(phys) ? phys[pm] : "?");
	}
	vvtd_boot_rid_failed += vsva_boot_confirm_rid(vg, vvtd_boot_plat, sid);
}

/* Shadows the last access installed or removed: one log line each. */
static void log_shadows(void)
{
	for (unsigned int i = 0; i < VVTD_MAX_SHADOWS; i++) {
		const struct vvtd_shadow *s = &vvtd_boot_unit.sh[i];

		if (s->used == vvtd_boot_logged[i])
			continue;
		vvtd_boot_logged[i] = s->used;
		if (s->used)
			log_info("PASID-cache invalidation: guest PASID entry of device " SID_FMT
				 " PASID %#x (FL table GPA 0x%llx, %u levels, guest DID %u) "
				 "installed through vSVA as a nested physical entry",
				 SID_ARGS(s->sid), s->gpasid, (unsigned long long)s->flptr,
				 s->levels, s->gdid);
		else
			log_info("shadow slot %u removed (vsva_unbind)", i);
	}
}

/*
 * Drain the physical units into the unit (hv/vvtd_poll.h, hv/vsva_prq.h): every fault
 * record (iommu_platform_poll_faults(), VT-d §7.2.1) and every page request
 * (iommu_platform_poll_prq(), §7.5.1). With the unit's lock held: the routers, the
 * unit and the physical units' queues are used by one CPU at a time. Events it raises
 * are made pending (vvtd_boot_event()); the caller injects them.
 */
static void vvtd_boot_poll(void)
{
	if (!vvtd_boot_plat)
		return;
	iommu_platform_poll_faults(vvtd_boot_plat, vvtd_poll_fault, &vvtd_boot_faults);
	if (vvtd_boot_router)
		vvtd_boot_page_requests += (uint64_t)iommu_platform_poll_prq(
			vvtd_boot_plat, vsva_prq_route, vvtd_boot_router);
}

uint64_t vvtd_boot_poll_period_us(void)
{
	return vvtd_boot_on ? VVTD_BOOT_POLL_US : 0;
}

void vvtd_boot_timer_exit(struct vcpu *v)
{
	uint64_t t0 = rdtsc();

	__atomic_fetch_add(&vvtd_boot_timer_exits, 1, __ATOMIC_RELAXED); /* any vCPU */
	if (vvtd_boot_on && !__atomic_test_and_set(&vvtd_boot_lock, __ATOMIC_ACQUIRE)) {
		vvtd_boot_cpu = v->cpu;
		vinject_vmx_register(v);
		vvtd_boot_poll();
		__atomic_clear(&vvtd_boot_lock, __ATOMIC_RELEASE);
	} else {
		/* another vCPU is in the unit: it polls */
		__atomic_fetch_add(&vvtd_boot_timer_skipped, 1, __ATOMIC_RELAXED);
	}
	vmx_preemption_timer_rearm();
	vinject_vmx_sync(v); /* an event the poll raised: injected, or an interrupt window */
	t0 = rdtsc() - t0;
	__atomic_fetch_add(&vvtd_boot_timer_ticks, t0, __ATOMIC_RELAXED);
	if (t0 < vvtd_boot_timer_min)
		vvtd_boot_timer_min = t0; /* a figure: a lost update between vCPUs is harmless */
}

bool vvtd_boot_ept_violation(struct guest_regs *r, struct vcpu *v, gpa_t gpa, uint64_t qual)
{
	struct mmio_cpu_mode mode;
	struct mmio_insn in;
	uint8_t b[MMIO_INSN_MAX];
	uint64_t rip = vmcs_read(GUEST_RIP), val = 0, iqe0, sh0, ii;
	uint32_t tes0;
	uint8_t rid0[VVTD_MAX_DEVICES];
	unsigned int n;
	int ret;

	if (!vvtd_boot_on || gpa < VVTD_BOOT_REG_GPA || gpa >= VVTD_BOOT_REG_GPA + PAGE_SIZE)
		return false;
	cpu_mode(&mode);
	n = mmio_fetch(&v->vm->map, &mode, rip, b, MMIO_INSN_MAX);
	ret = mmio_decode(b, n, &mode, &in);
	if (!ret && in.write != ((qual & BIT(1)) != 0))
		ret = -EINVAL, in.why = "direction differs from the exit qualification";
	if (ret) {
		if (++vvtd_boot_rejected <= VVTD_BOOT_LOG_MAX) /* guest-driven: rate-limited */
			log_warn(
				"access to register 0x%llx at RIP 0x%llx: %s (%d, %u bytes fetched): "
				"#GP injected",
				(unsigned long long)(gpa - VVTD_BOOT_REG_GPA),
				(unsigned long long)rip,
				ret == -EFAULT ? "instruction not fetchable" : in.why, ret, n);
		vmx_inject_exception(VEC_GP, true, 0);
		return true;
	}
	if (in.write)
		val = in.has_imm ? in.imm : reg_read(r, in.reg);
	if (in.size == 4)
		val &= 0xffffffffull;
	while (__atomic_test_and_set(&vvtd_boot_lock, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	iqe0 = vvtd_boot_unit.cnt.iqe;
	sh0 = vvtd_boot_unit.cnt.binds + vvtd_boot_unit.cnt.unbinds;
	vvtd_boot_cpu = v->cpu;
	vinject_vmx_register(v); /* the sender is a destination even before its first sync */
	tes0 = vvtd_boot_unit.gsts & VTD_GSTS_TES;
	for (unsigned int i = 0; i < vvtd_boot_unit.cfg.nr_sids; i++)
		rid0[i] = vvtd_boot_unit.rid[i].mode;
	ret = vvtd_mmio(&vvtd_boot_unit, gpa - VVTD_BOOT_REG_GPA, in.size, in.write, &val);
	if (in.write && gpa - VVTD_BOOT_REG_GPA == VTD_REG_IQT)
		vvtd_boot_iqt_writes++;
	if ((vvtd_boot_unit.gsts & VTD_GSTS_TES) != tes0)
		te_edge(!tes0);
	if (vvtd_boot_unit.cnt.binds + vvtd_boot_unit.cnt.unbinds != sh0)
		log_shadows();
	for (unsigned int i = 0; i < vvtd_boot_unit.cfg.nr_sids; i++)
		if (vvtd_boot_unit.rid[i].mode != rid0[i])
			rid_changed(i);
	/* The timer polls every VVTD_BOOT_POLL_US; only without it does a register access
	 * (a VM exit of its own) pay for reading the physical units' fault and page
	 * request queues. */
	if (!vmx_preemption_timer_on()) {
		vvtd_boot_poll();
		vvtd_boot_mmio_polls++;
	}
	if (vvtd_boot_unit.cnt.iqe != iqe0 && vvtd_boot_unit.cnt.iqe <= VVTD_BOOT_LOG_MAX)
		log_info("invalidation queue error: FSTS.IQE set, IQH 0x%llx (descriptor %llu)",
			 (unsigned long long)vvtd_boot_unit.iqh,
			 (unsigned long long)(vvtd_boot_unit.iqh >>
					      ((vvtd_boot_unit.iqa & BIT(11)) ? 5 : 4)));
	__atomic_clear(&vvtd_boot_lock, __ATOMIC_RELEASE);
	if (!in.write)
		reg_write(r, in.reg, val); /* 32-bit loads zero-extend (SDM Vol. 1 3.4.1.1) */
	if (++vvtd_boot_accesses <= VVTD_BOOT_LOG_MAX)
		log_info("mmio: %s of %u bytes at register 0x%03llx = 0x%llx (RIP 0x%llx, %u-byte "
			 "instruction decoded)%s",
			 in.write ? "write" : "read", in.size,
			 (unsigned long long)(gpa - VVTD_BOOT_REG_GPA), (unsigned long long)val,
			 (unsigned long long)rip, in.len, ret ? ": ignored (size/alignment)" : "");
	vmcs_write(GUEST_RIP, rip + in.len);
	/* The emulated instruction retired: STI / MOV-SS blocking ends with it (SDM Vol. 3C
	 * 25.4.2, Table 25-3). */
	ii = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	if (ii & (VINJECT_BLOCK_STI | VINJECT_BLOCK_MOVSS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   ii & ~(uint64_t)(VINJECT_BLOCK_STI | VINJECT_BLOCK_MOVSS));
	vinject_vmx_sync(v); /* an event the access raised, once RIP is past it */
	return true;
}

/* "TES QIES RTPS ..." for the GSTS bits a guest driver sets (VT-d §11.4.4.2). */
static void gsts_names(uint32_t gsts, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = { { VTD_GSTS_TES, "TES" },	  { VTD_GSTS_RTPS, "RTPS" },
		     { VTD_GSTS_FLS, "FLS" },	  { VTD_GSTS_WBFS, "WBFS" },
		     { VTD_GSTS_QIES, "QIES" },	  { VTD_GSTS_IRES, "IRES" },
		     { VTD_GSTS_IRTPS, "IRTPS" }, { VTD_GSTS_CFIS, "CFIS" } };
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(bits) && n < len; i++)
		if (gsts & bits[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", bits[i].name);
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* The poll's figures: timer exits per second of TSC time, their cost, what was routed. */
static void vvtd_boot_poll_report(void)
{
	const struct vvtd_poll_counters *f = &vvtd_boot_faults.cnt;
	const struct vvtd_counters *c = &vvtd_boot_unit.cnt;
	uint64_t dt = rdtsc() - vvtd_boot_tsc0, khz = tsc_khz(), ms = dt / khz;
	uint64_t n = vvtd_boot_timer_exits;

	/* The timer counts in VMX non-root operation only (SDM Vol. 3C 25.5.1): time spent
	 * in the hypervisor adds none, so the rate per TSC second is at most 1/period. */
	log_info("guest end: poll: %llu VMX-preemption timer exits in %llu ms of TSC time: "
		 "%llu per second; hypervisor TSC ticks per timer exit: mean %llu, min %llu",
		 (unsigned long long)n, (unsigned long long)ms,
		 (unsigned long long)(ms ? n * 1000 / ms : 0),
		 (unsigned long long)(n ? vvtd_boot_timer_ticks / n : 0),
		 (unsigned long long)(n ? vvtd_boot_timer_min : 0));
	log_info("guest end: poll: %llu skipped (lock held), %llu polls on vIOMMU exits "
		 "(only without the timer)",
		 (unsigned long long)vvtd_boot_timer_skipped,
		 (unsigned long long)vvtd_boot_mmio_polls);
	log_info("guest end: poll: %llu physical faults: %llu delivered, %llu dropped (guest log "
		 "full), not delivered: %llu foreign PASID, %llu device not in scope, %llu "
		 "translation off",
		 (unsigned long long)f->faults, (unsigned long long)f->delivered,
		 (unsigned long long)f->overflow, (unsigned long long)f->foreign,
		 (unsigned long long)f->unowned, (unsigned long long)f->untranslated);
	log_info("guest end: poll: %llu page requests routed, %llu written to the guest's queue, "
		 "%llu events, %llu guest responses forwarded",
		 (unsigned long long)vvtd_boot_page_requests, (unsigned long long)c->prq_requests,
		 (unsigned long long)vvtd_boot_events[VVTD_EV_PRQ],
		 (unsigned long long)c->prq_responses);
}

void vvtd_boot_guest_end(void)
{
	const struct vvtd *u = &vvtd_boot_unit;
	const struct vvtd_counters *c = &u->cnt;
	uint64_t rt = u->rtaddr_active;
	char st[64];

	if (!vvtd_boot_on || vvtd_boot_ended)
		return;
	vvtd_boot_ended = true;
	gsts_names(u->gsts, st, sizeof(st));
	log_info("guest end: GSTS 0x%08x (%s), root table GPA 0x%llx in %s mode (RTADDR.TTM "
		 "%llu), invalidation queue GPA 0x%llx (%llu KiB, %u-bit descriptors), FSTS 0x%x",
		 u->gsts, st, (unsigned long long)(rt & VTD_RTADDR_RTA),
		 (rt & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_SCALABLE ? "scalable" :
		 (rt & VTD_GENMASK(11, 10)) == VTD_RTADDR_TTM_LEGACY   ? "legacy" :
									 "reserved",
		 (unsigned long long)((rt >> VTD_RTADDR_TTM_SHIFT) & 3),
		 (unsigned long long)(u->iqa & VTD_IQA_IQA), 4ull << (u->iqa & 7),
		 (u->iqa & VTD_IQA_DW) ? 256 : 128, u->fsts);
	log_info(
		"guest end: %llu register accesses (%llu reads, %llu writes, %llu ignored, "
		"%llu refused), %llu IQT writes = %llu VM exits for %llu descriptors (%llu waits), "
		"%llu IQE, %llu faults recorded",
		(unsigned long long)vvtd_boot_accesses, (unsigned long long)c->mmio_reads,
		(unsigned long long)c->mmio_writes, (unsigned long long)c->mmio_ignored,
		(unsigned long long)vvtd_boot_rejected, (unsigned long long)vvtd_boot_iqt_writes,
		(unsigned long long)vvtd_boot_iqt_writes, (unsigned long long)c->descriptors,
		(unsigned long long)c->waits, (unsigned long long)c->iqe,
		(unsigned long long)c->faults_recorded);
	log_info("guest end: %llu PASID entries shadowed (%llu removed, %llu refused, %llu of a "
		 "kind not offered), %llu invalidation batches of %llu requests forwarded, events: "
		 "%llu fault, %llu invalidation completion",
		 (unsigned long long)c->binds, (unsigned long long)c->unbinds,
		 (unsigned long long)c->shadow_errors, (unsigned long long)c->unsupported_entries,
		 (unsigned long long)c->inv_batches, (unsigned long long)c->inv_requests,
		 (unsigned long long)vvtd_boot_events[VVTD_EV_FAULT],
		 (unsigned long long)vvtd_boot_events[VVTD_EV_INV]);
	vvtd_boot_poll_report();
}

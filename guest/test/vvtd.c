// SPDX-License-Identifier: MIT
/*
 * The test guest's virtual VT-d checks (guest/test/vvtd.h): ACPI RSDP -> XSDT -> DMAR ->
 * DRHD register base, then the unit driven through real MMIO (each access an EPT
 * violation the hypervisor decodes and emulates, hv/vvtd_boot.h) the way Linux's
 * intel-iommu brings up a scalable-mode unit. tests/bochs/test-vvtd.sh boots it under
 * build/hv-model.elf with vvtd=on. Guest paging is the identity map of entry.asm, so a
 * pointer to this image's .bss is its GPA.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest/include/vsva_hv.h"
#include "guest/test/lib.h"
#include "guest/test/vvtd.h"
#include "iommu/vtd_regs.h"

#define SID_A	   ((0 << 8) | (3 << 3)) /* 00:03.0: hv/model/model_platform.h DEV_A */
#define SID_B	   ((0 << 8) | (4 << 3)) /* 00:04.0: hv/model/model_platform.h DEV_B */
#define GPASID	   0x123u		 /* RID-local guest PASID (15-bit space) */
#define GDID	   9u			 /* the guest's domain ID in its PASID entry */
#define GVA	   0x40000000ull	 /* what the FL table maps */
#define FLF	   0x7ull		 /* P, R/W, U/S */
#define QDESC	   32u			 /* bytes per descriptor (IQA.DW = 1) */
#define QSIZE	   4096u
#define BENCH_N	   100u
#define IRQ_VEC	   0x51u /* vector of the unit's invalidation completion event */
#define REG_IEDATA 0xa4u
#define REG_IEADDR 0xa8u
#define EXIT_EPTV  48u		  /* EPT violation (SDM Vol. 3D Appendix C) */
#define EXIT_TIMER 52u		  /* VMX-preemption timer expired */
#define GPASID_A   0x2a5u	  /* device 00:03.0's guest PASID (RID-local) */
#define GVA_HOLE   (GVA + 0x3000) /* not mapped by the FL table: the device faults */
#define GVA_PRQ	   (GVA + 0x5000) /* the page the device asks for */
#define PRGI	   0x5au	  /* its page request group */
#define FAULT_VEC  0x52u	  /* the unit's fault event */
#define PRQ_VEC	   0x53u	  /* the unit's page request event */
#define WAIT_TICKS 40000000ull	  /* TSC ticks to wait for an event */

static void check(bool ok, const char *what)
{
	tap_check("vvtd: ", ok, what);
}

static void check_eq_i(int64_t got, int64_t want, const char *what)
{
	tap_check_eq("vvtd: ", got, want, what);
}

static bool sig_is(const void *p, const char *sig, unsigned int n)
{
	const char *a = p;

	for (unsigned int i = 0; i < n; i++)
		if (a[i] != sig[i])
			return false;
	return true;
}

static bool sum_ok(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (uint32_t i = 0; i < len; i++)
		s += b[i];
	return s == 0;
}

static uint32_t rd32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t rd64(const void *p)
{
	return rd32(p) | (uint64_t)rd32((const uint8_t *)p + 4) << 32;
}

/* ---- MMIO: plain MOVs, the forms hv/mmio_decode.c accepts ------------------------- */
static uint64_t reg_base;

static uint32_t mr32(uint32_t off)
{
	uint32_t v;

	__asm__ volatile("movl %1, %0" : "=r"(v) : "m"(*(volatile uint32_t *)(reg_base + off)));
	return v;
}

static uint64_t mr64(uint32_t off)
{
	uint64_t v;

	__asm__ volatile("movq %1, %0" : "=r"(v) : "m"(*(volatile uint64_t *)(reg_base + off)));
	return v;
}

static void mw32(uint32_t off, uint32_t v)
{
	__asm__ volatile("movl %1, %0" : "=m"(*(volatile uint32_t *)(reg_base + off)) : "r"(v));
}

static void mw64(uint32_t off, uint64_t v)
{
	__asm__ volatile("movq %1, %0" : "=m"(*(volatile uint64_t *)(reg_base + off)) : "r"(v));
}

/* ---- the guest's VT-d structures (its own RAM) ------------------------------------ */
static struct {
	uint64_t queue[QSIZE / 8];
	uint64_t root[512];
	uint64_t ctx[512];
	uint64_t pdir[512];
	uint64_t ptbl[512];
	uint64_t fl[4][512];
	uint64_t data[512];
	uint64_t pdir_a[512]; /* device 00:03.0's PASID directory and table */
	uint64_t ptbl_a[512];
	volatile uint64_t prq[512]; /* the page request queue (PQS 0: 4 KiB) */
	volatile uint32_t status[1024];
} mem __attribute__((aligned(4096)));
static uint64_t tail;
static uint32_t seq;

static uint64_t gpa(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p; /* identity paging (entry.asm) */
}

static void put(uint64_t q0, uint64_t q1)
{
	uint64_t *d = &mem.queue[tail / 8];

	d[0] = q0, d[1] = q1, d[2] = 0, d[3] = 0;
	tail = (tail + QDESC) % QSIZE;
}

/* A wait descriptor with status write (VT-d 6.5.2.8), IQT rung; true when it arrived. */
static bool submit_wait(void)
{
	mem.status[0] = 0;
	put(VTD_QI_TYPE_WAIT | VTD_BIT(5) | ((uint64_t)++seq << 32), gpa(&mem.status[0]));
	mw64(VTD_REG_IQT, tail);
	return mem.status[0] == seq;
}

static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int64_t ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			 : "memory");
	return ret;
}

/* VM exits of basic reason @reason so far (VSVA_HC_STATISTICS). */
static uint64_t exits_of(unsigned int reason)
{
	static struct vsva_statistics st __attribute__((aligned(8)));

	zero(&st, sizeof(st));
	st.size = sizeof(st);
	return vmcall(VSVA_HC_STATISTICS, gpa(&st), 0, 0, 0) ? 0 : st.exits[reason];
}

static uint64_t exits_eptv(void)
{
	return exits_of(EXIT_EPTV);
}

/* ---- the unit's interrupt (VT-d 7.3.2): an IDT gate for IRQ_VEC that counts ---------- */
static volatile uint32_t irq_count __attribute__((used)), irq_other __attribute__((used));
static volatile uint32_t irq_fault __attribute__((used)), irq_prq __attribute__((used));
static struct {
	uint64_t lo, hi;
} idt[256] __attribute__((aligned(16)));
struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
extern char vvtd_irq_stub[], vvtd_other_stub[], vvtd_fault_stub[], vvtd_prq_stub[];
__asm__(".text\n.globl vvtd_irq_stub\nvvtd_irq_stub:\n\tlock incl irq_count(%rip)\n\tiretq\n"
	".globl vvtd_other_stub\nvvtd_other_stub:\n\tlock incl irq_other(%rip)\n\tiretq\n"
	".globl vvtd_fault_stub\nvvtd_fault_stub:\n\tlock incl irq_fault(%rip)\n\tiretq\n"
	".globl vvtd_prq_stub\nvvtd_prq_stub:\n\tlock incl irq_prq(%rip)\n\tiretq\n");

static void gate(unsigned int vec, uint64_t h, uint16_t cs)
{
	idt[vec].lo = (h & 0xffff) | ((uint64_t)cs << 16) | (0x8eull << 40) |
		      (((h >> 16) & 0xffff) << 48); /* present, DPL 0, 64-bit interrupt gate */
	idt[vec].hi = h >> 32;
}

/* A wait descriptor with IF = 1 and a status write. With @guest_if, IQT is written with
 * RFLAGS.IF = 1 for that one instruction (sti's shadow covers it; the hypervisor ends it
 * with the access), else with interrupts off. */
static void submit_wait_if_as(bool guest_if)
{
	mem.status[2] = 0;
	put(VTD_QI_TYPE_WAIT | VTD_BIT(4) | VTD_BIT(5) | ((uint64_t)++seq << 32),
	    gpa(&mem.status[2]));
	if (guest_if)
		__asm__ volatile("sti; movq %1, %0; cli"
				 : "=m"(*(volatile uint64_t *)(reg_base + VTD_REG_IQT))
				 : "r"(tail)
				 : "memory");
	else
		*(volatile uint64_t *)(reg_base + VTD_REG_IQT) = tail;
}

static void submit_wait_if(void)
{
	submit_wait_if_as(true);
}

static void irq_checks(void)
{
	uint64_t h = (uint64_t)(uintptr_t)vvtd_irq_stub;
	struct dtr old, cur;
	uint32_t a, b, c, d;
	uint16_t cs;

	__asm__ volatile("sidt %0" : "=m"(old));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	/* Every vector gets a gate: the platform's own interrupts, pending while the guest
	 * ran with IF = 0, arrive too once IF is 1 (counted apart); the BIOS's 8259 sends
	 * the timer as vector 8. */
	for (unsigned int i = 0; i < 256; i++)
		gate(i, (uint64_t)(uintptr_t)vvtd_other_stub, cs);
	gate(IRQ_VEC, h, cs);
	cur.limit = sizeof(idt) - 1;
	cur.base = gpa(idt);
	__asm__ volatile("lidt %0" : : "m"(cur) : "memory"); /* it reads idt[] */

	mw32(REG_IEADDR, 0xfee00000u | ((b >> 24) << 12)); /* physical, this CPU's APIC ID */
	mw32(REG_IEDATA, IRQ_VEC);			   /* fixed, edge */
	mw32(VTD_REG_ICS, VTD_ICS_IWC);
	mw32(VTD_REG_IECTL, 0);
	irq_count = 0;
	submit_wait_if();
	check(mem.status[2] == seq, "wait with IF=1: status written");
	check(irq_count == 1, "invalidation completion event arrives as MSI vector 0x51 "
			      "(IECTL unmasked, guest IF=1)");
	check(mr32(VTD_REG_ICS) & VTD_ICS_IWC, "ICS.IWC set by the wait");
	mw32(VTD_REG_ICS, VTD_ICS_IWC);
	mw32(VTD_REG_IECTL, VTD_FECTL_IM);
	submit_wait_if();
	check(irq_count == 1, "masked (IECTL.IM=1): no interrupt");
	check(mr32(VTD_REG_IECTL) & VTD_FECTL_IP, "masked: IECTL.IP set");
	__asm__ volatile("sti; movl %1, %0; cli"
			 : "=m"(*(volatile uint32_t *)(reg_base + VTD_REG_IECTL))
			 : "r"(0u)
			 : "memory");
	check(irq_count == 2, "unmasking with IECTL.IP set delivers the held interrupt");
	check(!(mr32(VTD_REG_IECTL) & VTD_FECTL_IP), "IECTL.IP clear after delivery");
	/* With IF=0 the event waits; the hypervisor asks for an interrupt window and
	 * injects it once the guest's STI (and its one-instruction shadow) has passed. */
	mw32(VTD_REG_ICS, VTD_ICS_IWC);
	submit_wait_if_as(false);
	check(irq_count == 2, "event raised with guest IF=0 waits (no interrupt yet)");
	__asm__ volatile("sti; nop; cli" ::: "memory");
	check(irq_count == 3, "event raised with guest IF=0 is delivered at STI");
	mw32(VTD_REG_ICS, VTD_ICS_IWC);
	mw32(VTD_REG_IECTL, VTD_FECTL_IM);
	__asm__ volatile("lidt %0" : : "m"(old) : "memory");
	puts_serial("# guest: vvtd: other interrupts taken while IF was 1: ");
	put_u64(irq_other);
	puts_serial("\n");
}

/* RSDP -> XSDT -> DMAR -> the first DRHD's base; 0 when anything is missing. */
static uint64_t find_unit(uint64_t rsdp_gpa, unsigned int *scopes)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)rsdp_gpa, *x, *d;
	uint32_t xlen, dlen;

	check(sig_is(rsdp, "RSD PTR ", 8) && sum_ok(rsdp, 20) && rsdp[15] >= 2 &&
		      sum_ok(rsdp, rd32(rsdp + 20)),
	      "RSDP from the boot data: signature, revision 2, both checksums");
	x = (const uint8_t *)(uintptr_t)rd64(rsdp + 24);
	xlen = rd32(x + 4);
	check(sig_is(x, "XSDT", 4) && xlen >= 44 && sum_ok(x, xlen), "XSDT valid");
	for (uint32_t off = 36; off + 8 <= xlen; off += 8) {
		d = (const uint8_t *)(uintptr_t)rd64(x + off);
		if (!sig_is(d, "DMAR", 4))
			continue;
		dlen = rd32(d + 4);
		check(dlen >= 64 && sum_ok(d, dlen), "DMAR listed in the XSDT, checksum right");
		check(d[48] == 0 && d[49] == 0, "DMAR's first structure is a DRHD");
		*scopes = (unsigned int)(((d[50] | d[51] << 8) - 16) / 8);
		puts_serial("# guest: vvtd: DRHD register base ");
		put_hex(rd64(d + 56));
		puts_serial(", ");
		put_u64(*scopes);
		puts_serial(" device scopes\n");
		return rd64(d + 56);
	}
	check(false, "DMAR listed in the XSDT");
	return 0;
}

/* The scalable-mode root table: bus 0 -> context table; 00:04.0 -> the PASID dir. */
static void tables(void)
{
	uint64_t *ce = &mem.ctx[(SID_B & 0x7f) * 4];

	zero(&mem, sizeof(mem) - sizeof(mem.status));
	mem.root[0] = gpa(mem.ctx) | VTD_RE_P;
	ce[0] = gpa(mem.pdir) | VTD_SCE_0_P | VTD_SCE_0_PASIDE; /* PDTS 0: 128 entries */
	mem.pdir[GPASID >> 6] = gpa(mem.ptbl) | VTD_PDE_P;
	/* FL: GVA 0x40000000 -> data page, 4 levels */
	mem.fl[0][0] = gpa(mem.fl[1]) | FLF;
	mem.fl[1][GVA >> 30] = gpa(mem.fl[2]) | FLF;
	mem.fl[2][0] = gpa(mem.fl[3]) | FLF;
	mem.fl[3][0] = gpa(mem.data) | FLF;
	mem.data[0] = 0x5641564456545644ull;
}

static void bench(void)
{
	uint64_t t0, t1, e0, e1, t32;

	t0 = rdtsc();
	for (unsigned int i = 0; i < BENCH_N; i++)
		(void)mr32(VTD_REG_VER);
	t1 = rdtsc();
	puts_serial("# guest: bench: vvtd register read ");
	put_u64((t1 - t0) / BENCH_N);
	puts_serial(" TSC ticks per access (mean of ");
	put_u64(BENCH_N);
	puts_serial(")\n");
	e0 = exits_eptv();
	t0 = rdtsc();
	submit_wait();
	t1 = rdtsc();
	e1 = exits_eptv();
	puts_serial("# guest: bench: vvtd IQT write of 1 descriptor ");
	put_u64(t1 - t0);
	puts_serial(" TSC ticks, ");
	put_u64(e1 - e0);
	puts_serial(" VM exits\n");
	for (unsigned int i = 0; i < 31; i++)
		put(VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL), 0);
	e0 = exits_eptv();
	t0 = rdtsc();
	submit_wait();
	t32 = rdtsc() - t0;
	e1 = exits_eptv();
	puts_serial("# guest: bench: vvtd IQT write of 32 descriptors ");
	put_u64(t32);
	puts_serial(" TSC ticks, ");
	put_u64(e1 - e0);
	puts_serial(" VM exits\n");
	check(e1 - e0 == 1, "an IQT write of 32 descriptors is one VM exit");
}

/* ---- the platform's test device 00:03.0: a fault and a page request, live ----------- */

/* VSVA_HC_PLATFORM_TEST: device 00:03.0 with guest PASID GPASID_A at @gva. */
static int64_t device_op(uint32_t ops, uint64_t gva)
{
	return vmcall(VSVA_HC_PLATFORM_TEST, ops, VSVA_DEVICE(0, 0, SID_A), GPASID_A, gva);
}

/* With RFLAGS.IF = 1 until *@count reaches @want or WAIT_TICKS pass: true when it did.
 * No access to the unit meanwhile: only a VMX-preemption timer exit can bring it. */
static bool wait_irq(volatile uint32_t *count, uint32_t want, uint64_t *ticks)
{
	uint64_t t0 = rdtsc();

	__asm__ volatile("sti" ::: "memory");
	while (*count < want && rdtsc() - t0 < WAIT_TICKS)
		__asm__ volatile("pause" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
	*ticks = rdtsc() - t0;
	return *count >= want;
}

static void bench_wait(const char *what, uint64_t ticks, uint64_t timer_exits)
{
	puts_serial("# guest: bench: vvtd ");
	puts_serial(what);
	puts_serial(" reached the guest after ");
	put_u64(ticks);
	puts_serial(" TSC ticks, ");
	put_u64(timer_exits);
	puts_serial(" VMX-preemption timer exits\n");
}

/* Device 00:03.0: a scalable-mode context entry and its own PASID table, GPASID_A over
 * the same FL table as device 00:04.0, installed through the unit (context-cache and
 * PASID-cache invalidation: caching mode, so not-present -> present is invalidated). */
static bool device_a_bind(void)
{
	uint64_t *ce = &mem.ctx[(SID_A & 0x7f) * 4], *pe;

	mem.pdir_a[GPASID_A >> 6] = gpa(mem.ptbl_a) | VTD_PDE_P;
	pe = &mem.ptbl_a[(GPASID_A & 63) * 8];
	pe[1] = GDID;
	pe[2] = gpa(mem.fl[0]);
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	ce[0] = gpa(mem.pdir_a) | VTD_SCE_0_P | VTD_SCE_0_PASIDE | VTD_SCE_0_PRE;
	put(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL), 0);
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(GPASID_A), 0);
	return submit_wait();
}

static void device_checks(uint64_t cap, uint64_t ecap)
{
	uint32_t fro = (uint32_t)VTD_CAP_FRO(cap), a, b, c, d, fsts, fri;
	uint64_t lo, hi, ticks, t0, hole = GVA_HOLE + 0x18, d0, d1;
	struct dtr old, cur;
	int64_t reason, ret;
	uint16_t cs;

	if (!(ecap & VTD_ECAP_PRS)) {
		check(false, "ECAP.PRS: page requests offered (the model's unit has them)");
		return;
	}
	check(true, "ECAP.PRS: page requests offered (the model's unit has them)");
	check(device_a_bind(), "device 00:03.0: context entry and PASID 0x2a5 entry invalidated");
	check(!(mr32(VTD_REG_FSTS) & VTD_FSTS_IQE),
	      "no queue error after device 00:03.0's entries");
	check_eq_i(vmcall(VSVA_HC_PLATFORM_TEST, VSVA_TEST_DMA_READ | (1ull << 40),
			  VSVA_DEVICE(0, 0, SID_A), GPASID_A, GVA),
		   -VSVA_EINVAL, "test device: reserved operation bits give -EINVAL");
	check_eq_i(vmcall(VSVA_HC_PLATFORM_TEST, VSVA_TEST_DMA_READ, VSVA_DEVICE(0, 0, SID_A),
			  GPASID_A + 1, GVA),
		   -VSVA_ENOENT, "test device: a PASID not bound on the device gives -ENOENT");
	mem.data[1] = 0;
	ret = device_op(VSVA_TEST_DMA_WRITE, GVA + 8);
	check_eq_i(ret, 0, "test device: DMA write to GVA 0x40000008 with PASID 0x2a5 translates");
	check(mem.data[1] == VSVA_TEST_PATTERN,
	      "the DMA write landed in the guest's page (GVA -> GPA nested walk)");

	/* The unit's interrupts: fault event and page request event, this CPU, fixed. */
	__asm__ volatile("sidt %0" : "=m"(old));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	for (unsigned int i = 0; i < 256; i++)
		gate(i, (uint64_t)(uintptr_t)vvtd_other_stub, cs);
	gate(FAULT_VEC, (uint64_t)(uintptr_t)vvtd_fault_stub, cs);
	gate(PRQ_VEC, (uint64_t)(uintptr_t)vvtd_prq_stub, cs);
	cur.limit = sizeof(idt) - 1;
	cur.base = gpa(idt);
	__asm__ volatile("lidt %0" : : "m"(cur) : "memory");
	mw32(VTD_REG_FEADDR, 0xfee00000u | ((b >> 24) << 12));
	mw32(VTD_REG_FEDATA, FAULT_VEC);
	mw32(VTD_REG_FECTL, 0);
	mw64(VTD_REG_PQH, 0);
	mw64(VTD_REG_PQT, 0);
	mw64(VTD_REG_PQA, gpa(mem.prq)); /* PQS 0: 128 descriptors */
	mw32(VTD_REG_PEADDR, 0xfee00000u | ((b >> 24) << 12));
	mw32(VTD_REG_PEDATA, PRQ_VEC);
	mw32(VTD_REG_PECTL, 0);

	/* (a) a DMA to a GVA the guest's FL table does not map */
	irq_fault = 0;
	reason = device_op(VSVA_TEST_DMA_READ, hole);
	check(reason > 0, "test device: DMA read of an unmapped GVA faults (reason > 0)");
	puts_serial("# guest: vvtd: the physical unit recorded fault reason ");
	put_hex((uint64_t)reason);
	puts_serial("\n");
	t0 = exits_of(EXIT_TIMER);
	d0 = exits_eptv();
	check(wait_irq(&irq_fault, 1, &ticks), "fault event MSI (FEDATA vector 0x52) arrives");
	d1 = exits_eptv();
	t0 = exits_of(EXIT_TIMER) - t0;
	bench_wait("fault event", ticks, t0);
	check(t0 >= 1 && d1 == d0,
	      "it came with a VMX-preemption timer exit (no access to the unit meanwhile)");
	fsts = mr32(VTD_REG_FSTS);
	check(fsts & VTD_FSTS_PPF, "FSTS.PPF set");
	/* A driver reads from FSTS.FRI, the first pending record (VT-d §11.4.9.1; Linux's
	 * dmar_fault() stops at a record with F clear). */
	fri = (uint32_t)VTD_FSTS_FRI(fsts);
	lo = mr64(fro + fri * VTD_FRCD_LEN);
	hi = mr64(fro + fri * VTD_FRCD_LEN + 8);
	check(hi & VTD_FRCD_HI_F, "FRCD[FRI].F set");
	check(VTD_FRCD_HI_SID(hi) == SID_A, "FRCD: source ID 00:03.0");
	check((hi & VTD_FRCD_HI_PP) && VTD_FRCD_HI_PV(hi) == GPASID_A,
	      "FRCD: PASID present, the guest's own PASID 0x2a5");
	check(lo == (hole & ~0xfffull), "FRCD: fault info = the GVA's page");
	check((int64_t)VTD_FRCD_HI_FR(hi) == reason, "FRCD: fault reason as the physical unit's");
	check(hi & VTD_FRCD_HI_T, "FRCD: T = 1 (a read request)");
	mw32(fro + fri * VTD_FRCD_LEN + 12, VTD_FRCD_F32);
	check(!(mr64(fro + fri * VTD_FRCD_LEN + 8) & VTD_FRCD_HI_F), "FRCD.F cleared by writing 1");
	check(!(mr32(VTD_REG_FSTS) & VTD_FSTS_PPF), "FSTS.PPF clear once no record is pending");

	/* (b) a page request with LPIG, then the guest's page group response */
	irq_prq = 0;
	ret = device_op(VSVA_TEST_PAGE_REQ | VSVA_TEST_LPIG | VSVA_TEST_WRITE |
				VSVA_TEST_PRGI(PRGI),
			GVA_PRQ);
	check_eq_i(ret, 0,
		   "test device: page request (LPIG, PRGI 0x5a) queued on the physical unit");
	t0 = exits_of(EXIT_TIMER);
	check(wait_irq(&irq_prq, 1, &ticks), "page request event MSI (PEDATA vector 0x53) arrives");
	t0 = exits_of(EXIT_TIMER) - t0;
	bench_wait("page request event", ticks, t0);
	check(mr32(VTD_REG_PRS) & VTD_PRS_PPR, "PRS.PPR set");
	check(mr64(VTD_REG_PQT) == VTD_PRQ_DESC_LEN, "PQT moved by one descriptor");
	d0 = mem.prq[0];
	d1 = mem.prq[1];
	check(VTD_PRQ_TYPE(d0) == VTD_PRQ_TYPE_PAGE_REQ && VTD_PRQ_0_RID(d0) == SID_A,
	      "descriptor at PQA: page request of 00:03.0");
	check((d0 & VTD_PRQ_0_PP) && VTD_PRQ_0_PASID(d0) == GPASID_A,
	      "descriptor: PASID present, the guest's own PASID 0x2a5");
	check((d1 & VTD_PRQ_1_ADDR) == GVA_PRQ, "descriptor: the page's address (GVA)");
	check(VTD_PRQ_1_PRGI(d1) == PRGI && (d1 & VTD_PRQ_1_LPIG) && (d1 & VTD_PRQ_1_WR),
	      "descriptor: PRGI 0x5a, LPIG, write requested");
	mw64(VTD_REG_PQH, mr64(VTD_REG_PQT));
	mw32(VTD_REG_PRS, VTD_PRS_PPR);
	check(!(mr32(VTD_REG_PRS) & VTD_PRS_PPR), "PRS.PPR cleared by writing 1");
	put(VTD_QI_TYPE_PGRP_RESP | VTD_QI_PGRP_PP | VTD_QI_PGRP_CODE(VTD_PGRP_RESP_SUCCESS) |
		    VTD_QI_PGRP_RID(SID_A) | VTD_QI_PASID(GPASID_A),
	    VTD_QI_PGRP_PRGI(PRGI));
	check(submit_wait(), "page group response (Success) in the invalidation queue completes");
	check(!(mr32(VTD_REG_FSTS) & VTD_FSTS_IQE), "the response descriptor is valid (no IQE)");

	mw32(VTD_REG_FECTL, VTD_FECTL_IM);
	mw32(VTD_REG_PECTL, VTD_PECTL_IM);
	__asm__ volatile("lidt %0" : : "m"(old) : "memory");
}

void guest_vvtd_checks(const struct vsva_guest_boot *boot)
{
	unsigned int scopes = 0;
	uint64_t cap, ecap, *pe, *bad;
	uint32_t v;

	if (!boot->rsdp_gpa) {
		puts_serial("# guest: vvtd: no RSDP in the boot data (hypervisor without "
			    "vvtd=on): skipped\n");
		return;
	}
	reg_base = find_unit(boot->rsdp_gpa, &scopes);
	if (!reg_base)
		return;
	check(scopes >= 1, "DRHD lists the guest's devices");
	v = mr32(VTD_REG_VER);
	check(v == 0x30, "VER reads 3.0 through MMIO");
	cap = mr64(VTD_REG_CAP);
	check(cap & VTD_CAP_CM, "CAP.CM (caching mode) set");
	check(mr32(VTD_REG_CAP + 4) == (uint32_t)(cap >> 32), "CAP high dword read alone matches");
	ecap = mr64(VTD_REG_ECAP);
	check((ecap & VTD_ECAP_SMTS) && (ecap & VTD_ECAP_QI) && (ecap & VTD_ECAP_FLTS),
	      "ECAP: scalable mode, queued invalidation, first level");
	check(mr32(VTD_REG_GSTS) == 0, "GSTS 0 at reset");

	tables();
	tail = 0;
	mw64(VTD_REG_IQT, 0);
	mw64(VTD_REG_IQA, gpa(mem.queue) | VTD_IQA_DW);
	mw32(VTD_REG_GCMD, VTD_GCMD_QIE);
	check(mr32(VTD_REG_GSTS) & VTD_GSTS_QIES, "GCMD.QIE: queued invalidation enabled");
	mw64(VTD_REG_RTADDR, gpa(mem.root) | VTD_RTADDR_TTM_SCALABLE);
	mw32(VTD_REG_GCMD, VTD_GCMD_QIE | VTD_GCMD_SRTP);
	check(mr32(VTD_REG_GSTS) & VTD_GSTS_RTPS, "GCMD.SRTP: scalable-mode root table latched");
	put(VTD_QI_TYPE_CC | VTD_QI_GRAN(VTD_QI_CC_GLOBAL), 0);
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(3), 0);
	put(VTD_QI_TYPE_IOTLB | VTD_QI_GRAN(VTD_QI_IOTLB_GLOBAL), 0);
	check(submit_wait(), "global context, PASID and IOTLB invalidation: wait status written");
	check(mr64(VTD_REG_IQH) == tail, "IQH caught up with IQT");
	/* C7: a store of an immediate, as compilers emit for constant writes */
	__asm__ volatile("movl %1, %0"
			 : "=m"(*(volatile uint32_t *)(reg_base + VTD_REG_GCMD))
			 : "i"(VTD_GCMD_QIE | VTD_GCMD_TE));
	check(mr32(VTD_REG_GSTS) & VTD_GSTS_TES, "GCMD.TE (immediate store): translation on");

	pe = &mem.ptbl[(GPASID & 63) * 8];
	pe[1] = GDID;
	pe[2] = gpa(mem.fl[0]); /* FLPM 0: 4-level */
	pe[0] = VTD_PE_0_P | ((uint64_t)VTD_PGTT_FL << 6);
	put(VTD_QI_TYPE_PC | VTD_QI_GRAN(1) | VTD_QI_DID(GDID) | VTD_QI_PASID(GPASID), 0);
	check(submit_wait(), "PASID-selective PASID-cache invalidation of the new entry completes");
	check(!(mr32(VTD_REG_FSTS) & VTD_FSTS_IQE), "no queue error after the PASID entry");

	bench();

	put(0xf, 0); /* type 15: reserved */
	v = submit_wait();
	check(!v, "malformed descriptor: the wait behind it is not done");
	check(mr32(VTD_REG_FSTS) & VTD_FSTS_IQE, "malformed descriptor sets FSTS.IQE");
	check(mr64(VTD_REG_IQH) == (tail + QSIZE - 2 * QDESC) % QSIZE,
	      "IQH stops at the malformed descriptor");
	/* Linux's qi_check_fault(): the bad descriptor becomes a wait, then IQE is cleared
	 * (RW1C) and the queue resumes from IQH */
	bad = &mem.queue[mr64(VTD_REG_IQH) / 8];
	bad[0] = VTD_QI_TYPE_WAIT | VTD_BIT(5), bad[1] = gpa(&mem.status[1]);
	mw32(VTD_REG_FSTS, VTD_FSTS_IQE);
	check(!(mr32(VTD_REG_FSTS) & VTD_FSTS_IQE), "FSTS.IQE is cleared by writing 1");
	check(mem.status[0] == seq, "the queue resumes: the wait behind it completes");

	irq_checks();
	device_checks(cap, ecap);
}

// SPDX-License-Identifier: MIT
/*
 * The test guest: checks the hypervisor's guest interface from the inside and prints TAP
 * lines on COM1 ("ok N - guest: ..."), then "N passed, M failed". The last check touches
 * the hypervisor's memory, which must end the guest with an EPT-violation report by the
 * hypervisor; tests/bochs/test-vmx.sh checks both.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest/include/vsva_hv.h"
#include "guest/test/lib.h"
#include "guest/test/smp.h"
#include "guest/test/vsva.h"
#include "guest/test/vvtd.h"

#define HV_IMAGE_GPA	  0x1000000ull /* hv/layout.h HV_IMAGE_LINK_PA: never guest memory */
#define MSR_FEATURE_CTL	  0x3a
#define BENCH_CALLS	  1000u
#define SMP_TIMEOUT_TICKS 200000000ull /* Bochs: TSC ticks are instructions */

static void check(bool ok, const char *what)
{
	tap_check("", ok, what);
}

static void check_eq(int64_t got, int64_t want, const char *what)
{
	tap_check_eq("", got, want, what);
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

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Page-sized, 8-byte aligned buffers in guest RAM (the image's .bss). */
static union {
	struct vsva_capabilities caps;
	struct vsva_statistics stats;
	uint8_t raw[4096];
} buf __attribute__((aligned(4096)));

static void check_cpuid(void)
{
	uint32_t a, b, c, d;

	cpuid(VSVA_CPUID_LEAF_BASE, &a, &b, &c, &d);
	check(b == VSVA_CPUID_SIGNATURE_EBX && c == VSVA_CPUID_SIGNATURE_ECX &&
		      d == VSVA_CPUID_SIGNATURE_EDX,
	      "CPUID 0x40000000 signature is VsvaVsvaVsva");
	check(a >= VSVA_CPUID_LEAF_MAX, "CPUID 0x40000000 reports the highest leaf");
	cpuid(1, &a, &b, &c, &d);
	check(!(c & (1u << 5)), "CPUID.1:ECX.VMX is hidden");
	check(c & (1u << 31), "CPUID.1:ECX.hypervisor is set");
	check(rdmsr(MSR_FEATURE_CTL) == 1, "IA32_FEATURE_CONTROL reads locked with VMX off");
}

static void check_hypercalls(void)
{
	uint64_t gpa = (uint64_t)(uintptr_t)&buf;
	int64_t r;

	check_eq(vmcall(VSVA_HC_NULL, 0, 0, 0, 0), 0, "null hypercall returns 0");
	check_eq(vmcall(VSVA_HC_VERSION, 0, 0, 0, 0), VSVA_ABI_VERSION,
		 "version hypercall returns VSVA_ABI_VERSION");
	check_eq(vmcall(0x1234, 0, 0, 0, 0), -VSVA_ENOSYS, "unknown call number gives -ENOSYS");
	check_eq(vmcall(VSVA_HC_COUNT, 0, 0, 0, 0), -VSVA_ENOSYS,
		 "first unassigned call number gives -ENOSYS");

	zero(&buf, sizeof(buf));
	buf.caps.size = sizeof(buf.caps);
	r = vmcall(VSVA_HC_CAPABILITIES, gpa, 0, 0, 0);
	check_eq(r, 0, "capabilities hypercall succeeds");
	check(buf.caps.size == VSVA_CAPABILITIES_SIZE_V1 &&
		      buf.caps.abi_version == VSVA_ABI_VERSION,
	      "capabilities: size and ABI version filled");
	check((buf.caps.flags & VSVA_CAP_EPT) && buf.caps.guest_ram_bytes > (1u << 20) &&
		      buf.caps.nr_vcpus >= 1,
	      "capabilities: EPT flag, guest RAM and vCPU count");

	zero(&buf, sizeof(buf));
	buf.caps.size = 64;
	buf.raw[60] = 1;
	check_eq(vmcall(VSVA_HC_CAPABILITIES, gpa, 0, 0, 0), -VSVA_EINVAL,
		 "capabilities: nonzero unknown trailing bytes give -EINVAL");
	buf.raw[60] = 0;
	check_eq(vmcall(VSVA_HC_CAPABILITIES, gpa, 0, 0, 0), 0,
		 "capabilities: a larger zeroed structure is accepted");
	buf.caps.size = 8;
	check_eq(vmcall(VSVA_HC_CAPABILITIES, gpa, 0, 0, 0), -VSVA_EINVAL,
		 "capabilities: a too small size gives -EINVAL");
	buf.caps.size = 8192;
	check_eq(vmcall(VSVA_HC_CAPABILITIES, gpa, 0, 0, 0), -VSVA_EINVAL,
		 "capabilities: a too large size gives -EINVAL");
	buf.caps.size = sizeof(buf.caps);
	check_eq(vmcall(VSVA_HC_CAPABILITIES, gpa + 4, 0, 0, 0), -VSVA_EINVAL,
		 "capabilities: a misaligned GPA gives -EINVAL");
	check_eq(vmcall(VSVA_HC_CAPABILITIES, HV_IMAGE_GPA, 0, 0, 0), -VSVA_EFAULT,
		 "capabilities: a GPA in hypervisor memory gives -EFAULT");
	check_eq(vmcall(VSVA_HC_CAPABILITIES, 0xfffffffffff000ull, 0, 0, 0), -VSVA_EFAULT,
		 "capabilities: a GPA beyond guest memory gives -EFAULT");
	check_eq(vmcall(VSVA_HC_CAPABILITIES, 0xfee00000ull, 0, 0, 0), -VSVA_EFAULT,
		 "capabilities: a GPA in MMIO gives -EFAULT");

	zero(&buf, sizeof(buf));
	buf.stats.size = sizeof(buf.stats);
	check_eq(vmcall(VSVA_HC_STATISTICS, gpa, 0, 0, 0), 0, "statistics hypercall succeeds");
	check(buf.stats.size == VSVA_STATISTICS_SIZE_V1 &&
		      buf.stats.nr_exit_reasons == VSVA_STAT_EXIT_REASONS,
	      "statistics: size and exit-reason count filled");
	check(buf.stats.hypercalls >= 13 && buf.stats.exits[18] >= 13 && buf.stats.exits[10] >= 2,
	      "statistics: VMCALL and CPUID exits counted");
	check(buf.stats.hypercall_errors >= 8 && buf.stats.exits_total >= buf.stats.hypercalls,
	      "statistics: hypercall errors and total exits counted");

	check_eq(vmcall(VSVA_HC_GPA_PROBE, gpa, 0, 0, 0), 1, "GPA probe: own image is guest RAM");
	check_eq(vmcall(VSVA_HC_GPA_PROBE, 0xfee00000ull, 0, 0, 0), 2,
		 "GPA probe: local APIC page is MMIO");
	check_eq(vmcall(VSVA_HC_GPA_PROBE, HV_IMAGE_GPA, 0, 0, 0), 0,
		 "GPA probe: hypervisor image is absent");
}

/* Exits the hypervisor emulates: the CR0 write of entry.asm (PG with NE clear), WBINVD,
 * INVD, XSETBV (SDM Vol. 3C 26.1.2, 26.1.3). */
static void check_emulated_exits(void)
{
	uint64_t cr0, cr4, efer = rdmsr(0xc0000080), xcr0, after;
	uint32_t a, b, c, d;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	check(!(cr0 & (1u << 5)) && (efer & (1u << 10)) && (efer & (1u << 8)),
	      "CR0 write with PG set and NE clear (exits) entered IA-32e mode (EFER.LMA)");
	__asm__ volatile("wbinvd; invd" ::: "memory");
	cpuid(1, &a, &b, &c, &d);
	if (c & (1u << 26)) { /* XSAVE */
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1u << 18)));
		__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
		xcr0 = ((uint64_t)d << 32) | a;
		__asm__ volatile("xsetbv" : : "a"(a), "d"(d), "c"(0));
		__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
		after = ((uint64_t)d << 32) | a;
		check(after == xcr0 && (xcr0 & 1), "XSETBV of XCR0 done by the hypervisor");
	} else {
		tap_skip("", "XSETBV: no XSAVE on this CPU");
	}
	zero(&buf, sizeof(buf));
	buf.stats.size = sizeof(buf.stats);
	check(vmcall(VSVA_HC_STATISTICS, (uint64_t)(uintptr_t)&buf, 0, 0, 0) == 0 &&
		      buf.stats.exits[13] >= 1 && buf.stats.exits[28] >= 1,
	      "INVD and CR-access exits handled and counted (WBINVD runs natively)");
}

/* SMP: the guest starts CPU 1 (local APIC ID 1 on Bochs) with its own INIT-SIPI-SIPI;
 * the hypervisor holds that CPU in the wait-for-SIPI state until then. */
static bool str_has(const char *s, const char *word)
{
	for (; *s; s++) {
		const char *a = s, *b = word;

		while (*b && *a == *b)
			a++, b++;
		if (!*b)
			return true;
	}
	return false;
}

static void check_smp(const char *cmdline)
{
	bool init = str_has(cmdline, "smp=init");
	int64_t hc = -1;
	uint32_t nr;
	int ret;

	zero(&buf, sizeof(buf));
	buf.caps.size = sizeof(buf.caps);
	if (vmcall(VSVA_HC_CAPABILITIES, (uint64_t)(uintptr_t)&buf, 0, 0, 0) != 0) {
		check(false, "smp: capabilities give the vCPU count");
		return;
	}
	nr = buf.caps.nr_vcpus;
	puts_serial("# guest: smp: ");
	put_u64(nr);
	puts_serial(" vCPUs\n");
	if (nr < 2) {
		tap_skip("", "smp: single CPU");
		return;
	}
	puts_serial(init ? "# guest: smp: starting CPU 1 with INIT-SIPI-SIPI\n" :
			   "# guest: smp: starting CPU 1 with SIPI-SIPI (it waits for SIPI; "
			   "smp=init sends INIT too)\n");
	ret = guest_smp_start_ap(1, init, SMP_TIMEOUT_TICKS, &hc);
	check_eq(ret, 0, "smp: CPU 1 started by the guest's SIPI and reported back");
	check_eq(hc, 0, "smp: CPU 1's null hypercall from real mode returned 0");
}

static void bench_null_hypercall(void)
{
	uint64_t t0, t1;

	t0 = rdtsc();
	for (unsigned int i = 0; i < BENCH_CALLS; i++)
		vmcall(VSVA_HC_NULL, 0, 0, 0, 0);
	t1 = rdtsc();
	puts_serial("# guest: bench: null hypercall round trip ");
	put_u64((t1 - t0) / BENCH_CALLS);
	puts_serial(" TSC ticks (mean of ");
	put_u64(BENCH_CALLS);
	puts_serial(")\n");
	check(t1 > t0, "benchmark: null hypercall round trips timed");
}

extern uint64_t guest_entry_tsc; /* entry.asm: TSC at the guest's first instructions */

void guest_main(const struct vsva_guest_boot *boot, uint32_t magic);

void guest_main(const struct vsva_guest_boot *boot, uint32_t magic)
{
	const char *cmdline;

	puts_serial("# guest: test kernel running in long mode\n");
	puts_serial("# guest: bench: TSC ");
	put_u64(guest_entry_tsc);
	puts_serial(" at the first guest instruction\n");
	check(magic == VSVA_GUEST_BOOT_MAGIC && boot->size == sizeof(*boot),
	      "entered with the boot magic and boot data");
	cmdline = (const char *)(uintptr_t)boot->cmdline_gpa;
	puts_serial("# guest: command line \"");
	puts_serial(cmdline);
	puts_serial("\"\n");
	check(str_eq(cmdline, "tap-guest probe=hv"), "command line passed by the hypervisor");
	check_cpuid();
	check_hypercalls();
	check_emulated_exits();
	check_smp(cmdline);
	bench_null_hypercall();
	guest_vsva_checks();
	guest_vvtd_checks(boot);
	puts_serial("1..");
	put_u64(guest_tap.n);
	puts_serial("\n");
	put_u64(guest_tap.pass);
	puts_serial(" passed, ");
	put_u64(guest_tap.fail);
	puts_serial(" failed\n");
	/* Last check: the hypervisor's memory must not be reachable. This read must end in
	 * an EPT violation that the hypervisor reports (tests/bochs/test-vmx.sh checks). */
	puts_serial("# guest: reading hypervisor memory at ");
	put_hex(HV_IMAGE_GPA);
	puts_serial(": the hypervisor must stop this guest\n");
	(void)*(volatile uint64_t *)(uintptr_t)HV_IMAGE_GPA;
	puts_serial("not ok - guest: hypervisor memory was readable\n");
}

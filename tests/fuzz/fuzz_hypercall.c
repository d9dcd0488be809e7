// SPDX-License-Identifier: MIT
/*
 * fuzz_hypercall.c - hv/hypercall.c: hypercall_dispatch() with fuzzed registers over a
 * fake guest RAM whose bytes come from the input too.
 *
 * Input: 5 x 8 bytes (RAX, RBX, RCX, RDX, RSI), then the guest RAM's first bytes.
 * Each register's bits 63:62 pick its kind: 0 a GPA near guest RAM (edges included),
 * 1 a small number, else the raw value (RAX: 0 and 1 give a number near the valid ones).
 * Checks: hypervisor memory right after guest RAM and the MMIO page right below it are
 * reachable through hpa_to_hva() but are never written; every call is counted once.
 */
#include <string.h>

#include "guest/include/vsva_hv.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "tests/fuzz/fuzz_env.h"
#include "tests/unit/support/hosted.h"

#define RAM_GPA	  0x100000ull
#define RAM_SIZE  0x4000ull
#define GUARD	  0x2000ull /* bytes of hv memory after RAM, of MMIO before it */
#define HDR	  40u
#define GUARD_VAL 0xa5

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t hv_mem[GUARD] __attribute__((aligned(4096)));
static uint8_t mmio[GUARD] __attribute__((aligned(4096)));
static uint8_t pattern[GUARD];
static struct boot_info bi;
static struct mtrr_state mtrr;
static struct cpu_info ci;
static struct vm vm;
static struct vcpu vcpu;

static uint64_t pick(uint64_t v, bool nr)
{
	switch (v >> 62) {
	case 0:
		if (nr)
			return v % (VSVA_HC_COUNT + 8);
		return RAM_GPA - GUARD + v % (RAM_SIZE + 2 * GUARD);
	case 1:
		return v & 0xffff;
	default:
		return v;
	}
}

static void setup_once(void)
{
	static bool done;

	if (done)
		return;
	bi.mmap[0] = (struct boot_mem_range){ RAM_GPA - GUARD, GUARD, BOOT_MEM_RESERVED, 0 };
	bi.mmap[1] = (struct boot_mem_range){ RAM_GPA, RAM_SIZE, BOOT_MEM_USABLE, 0 };
	bi.mmap[2] = (struct boot_mem_range){ RAM_GPA + RAM_SIZE, GUARD, BOOT_MEM_HV_IMAGE, 0 };
	bi.mmap_count = 3;
	vm.ci = &ci;
	vm.nr_vcpus = 1;
	vm.vpid = 1;
	vm.ept.use_2m = true;
	vcpu.vm = &vm;
	memset(pattern, GUARD_VAL, sizeof(pattern));
	if (guest_map_build(&bi, &mtrr, &vm.map))
		abort();
	done = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hypercall_args a;
	uint64_t calls;
	size_t n;

	setup_once();
	if (size < HDR)
		return 0;
	a.nr = pick(fuzz_le64(data), true);
	a.a0 = pick(fuzz_le64(data + 8), false);
	a.a1 = pick(fuzz_le64(data + 16), false);
	a.a2 = pick(fuzz_le64(data + 24), false);
	a.a3 = pick(fuzz_le64(data + 32), false);
	n = size - HDR < RAM_SIZE ? size - HDR : RAM_SIZE;
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data + HDR, n);
	memset(hv_mem, GUARD_VAL, sizeof(hv_mem));
	memset(mmio, GUARD_VAL, sizeof(mmio));
	hosted_mem_reset();
	hosted_mem_add(RAM_GPA - GUARD, mmio, GUARD);
	hosted_mem_add(RAM_GPA, ram, RAM_SIZE);
	hosted_mem_add(RAM_GPA + RAM_SIZE, hv_mem, GUARD);

	calls = vcpu.hypercalls;
	hypercall_dispatch(&vcpu, &a);
	FUZZ_CHECK(vcpu.hypercalls == calls + 1);
	FUZZ_CHECK(!memcmp(hv_mem, pattern, GUARD));
	FUZZ_CHECK(!memcmp(mmio, pattern, GUARD));
	return 0;
}

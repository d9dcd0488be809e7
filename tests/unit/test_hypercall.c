// SPDX-License-Identifier: MIT
/*
 * hv/hypercall.c: the ABI of guest/include/vsva_hv.h -- numbers, errors, size-prefixed
 * structures, guest pointers checked against the guest map (never trusted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include "hv/guest_map.h"
#include "guest/include/vsva_hv.h"
#include "hv/hypercall.h"
#include "hv/mm.h"
#include "hv/mtrr.h"
#include "tests/unit/support/hosted.h"

#define RAM_GPA	 0x100000ull /* fake guest RAM, reachable through hpa_to_hva() */
#define RAM_SIZE 0x10000ull

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct boot_info bi;
static struct mtrr_state mtrr;
static struct cpu_info ci;
static struct vm vm;
static struct vcpu vcpu;

static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	bi.mmap[0] = (struct boot_mem_range){ RAM_GPA, RAM_SIZE, BOOT_MEM_USABLE, 0 };
	bi.mmap[1] = (struct boot_mem_range){ RAM_GPA + RAM_SIZE, 0x1000, BOOT_MEM_HV_IMAGE, 0 };
	bi.mmap_count = 2;
	memset(&mtrr, 0, sizeof(mtrr));
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	memset(ram, 0, sizeof(ram));
	hosted_mem_reset();
	hosted_mem_add(RAM_GPA, ram, RAM_SIZE);
	vm.ci = &ci;
	vm.nr_vcpus = 1;
	vm.vpid = 1;
	vm.ept.use_2m = true;
	vcpu.vm = &vm;
	return guest_map_build(&bi, &mtrr, &vm.map);
}

static int64_t call(uint64_t nr, uint64_t a0)
{
	struct hypercall_args a = { nr, a0, 0, 0, 0 };

	return hypercall_dispatch(&vcpu, &a);
}

static void null_returns_zero(void **state)
{
	assert_int_equal(call(VSVA_HC_NULL, 0), 0);
}

static void version_returns_the_abi_version(void **state)
{
	assert_int_equal(call(VSVA_HC_VERSION, 0), VSVA_ABI_VERSION);
}

static void unknown_numbers_give_enosys(void **state)
{
	assert_int_equal(call(VSVA_HC_COUNT, 0), -VSVA_ENOSYS);
	assert_int_equal(call(UINT64_MAX, 0), -VSVA_ENOSYS);
	assert_int_equal(vcpu.hypercall_errors, 2);
}

static void capabilities_fill_and_report_size(void **state)
{
	struct vsva_capabilities *c = (void *)(ram + 0x100);

	c->size = sizeof(*c);
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA + 0x100), 0);
	assert_int_equal(c->size, VSVA_CAPABILITIES_SIZE_V1);
	assert_int_equal(c->abi_version, VSVA_ABI_VERSION);
	assert_false(c->flags & VSVA_CAP_VSVA); /* no vSVA core linked: no vSVA */
	assert_true(c->flags & VSVA_CAP_EPT);
	assert_true(c->flags & VSVA_CAP_VPID);
	assert_int_equal(c->page_sizes, (1ull << 12) | (1ull << 21));
	assert_int_equal(c->guest_ram_bytes, RAM_SIZE);
}

static void capabilities_reject_nonzero_trailing_bytes(void **state)
{
	struct vsva_capabilities *c = (void *)ram;

	c->size = 256;
	ram[200] = 0xff;
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), -VSVA_EINVAL);
	assert_int_equal(c->abi_version, 0); /* a rejected call changes nothing */
	ram[200] = 0;
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), 0);
}

static void capabilities_reject_bad_sizes_and_alignment(void **state)
{
	struct vsva_capabilities *c = (void *)ram;

	c->size = VSVA_CAPABILITIES_SIZE_V1 - 1;
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), -VSVA_EINVAL);
	c->size = 4097;
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), -VSVA_EINVAL);
	c->size = sizeof(*c);
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA + 4), -VSVA_EINVAL);
}

static void guest_pointers_outside_ram_give_efault(void **state)
{
	uint32_t *tail = (void *)(ram + RAM_SIZE - 8);

	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA + RAM_SIZE), -VSVA_EFAULT); /* hv */
	assert_int_equal(call(VSVA_HC_CAPABILITIES, 0), -VSVA_EFAULT); /* MMIO hole */
	assert_int_equal(call(VSVA_HC_CAPABILITIES, 0xfffffffffffffff8ull), -VSVA_EFAULT);
	/* The size field is RAM but the structure runs into hypervisor memory. */
	*tail = sizeof(struct vsva_capabilities);
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA + RAM_SIZE - 8), -VSVA_EFAULT);
}

static void statistics_count_calls_and_errors(void **state)
{
	struct vsva_statistics *s = (void *)(ram + 0x1000);

	vcpu.exits_total = 7;
	vcpu.exits[EXIT_REASON_VMCALL] = 3;
	call(VSVA_HC_NULL, 0);
	call(42, 0);
	s->size = sizeof(*s);
	assert_int_equal(call(VSVA_HC_STATISTICS, RAM_GPA + 0x1000), 0);
	assert_int_equal(s->size, VSVA_STATISTICS_SIZE_V1);
	assert_int_equal(s->nr_exit_reasons, VSVA_STAT_EXIT_REASONS);
	assert_int_equal(s->hypercalls, 3);
	assert_int_equal(s->hypercall_errors, 1);
	assert_int_equal(s->exits_total, 7);
	assert_int_equal(s->exits[EXIT_REASON_VMCALL], 3);
}

static void gpa_probe_reports_kinds(void **state)
{
	assert_int_equal(call(VSVA_HC_GPA_PROBE, RAM_GPA), GUEST_MEM_RAM);
	assert_int_equal(call(VSVA_HC_GPA_PROBE, 0xfee00000), GUEST_MEM_MMIO);
	assert_int_equal(call(VSVA_HC_GPA_PROBE, RAM_GPA + RAM_SIZE), GUEST_MEM_ABSENT);
}

static void v2_callers_get_v2_and_in_between_sizes_get_v1(void **state)
{
	struct vsva_capabilities_v2 *c = (void *)ram;
	struct vsva_statistics_v2 *s = (void *)(ram + 0x1000);

	c->v1.size = sizeof(*c);
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), 0);
	assert_int_equal(c->v1.size, VSVA_CAPABILITIES_SIZE_V2);
	assert_int_equal(c->v1.abi_version, VSVA_ABI_VERSION);
	assert_int_equal(c->inv_batch_max, 0); /* no vSVA core linked: the fields stay 0 */
	memset(c, 0, sizeof(*c));
	c->v1.size = VSVA_CAPABILITIES_SIZE_V2 - 8;
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), 0);
	assert_int_equal(c->v1.size, VSVA_CAPABILITIES_SIZE_V1);
	s->v1.size = sizeof(*s);
	assert_int_equal(call(VSVA_HC_STATISTICS, RAM_GPA + 0x1000), 0);
	assert_int_equal(s->v1.size, VSVA_STATISTICS_SIZE_V2);
	assert_int_equal(s->v1.nr_exit_reasons, VSVA_STAT_EXIT_REASONS);
}

static void output_fields_must_be_zero_on_input(void **state)
{
	struct vsva_capabilities *c = (void *)ram;

	c->size = sizeof(*c);
	c->nr_vcpus = 3; /* stale output from an earlier call */
	assert_int_equal(call(VSVA_HC_CAPABILITIES, RAM_GPA), -VSVA_EINVAL);
}

static void vsva_calls_without_vsva_give_enodev(void **state)
{
	for (uint64_t nr = VSVA_HC_PASID_ALLOC; nr <= VSVA_HC_TRANSLATE; nr++)
		assert_int_equal(call(nr, 0), -VSVA_ENODEV);
	assert_int_equal(call(VSVA_HC_COUNT, 0), -VSVA_ENOSYS);
}

static void abi_structure_sizes_are_fixed(void **state)
{
	assert_int_equal(sizeof(struct vsva_capabilities), VSVA_CAPABILITIES_SIZE_V1);
	assert_int_equal(offsetof(struct vsva_capabilities_v2, rid_local_first),
			 VSVA_CAPABILITIES_SIZE_V1);
	assert_int_equal(offsetof(struct vsva_capabilities_v2, ranges), 96);
	assert_int_equal(sizeof(struct vsva_capabilities_v2), VSVA_CAPABILITIES_SIZE_V2);
	assert_int_equal(sizeof(struct vsva_statistics), VSVA_STATISTICS_SIZE_V1);
	assert_int_equal(offsetof(struct vsva_statistics_v2, vsva_binds), VSVA_STATISTICS_SIZE_V1);
	assert_int_equal(sizeof(struct vsva_statistics_v2), VSVA_STATISTICS_SIZE_V2);
	assert_int_equal(sizeof(struct vsva_bind), VSVA_BIND_SIZE_V1);
	assert_int_equal(offsetof(struct vsva_bind, flptr), 16);
	assert_int_equal(sizeof(struct vsva_inv_req), 32);
	assert_int_equal(offsetof(struct vsva_invalidate, req), 16);
	assert_int_equal(sizeof(struct vsva_translate), VSVA_TRANSLATE_SIZE_V1);
	assert_int_equal(offsetof(struct vsva_translate, gpa), 24);
	assert_true(VSVA_INV_BATCH_MAX >= 32);
	assert_true(VSVA_INVALIDATE_SIZE(VSVA_INV_BATCH_MAX) <= 4096);
	assert_int_equal(VSVA_DEVICE(0x1234, 0xab, 0xcd), 0x1234abcdu);
	assert_true(EXIT_REASON_MAX <= VSVA_STAT_EXIT_REASONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(null_returns_zero, setup),
		cmocka_unit_test_setup(version_returns_the_abi_version, setup),
		cmocka_unit_test_setup(unknown_numbers_give_enosys, setup),
		cmocka_unit_test_setup(capabilities_fill_and_report_size, setup),
		cmocka_unit_test_setup(capabilities_reject_nonzero_trailing_bytes, setup),
		cmocka_unit_test_setup(capabilities_reject_bad_sizes_and_alignment, setup),
		cmocka_unit_test_setup(guest_pointers_outside_ram_give_efault, setup),
		cmocka_unit_test_setup(statistics_count_calls_and_errors, setup),
		cmocka_unit_test_setup(gpa_probe_reports_kinds, setup),
		cmocka_unit_test_setup(v2_callers_get_v2_and_in_between_sizes_get_v1, setup),
		cmocka_unit_test_setup(output_fields_must_be_zero_on_input, setup),
		cmocka_unit_test_setup(vsva_calls_without_vsva_give_enodev, setup),
		cmocka_unit_test_setup(abi_structure_sizes_are_fixed, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

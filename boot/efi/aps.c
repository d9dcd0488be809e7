// SPDX-License-Identifier: MIT
/*
 * The APs into the core (UEFI): once hv_entry returned 0 on the BSP, the core is
 * resident; EFI_MP_SERVICES_PROTOCOL.StartupAllAPs (UEFI PI 1.7 Vol. 2 §13.4.3) then
 * runs ap_procedure() on every enabled AP, one after the other (SingleThread = TRUE,
 * blocking: the core's frame pool and log have no locks), and the procedure calls the
 * core's hv_ap_entry (hv/boot_info.h) on the core's boot tables. On a CPU with VMX the
 * core resumes the AP's context as a guest, which then returns from the procedure
 * into the firmware's AP loop like any other procedure; without VMX the core gives the
 * AP back directly with -ENODEV.
 *
 * ap_procedure() runs on the AP: it calls no firmware service and no libefi code (Print
 * and friends use SSE, and the firmware's services are not for APs), only CPUID and the
 * hand-off. Its results go into struct ap_run; the BSP prints them afterwards.
 */
#include <errno.h>
#include "boot/efi/loader.h"
#include "boot/efi/mp_services.h"

#define AP_TIMEOUT_US 20000000u /* microseconds for all APs together */

/* Written by the APs (each its own slot), read by the BSP after StartupAllAPs. */
struct ap_run {
	struct boot_info *bi;
	uint64_t entry_va, cr3;
	volatile int32_t status[BOOT_CPUS_MAX]; /* by logical index: hv_ap_entry's status */
	volatile uint32_t ran[BOOT_CPUS_MAX];	/* 1 once the AP called the core */
	volatile uint32_t unlisted;		/* APs whose APIC ID bi->apic_id lacks */
};

/*
 * The logical index of the CPU with APIC ID @id: its position in bi->apic_id[] with the
 * BSP left out, counted from 1 (the core's numbering, as on Multiboot2). 0 = not listed.
 */
static uint32_t ap_index(const struct boot_info *bi, uint32_t id)
{
	uint32_t n = 0, count = bi->cpu_count < BOOT_CPUS_MAX ? bi->cpu_count : BOOT_CPUS_MAX;

	for (uint32_t i = 0; i < count; i++) {
		if (bi->apic_id[i] == bi->bsp_apic_id)
			continue;
		n++;
		if (bi->apic_id[i] == id)
			return n;
	}
	return 0;
}

/* EFI_AP_PROCEDURE, on each AP in turn. */
static VOID EFIAPI ap_procedure(VOID *arg)
{
	struct ap_run *r = arg;
	uint32_t cpu = ap_index(r->bi, cpus_apic_id());

	if (cpu == 0 || cpu >= BOOT_CPUS_MAX) {
		__atomic_add_fetch(&r->unlisted, 1, __ATOMIC_RELAXED);
		return;
	}
	r->status[cpu] = handoff_call_ap(r->entry_va, r->cr3, r->bi, cpu);
	__atomic_store_n(&r->ran[cpu], 1, __ATOMIC_RELEASE);
}

static const char *ap_status_text(int status)
{
	switch (status) {
	case 0:
		return "in VMX, the firmware resumed as its guest";
	case -ENODEV:
		return "no VMX, back to the firmware";
	case -EAGAIN:
		return "the core is not resident, back to the firmware";
	case -EINVAL:
		return "refused by the core (index or boot_info), back to the firmware";
	case -EBUSY:
		return "this index entered the core already, back to the firmware";
	default:
		return "the core's set-up failed, back to the firmware";
	}
}

void aps_start(struct boot_info *bi, uint64_t ap_entry_va, uint64_t cr3)
{
	static struct ap_run run;
	struct efi_mp_services *mp;
	UINTN *failed = NULL;
	uint32_t listed = 0, vmx = 0, native = 0, bad = 0, count;
	EFI_STATUS st;

	count = bi->cpu_count < BOOT_CPUS_MAX ? bi->cpu_count : BOOT_CPUS_MAX;
	for (uint32_t i = 0; i < count; i++)
		listed += bi->apic_id[i] != bi->bsp_apic_id;
	if (listed == 0) {
		Print(L"efi: aps: no AP listed, nothing to start\n");
		return;
	}
	if (!ap_entry_va) {
		Print(L"efi: aps: the core has no AP entry: the %u APs stay with the firmware\n",
		      listed);
		return;
	}
	mp = cpus_mp_services();
	if (!mp || !mp->startup_all_aps) {
		Print(L"efi: aps: no MP services protocol: the %u APs stay with the firmware\n",
		      listed);
		return;
	}

	SetMem(&run, sizeof(run), 0);
	run.bi = bi;
	run.entry_va = ap_entry_va;
	run.cr3 = cr3;
	Print(L"efi: aps: StartupAllAPs, one AP at a time, into hv_ap_entry at 0x%lx (%u APs)\n",
	      ap_entry_va, listed);
	st = mp->startup_all_aps(mp, ap_procedure, TRUE, NULL, AP_TIMEOUT_US, &run, &failed);
	if (failed)
		FreePool(failed);
	if (EFI_ERROR(st))
		Print(L"efi: aps: StartupAllAPs: %r\n", st);

	for (uint32_t cpu = 1; cpu <= listed && cpu < BOOT_CPUS_MAX; cpu++) {
		uint32_t id = 0, n = 0;

		for (uint32_t i = 0; i < count; i++)
			if (bi->apic_id[i] != bi->bsp_apic_id && ++n == cpu)
				id = bi->apic_id[i];
		if (!__atomic_load_n(&run.ran[cpu], __ATOMIC_ACQUIRE)) {
			Print(L"efi: ap %u (APIC ID %u): did not reach the core\n", cpu, id);
			bad++;
			continue;
		}
		Print(L"efi: ap %u (APIC ID %u): status %d: %a\n", cpu, id, run.status[cpu],
		      ap_status_text(run.status[cpu]));
		if (run.status[cpu] == 0)
			vmx++;
		else if (run.status[cpu] == -ENODEV)
			native++;
		else
			bad++;
	}
	if (run.unlisted)
		Print(L"efi: aps: %u APs not in the CPU list, left with the firmware\n",
		      run.unlisted);
	Print(L"efi: aps: %u APs: %u in VMX, %u native without VMX, %u failed\n", listed, vmx,
	      native, bad);
}

// SPDX-License-Identifier: MIT
/*
 * The CPU list: EFI_MP_SERVICES_PROTOCOL (UEFI PI 1.7 Vol. 2 §13.4), declared in
 * boot/efi/mp_services.h.
 */
#include <cpuid.h>
#include "boot/efi/loader.h"
#include "boot/efi/mp_services.h"

/* EFI_MP_SERVICES_PROTOCOL_GUID */
static EFI_GUID mp_services_guid = {
	0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 }
};

/* The initial local APIC ID: CPUID.0BH:EDX (x2APIC, 32 bits) when leaf 0BH exists,
 * else CPUID.01H:EBX[31:24]. */
uint32_t cpus_apic_id(void)
{
	unsigned int eax, ebx, ecx, edx;

	__cpuid(0, eax, ebx, ecx, edx);
	if (eax >= 0xb) {
		__cpuid_count(0xb, 0, eax, ebx, ecx, edx);
		if (ebx != 0) /* EBX = 0: leaf 0BH not supported (SDM Vol. 2A CPUID) */
			return edx;
	}
	__cpuid(1, eax, ebx, ecx, edx);
	return ebx >> 24;
}

struct efi_mp_services *cpus_mp_services(void)
{
	struct efi_mp_services *mp = NULL;

	if (EFI_ERROR(BS->LocateProtocol(&mp_services_guid, NULL, (void **)&mp)))
		return NULL;
	return mp;
}

void cpus_fill(struct boot_info *bi)
{
	struct efi_mp_services *mp = NULL;
	UINTN total = 0, enabled = 0;
	EFI_STATUS st;

	bi->bsp_apic_id = cpus_apic_id();
	bi->cpu_count = 0;

	st = BS->LocateProtocol(&mp_services_guid, NULL, (void **)&mp);
	if (EFI_ERROR(st) || !mp) {
		Print(L"efi: cpus: no MP services protocol (%r), the core reads the MADT\n", st);
		return;
	}
	st = mp->get_number_of_processors(mp, &total, &enabled);
	if (EFI_ERROR(st)) {
		Print(L"efi: cpus: GetNumberOfProcessors: %r\n", st);
		return;
	}
	for (UINTN i = 0; i < total && bi->cpu_count < BOOT_CPUS_MAX; i++) {
		struct efi_processor_information info;

		SetMem(&info, sizeof(info), 0);
		st = mp->get_processor_info(mp, i, &info);
		if (EFI_ERROR(st) || !(info.status_flag & PROCESSOR_ENABLED_BIT))
			continue;
		bi->apic_id[bi->cpu_count++] = (uint32_t)info.processor_id;
	}
	if (enabled > BOOT_CPUS_MAX)
		Print(L"efi: cpus: %lu enabled, only the first %u passed on\n", enabled,
		      BOOT_CPUS_MAX);
	Print(L"efi: cpus: %u enabled of %lu, BSP APIC ID %u\n", bi->cpu_count, total,
	      bi->bsp_apic_id);
}

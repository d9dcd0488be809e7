/* SPDX-License-Identifier: MIT */
/*
 * EFI_MP_SERVICES_PROTOCOL (UEFI PI 1.7 Vol. 2 §13.4). GNU-EFI 3.0.15 does not define
 * it, so the part the loader calls is declared here from the PI specification. Every
 * member is EFIAPI (ms_abi with GNU_EFI_USE_MS_ABI).
 */
#ifndef BOOT_EFI_MP_SERVICES_H
#define BOOT_EFI_MP_SERVICES_H

#include <efi.h>

/* EFI_PROCESSOR_INFORMATION.StatusFlag */
#define PROCESSOR_AS_BSP_BIT  0x1
#define PROCESSOR_ENABLED_BIT 0x2

struct efi_cpu_physical_location {
	UINT32 package, core, thread;
};

/* PI 1.7 appends an ExtendedInformation union, filled only when asked for (bit 24 of
 * ProcessorNumber); room for it anyway, in case a firmware writes it regardless. */
struct efi_processor_information {
	UINT64 processor_id; /* the local APIC ID */
	UINT32 status_flag;
	struct efi_cpu_physical_location location;
	UINT32 extended[6];
};

/* EFI_AP_PROCEDURE: runs on an AP with @buffer = ProcedureArgument. */
typedef VOID(EFIAPI *efi_ap_procedure)(VOID *buffer);

struct efi_mp_services;
typedef EFI_STATUS(EFIAPI *mp_get_number_of_processors)(struct efi_mp_services *this, UINTN *number,
							UINTN *enabled);
typedef EFI_STATUS(EFIAPI *mp_get_processor_info)(struct efi_mp_services *this, UINTN number,
						  struct efi_processor_information *info);
/*
 * StartupAllAPs: @procedure on every enabled AP. @single_thread: one AP after the other;
 * @wait_event NULL: blocking, returns when all finished or @timeout_us (0 = no limit)
 * passed; @failed_cpu_list: NULL, or set to a pool buffer of processor numbers ending
 * with END_OF_CPU_LIST (the caller frees it). EFI_NOT_STARTED: no enabled AP.
 */
typedef EFI_STATUS(EFIAPI *mp_startup_all_aps)(struct efi_mp_services *this,
					       efi_ap_procedure procedure, BOOLEAN single_thread,
					       EFI_EVENT wait_event, UINTN timeout_us,
					       VOID *procedure_argument, UINTN **failed_cpu_list);

struct efi_mp_services {
	mp_get_number_of_processors get_number_of_processors;
	mp_get_processor_info get_processor_info;
	mp_startup_all_aps startup_all_aps;
	void *startup_this_ap, *switch_bsp, *enable_disable_ap, *who_am_i;
};

#endif /* BOOT_EFI_MP_SERVICES_H */

/* SPDX-License-Identifier: MIT */
/* The core's entry points from the boot paths. */
#ifndef HV_MAIN_H
#define HV_MAIN_H

#include <stdnoreturn.h>
#include "hv/boot_info.h"

/*
 * hv_main() - bring the hypervisor up from a filled struct boot_info.
 * @bi: identity-mapped (VA = HPA), checked for BOOT_INFO_MAGIC and BOOT_INFO_VERSION.
 *
 * Prints one line per boot stage on COM1. Returns 0 when the boot path should get
 * control back (UEFI: return to the firmware), or a negative errno when a stage failed
 * (-EINVAL: bad boot_info; -ENOMEM: no pool memory).
 */
int hv_main(struct boot_info *bi);

/*
 * hv_halt() - stop this CPU for good: drain the console, signal the emulator when the
 * command line asked for it (Bochs magic breakpoint, QEMU isa-debug-exit at
 * "debugexit=PORT" with value `code`), then CLI; HLT forever.
 */
noreturn void hv_halt(int code);

#endif /* HV_MAIN_H */

/* SPDX-License-Identifier: MIT */
/*
 * Boot self-tests chosen on the command line (selftest=NAME), for the emulator tests.
 * hv/selftest.c holds the one list of names; each test runs in the stage that has what
 * it needs, which asks selftest_chosen():
 *   exception        raise #UD once the IDT is loaded: the handler must report it (here)
 *   dma, diff, diff-pt, vsva  edu DMA checks after the iommu stage (hv/dma_selftest.c)
 *   bad-guest-state  a wrong guest-state field for the entry diagnosis (hv/vmx.c)
 */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

#include <stdbool.h>

/*
 * selftest_chosen() - true when the command line says selftest=@name. @name must be in
 * hv/selftest.c's list (an unlisted name is a bug: logged, and false).
 */
bool selftest_chosen(const char *cmdline, const char *name);

/*
 * selftest_after_idt() - warn about a selftest= name nobody runs, and run "exception".
 * May not return.
 */
void selftest_after_idt(const char *cmdline);

#endif /* HV_SELFTEST_H */

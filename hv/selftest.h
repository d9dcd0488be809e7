/* SPDX-License-Identifier: MIT */
/*
 * Boot self-tests chosen on the command line, for the emulator tests:
 *   selftest=exception  raise #UD once the IDT is loaded: the handler must report it.
 *   selftest=dma|diff|diff-pt  edu DMA checks after the iommu stage (hv/dma_selftest.c)
 *   selftest=bad-guest-state   a wrong guest-state field for the entry diagnosis (hv/vmx.c)
 */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

/* selftest_after_idt() - run the self-tests that need only the IDT. May not return. */
void selftest_after_idt(const char *cmdline);

#endif /* HV_SELFTEST_H */

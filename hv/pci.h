/* SPDX-License-Identifier: MIT */
/*
 * hv/pci.h - PCI configuration-space access for the core (PCI Local Bus 3.0 §3.2.2.3.2,
 * "configuration mechanism #1": ports 0xCF8/0xCFC), segment 0 only, offsets 0-255.
 * Used by the VT-d boot integration to resolve DMAR device-scope paths, to enumerate
 * the devices under an INCLUDE_PCI_ALL unit, and by the DMA self-test to drive edu.
 */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_ID	   0x00
#define PCI_DEVICE_ID	   0x02
#define PCI_COMMAND	   0x04
#define PCI_HEADER_TYPE	   0x0e
#define PCI_BAR0	   0x10
#define PCI_SECONDARY_BUS  0x19
#define PCI_SUBORDINATE	   0x1a
#define PCI_CMD_MEM	   0x0002 /* memory space enable */
#define PCI_CMD_BUS_MASTER 0x0004 /* bus master enable */
#define PCI_HDR_MULTIFUNC  0x80
#define PCI_HDR_TYPE_MASK  0x7f
#define PCI_HDR_BRIDGE	   0x01

/* bus:dev.fn as the 16-bit requester id (the VT-d source-id). */
#define PCI_BDF(bus, dev, fn) ((uint16_t)(((bus) << 8) | ((dev) << 3) | (fn)))

/*
 * pci_read8/16/32() - read configuration register @off (bytes, naturally aligned, < 256)
 * of segment-0 device @bdf. A function that does not exist reads all-ones.
 */
uint8_t pci_read8(uint16_t bdf, uint16_t off);
uint16_t pci_read16(uint16_t bdf, uint16_t off);
uint32_t pci_read32(uint16_t bdf, uint16_t off);

/* pci_write16() - write configuration register @off (naturally aligned, < 256). */
void pci_write16(uint16_t bdf, uint16_t off, uint16_t val);

/* pci_present() - true when function @bdf answers (vendor ID not 0xffff). */
bool pci_present(uint16_t bdf);

typedef void (*pci_visit_fn)(void *ctx, uint16_t bdf);

/*
 * pci_enumerate() - call @fn for every function present on buses 0-255 of segment 0
 * (brute force: every bus, device and function; multi-function devices by their header
 * type). Returns the number of functions visited.
 */
unsigned int pci_enumerate(pci_visit_fn fn, void *ctx);

/*
 * pci_find() - the first function (bus order) with @vendor:@device. Returns 0 and its
 * bdf in @out, or -ENODEV.
 */
int pci_find(uint16_t vendor, uint16_t device, uint16_t *out);

/*
 * pci_bar_mem() - HPA of memory BAR @index (0-5) of @bdf, 64-bit BARs included.
 * Returns 0 (address in @out, 0 when unassigned), -EINVAL for an I/O BAR.
 */
int pci_bar_mem(uint16_t bdf, unsigned int index, uint64_t *out);

/*
 * pci_dmar_read8() - the DMAR parser's configuration reader (iommu/dmar.h
 * vtd_pci_read8_fn): segment 0 only; 0xff for other segments. @ctx is unused.
 */
uint8_t pci_dmar_read8(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);

#endif /* HV_PCI_H */

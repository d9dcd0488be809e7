// SPDX-License-Identifier: MIT
/*
 * PCI configuration access through ports 0xCF8 (address) and 0xCFC (data), PCI Local
 * Bus 3.0 §3.2.2.3.2. The core runs on one CPU while it uses these (boot), so the
 * address/data pair needs no lock.
 */
#include <errno.h>

#include "hv/pci.h"
#include "hv/x86.h"

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc
#define PCI_CONF_EN   0x80000000u

static void select_reg(uint16_t bdf, uint16_t off)
{
	outl(PCI_CONF_ADDR, PCI_CONF_EN | ((uint32_t)bdf << 8) | (off & 0xfc));
}

uint8_t pci_read8(uint16_t bdf, uint16_t off)
{
	select_reg(bdf, off);
	return inb((uint16_t)(PCI_CONF_DATA + (off & 3)));
}

uint16_t pci_read16(uint16_t bdf, uint16_t off)
{
	select_reg(bdf, off);
	return inw((uint16_t)(PCI_CONF_DATA + (off & 2)));
}

uint32_t pci_read32(uint16_t bdf, uint16_t off)
{
	select_reg(bdf, off);
	return inl(PCI_CONF_DATA);
}

void pci_write16(uint16_t bdf, uint16_t off, uint16_t val)
{
	select_reg(bdf, off);
	outw((uint16_t)(PCI_CONF_DATA + (off & 2)), val);
}

bool pci_present(uint16_t bdf)
{
	return pci_read16(bdf, PCI_VENDOR_ID) != 0xffff;
}

unsigned int pci_enumerate(pci_visit_fn fn, void *ctx)
{
	unsigned int n = 0;

	for (unsigned int bus = 0; bus < 256; bus++) {
		for (unsigned int dev = 0; dev < 32; dev++) {
			uint16_t f0 = PCI_BDF(bus, dev, 0);
			unsigned int nfn;

			if (!pci_present(f0))
				continue;
			nfn = (pci_read8(f0, PCI_HEADER_TYPE) & PCI_HDR_MULTIFUNC) ? 8 : 1;
			for (unsigned int fn_no = 0; fn_no < nfn; fn_no++) {
				uint16_t bdf = PCI_BDF(bus, dev, fn_no);

				if (!pci_present(bdf))
					continue;
				if (fn)
					fn(ctx, bdf);
				n++;
			}
		}
	}
	return n;
}

int pci_find(uint16_t vendor, uint16_t device, uint16_t *out)
{
	uint32_t want = ((uint32_t)device << 16) | vendor;

	for (unsigned int bus = 0; bus < 256; bus++)
		for (unsigned int devfn = 0; devfn < 256; devfn++) {
			uint16_t bdf = (uint16_t)((bus << 8) | devfn);

			if (pci_read32(bdf, PCI_VENDOR_ID) == want) {
				*out = bdf;
				return 0;
			}
		}
	return -ENODEV;
}

int pci_bar_mem(uint16_t bdf, unsigned int index, uint64_t *out)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * index);
	uint32_t lo;
	uint64_t bar;

	if (index > 5)
		return -EINVAL;
	lo = pci_read32(bdf, off);
	if (lo & 1)
		return -EINVAL; /* I/O space */
	bar = lo & ~0xfull;
	if (((lo >> 1) & 3) == 2 && index < 5) /* 64-bit BAR: the next one holds bits 63:32 */
		bar |= (uint64_t)pci_read32(bdf, (uint16_t)(off + 4)) << 32;
	*out = bar;
	return 0;
}

uint8_t pci_dmar_read8(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	(void)ctx;
	if (seg != 0 || off > 255)
		return 0xff;
	return pci_read8(PCI_BDF(bus, dev, fn), off);
}

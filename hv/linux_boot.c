// SPDX-License-Identifier: MIT
/* Linux bzImage guests: the x86 boot protocol, 32-bit entry (hv/linux_boot.h). */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "linux"
#include "hv/linux_boot.h"
#include "hv/log.h"
#include "hv/mm.h"

#define TOP_32	       (1ull << 32)
#define LOW_1M	       0x100000ull
#define E820_REC       20u
#define BOOT_FLAG      0xaa55u
#define ALIGN_MAX      SIZE_1G
#define LOW_DATA_START 0x10000ull /* above the real-mode IVT, BDA and the usual boot area */
#define LOW_DATA_END   0x9f000ull /* below the EBDA */
#define CMDLINE_OFF    0u	  /* in the second boot-data page */
#define GDT_OFF	       0x800u
#define GDT_BOOT_CODE  0x00cf9a000000ffffull /* base 0, limit 4 GiB, 32-bit, exec/read */
#define GDT_BOOT_DATA  0x00cf92000000ffffull /* base 0, limit 4 GiB, 32-bit, read/write */
#define AVOID_MAX      3u

struct span {
	uint64_t base, len;
};

static uint8_t rd8(const uint8_t *p, uint32_t off)
{
	return p[off];
}

static uint16_t rd16(const uint8_t *p, uint32_t off)
{
	return (uint16_t)(p[off] | (p[off + 1] << 8));
}

static uint32_t rd32(const uint8_t *p, uint32_t off)
{
	return (uint32_t)rd16(p, off) | ((uint32_t)rd16(p, off + 2) << 16);
}

static uint64_t rd64(const uint8_t *p, uint32_t off)
{
	return (uint64_t)rd32(p, off) | ((uint64_t)rd32(p, off + 4) << 32);
}

static void wr16(uint8_t *p, uint32_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t off, uint32_t v)
{
	wr16(p, off, (uint16_t)v);
	wr16(p, off + 2, (uint16_t)(v >> 16));
}

static void wr64(uint8_t *p, uint32_t off, uint64_t v)
{
	wr32(p, off, (uint32_t)v);
	wr32(p, off + 4, (uint32_t)(v >> 32));
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * [base, base + len) (GPA, bytes) is free for the loader: inside one usable range of the
 * boot memory map, below 4 GiB, guest RAM in @m, on no module and on none of @avoid.
 */
static bool gpa_free(const struct boot_info *bi, const struct guest_map *m, uint64_t base,
		     uint64_t len, const struct span *avoid, unsigned int navoid)
{
	bool usable = false;

	if (!len || base + len < base || base + len > TOP_32)
		return false;
	for (uint32_t i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		if (r->type == BOOT_MEM_USABLE && base >= r->base &&
		    base + len <= r->base + r->size)
			usable = true;
	}
	if (!usable || guest_map_kind(m, base, len) != GUEST_MEM_RAM)
		return false;
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		if (overlaps(base, len, bi->modules[i].base, bi->modules[i].size))
			return false;
	for (unsigned int i = 0; i < navoid; i++)
		if (avoid[i].len && overlaps(base, len, avoid[i].base, avoid[i].len))
			return false;
	return true;
}

bool linux_boot_probe(const void *file, uint64_t len)
{
	const uint8_t *p = file;

	return file && len >= HDR_HEADER + 4 && rd16(p, HDR_BOOT_FLAG) == BOOT_FLAG &&
	       rd32(p, HDR_HEADER) == LINUX_HDR_MAGIC;
}

static uint32_t e820_type(uint32_t boot_type, uint8_t kind)
{
	if (kind != GUEST_MEM_RAM)
		return LINUX_E820_RESERVED;
	switch (boot_type) {
	case BOOT_MEM_USABLE:
	case BOOT_MEM_BOOT_DATA:
		return LINUX_E820_RAM;
	case BOOT_MEM_ACPI_RECLAIM:
		return LINUX_E820_ACPI;
	case BOOT_MEM_ACPI_NVS:
		return LINUX_E820_NVS;
	case BOOT_MEM_UNUSABLE:
		return LINUX_E820_UNUSABLE;
	default: /* firmware runtime, reserved: the guest keeps it mapped, not as RAM */
		return LINUX_E820_RESERVED;
	}
}

int linux_boot_e820(const struct boot_info *bi, const struct guest_map *m, uint8_t *out,
		    unsigned int max)
{
	unsigned int n = 0;
	uint64_t last_end = 0, last_type = 0;

	for (uint32_t i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mem_range *e = &bi->mmap[i];

		for (uint32_t j = 0; j < m->count; j++) {
			const struct guest_mem_range *g = &m->r[j];
			uint64_t lo = MAX(e->base, g->base);
			uint64_t hi = MIN(e->base + e->size, g->base + g->size);
			uint32_t type = e820_type(e->type, g->kind);
			uint8_t *rec;

			if (lo >= hi)
				continue;
			if (n && lo == last_end && type == last_type) {
				rec = out + (n - 1) * E820_REC;
				wr64(rec, 8, rd64(rec, 8) + (hi - lo));
				last_end = hi;
				continue;
			}
			if (n == max)
				return -ENOSPC;
			rec = out + n * E820_REC;
			wr64(rec, 0, lo);
			wr64(rec, 8, hi - lo);
			wr32(rec, 16, type);
			n++;
			last_end = hi;
			last_type = type;
		}
	}
	return (int)n;
}

/* The kernel's load address: pref_address, or for a relocatable kernel the lowest
 * @align-aligned free address above it (never below: the decompressor would move the
 * kernel to LOAD_PHYSICAL_ADDR, boot.rst "kernel_alignment"). 0 = none. */
static gpa_t place_kernel(const struct boot_info *bi, const struct guest_map *m, uint64_t pref,
			  uint64_t align, bool relocatable, uint64_t len)
{
	if (gpa_free(bi, m, pref, len, NULL, 0))
		return pref;
	if (!relocatable)
		return 0;
	for (uint64_t a = ALIGN_UP(pref, align); a + len <= TOP_32; a += align)
		if (gpa_free(bi, m, a, len, NULL, 0))
			return a;
	return 0;
}

/* The initrd: in place when it is guest RAM ending at or below @max_end and clear of
 * @avoid; else the highest free page-aligned spot that ends at or below @max_end. */
static gpa_t place_initrd(const struct boot_info *bi, const struct guest_map *m,
			  const struct boot_module *rd, uint64_t max_end, const struct span *avoid,
			  unsigned int navoid)
{
	uint64_t len = rd->size, best = 0;

	if (rd->base + len >= rd->base && rd->base + len <= max_end &&
	    guest_map_kind(m, rd->base, len) == GUEST_MEM_RAM) {
		bool clear = true;

		for (unsigned int i = 0; i < navoid; i++)
			if (overlaps(rd->base, len, avoid[i].base, avoid[i].len))
				clear = false;
		if (clear)
			return rd->base;
	}
	for (uint32_t i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		uint64_t end = MIN(r->base + r->size, max_end), cand[AVOID_MAX + 1];
		unsigned int nc = 0;

		if (r->type != BOOT_MEM_USABLE || end < len || end - len < r->base)
			continue;
		cand[nc++] = ALIGN_DOWN(end - len, PAGE_SIZE);
		for (unsigned int k = 0; k < navoid && nc < ARRAY_SIZE(cand); k++)
			if (avoid[k].base >= len)
				cand[nc++] = ALIGN_DOWN(avoid[k].base - len, PAGE_SIZE);
		for (unsigned int k = 0; k < nc; k++)
			if (cand[k] > best && cand[k] >= r->base &&
			    gpa_free(bi, m, cand[k], len, avoid, navoid))
				best = cand[k];
	}
	return best;
}

int linux_boot_load(const struct boot_info *bi, const struct boot_module *kmod,
		    const struct boot_module *initrd, const struct guest_map *m,
		    struct linux_image *img)
{
	const uint8_t *f = hpa_to_hva(kmod->base);
	struct span avoid[AVOID_MAX];
	uint32_t hdr_end, setup_sects, align, cmd_max, init_size, rd_max;
	uint64_t setup_len, pm_len, pref, cmd_len, low;
	uint8_t *bp, *data;
	int n;

	memset(img, 0, sizeof(*img));
	if (!linux_boot_probe(f, kmod->size)) {
		log_err("module 0 is not a bzImage (no 0xaa55 boot flag and \"HdrS\")");
		return -ENOEXEC;
	}
	img->version = rd16(f, HDR_VERSION);
	hdr_end = HDR_HEADER + rd8(f, HDR_JUMP + 1);
	if (img->version < LINUX_PROTO_MIN || hdr_end < HDR_INIT_SIZE + 4 ||
	    hdr_end > HDR_END_MAX || hdr_end > kmod->size) {
		log_err("bzImage: boot protocol %u.%02u or header end 0x%x not supported (need "
			"2.10+, end 0x%x..0x%x)",
			img->version >> 8, img->version & 0xff, hdr_end, HDR_INIT_SIZE + 4,
			HDR_END_MAX);
		return -ENOEXEC;
	}
	setup_sects = rd8(f, HDR_SETUP_SECTS) ? rd8(f, HDR_SETUP_SECTS) : 4;
	setup_len = (setup_sects + 1ull) * 512;
	align = rd32(f, HDR_KERNEL_ALIGNMENT);
	pref = rd64(f, HDR_PREF_ADDRESS);
	init_size = rd32(f, HDR_INIT_SIZE);
	cmd_max = rd32(f, HDR_CMDLINE_SIZE);
	rd_max = rd32(f, HDR_INITRD_ADDR_MAX);
	if (setup_len >= kmod->size || align < PAGE_SIZE || align > ALIGN_MAX ||
	    (align & (align - 1)) || !IS_ALIGNED(pref, PAGE_SIZE) || pref >= TOP_32 ||
	    pref < LINUX_LOW_LIMIT) {
		log_err("bzImage: bad layout: setup 0x%llx of 0x%llx bytes, kernel_alignment "
			"0x%x, pref_address 0x%llx",
			(unsigned long long)setup_len, (unsigned long long)kmod->size, align,
			(unsigned long long)pref);
		return -ENOEXEC;
	}
	pm_len = kmod->size - setup_len;
	img->kernel_len = ALIGN_UP(MAX(pm_len, (uint64_t)init_size), PAGE_SIZE);
	cmd_len = strnlen(kmod->cmdline, BOOT_CMDLINE_MAX - 1);
	if (cmd_len > cmd_max || cmd_len + 1 > GDT_OFF) {
		log_err("bzImage: command line of %llu bytes, the kernel takes %u",
			(unsigned long long)cmd_len, cmd_max);
		return -E2BIG;
	}

	img->kernel = place_kernel(bi, m, pref, align, rd8(f, HDR_RELOCATABLE) != 0,
				   img->kernel_len);
	if (!img->kernel) {
		log_err("bzImage: no free guest RAM for 0x%llx bytes at 0x%llx%s",
			(unsigned long long)img->kernel_len, (unsigned long long)pref,
			rd8(f, HDR_RELOCATABLE) ? " or above" : " (not relocatable)");
		return rd8(f, HDR_RELOCATABLE) ? -ENOMEM : -ENOEXEC;
	}
	avoid[0] = (struct span){ img->kernel, img->kernel_len };
	for (low = LOW_DATA_START; low + LINUX_BOOT_DATA_BYTES <= LOW_DATA_END; low += PAGE_SIZE)
		if (gpa_free(bi, m, low, LINUX_BOOT_DATA_BYTES, avoid, 1))
			break;
	if (low + LINUX_BOOT_DATA_BYTES > LOW_DATA_END) {
		log_err("bzImage: no free guest RAM below 1 MiB for boot_params");
		return -ENOMEM;
	}
	avoid[1] = (struct span){ low, LINUX_BOOT_DATA_BYTES };
	if (initrd && initrd->size) {
		uint64_t max_end = MIN((uint64_t)rd_max + 1, TOP_32);

		img->initrd_len = initrd->size;
		img->initrd = place_initrd(bi, m, initrd, max_end, avoid, 2);
		if (!img->initrd) {
			log_err("bzImage: no free guest RAM below 0x%llx for a %llu-byte initrd",
				(unsigned long long)max_end, (unsigned long long)initrd->size);
			return -ENOMEM;
		}
	}

	/* Checked; now write. The zero page first: its e820 count may still fail. */
	img->params = low;
	img->cmdline = low + PAGE_SIZE + CMDLINE_OFF;
	img->gdt = low + PAGE_SIZE + GDT_OFF;
	bp = hpa_to_hva(img->params);
	memset(bp, 0, LINUX_BOOT_DATA_BYTES);
	n = linux_boot_e820(bi, m, bp + BP_E820_TABLE, LINUX_E820_MAX);
	if (n < 0) {
		log_err("bzImage: more than %u e820 entries", LINUX_E820_MAX);
		return n;
	}
	img->e820_count = (uint32_t)n;
	bp[BP_E820_ENTRIES] = (uint8_t)n;
	memcpy(bp + BP_HDR, f + BP_HDR, hdr_end - BP_HDR);
	bp[HDR_TYPE_OF_LOADER] = LINUX_LOADER_UNDEF;
	bp[HDR_LOADFLAGS] = (uint8_t)((rd8(f, HDR_LOADFLAGS) | LOADFLAGS_LOADED_HIGH) &
				      ~LOADFLAGS_CAN_USE_HEAP); /* no real-mode heap: 32-bit */
	wr16(bp, HDR_HEAP_END_PTR, 0);
	wr32(bp, HDR_CODE32_START, (uint32_t)img->kernel);
	wr32(bp, HDR_CMD_LINE_PTR, (uint32_t)img->cmdline);
	wr32(bp, HDR_RAMDISK_IMAGE, (uint32_t)img->initrd);
	wr32(bp, HDR_RAMDISK_SIZE, (uint32_t)img->initrd_len);
	if (img->version >= LINUX_PROTO_RSDP)
		wr64(bp, BP_ACPI_RSDP_ADDR, bi->rsdp);

	data = bp + PAGE_SIZE;
	memcpy(data + CMDLINE_OFF, kmod->cmdline, cmd_len);
	data[CMDLINE_OFF + cmd_len] = '\0';
	wr64(data, GDT_OFF + LINUX_BOOT_CS, GDT_BOOT_CODE);
	wr64(data, GDT_OFF + LINUX_BOOT_DS, GDT_BOOT_DATA);

	if (img->initrd && img->initrd != initrd->base)
		memmove(hpa_to_hva(img->initrd), hpa_to_hva(initrd->base), initrd->size);
	memcpy(hpa_to_hva(img->kernel), f + setup_len, pm_len);
	log_info("bzImage protocol %u.%02u: kernel [0x%llx+0x%llx) entry 0x%llx, boot_params "
		 "0x%llx, %u e820 entries, initrd [0x%llx+0x%llx), RSDP 0x%llx",
		 img->version >> 8, img->version & 0xff, (unsigned long long)img->kernel,
		 (unsigned long long)img->kernel_len, (unsigned long long)img->kernel,
		 (unsigned long long)img->params, img->e820_count, (unsigned long long)img->initrd,
		 (unsigned long long)img->initrd_len, (unsigned long long)bi->rsdp);
	return 0;
}

gpa_t linux_boot_acpi_space(const struct boot_info *bi, const struct guest_map *m, gpa_t params,
			    uint64_t len)
{
	const uint8_t *bp;
	struct span avoid[3];
	unsigned int n;

	if (!params || !len || !host_hpa_mapped(params, LINUX_BOOT_DATA_BYTES))
		return 0;
	bp = hpa_to_hva(params);
	len = ALIGN_UP(len, PAGE_SIZE);
	avoid[0] = (struct span){ params, LINUX_BOOT_DATA_BYTES };
	avoid[1] = (struct span){ rd32(bp, HDR_CODE32_START), rd32(bp, HDR_INIT_SIZE) };
	avoid[2] = (struct span){ rd32(bp, HDR_RAMDISK_IMAGE), rd32(bp, HDR_RAMDISK_SIZE) };
	n = bp[BP_E820_ENTRIES];
	/* Highest first, from the RAM entries of the guest's own e820 table, above 1 MiB. */
	for (unsigned int i = n; i-- > 0;) {
		const uint8_t *rec = bp + BP_E820_TABLE + i * E820_REC;
		uint64_t lo = MAX(rd64(rec, 0), LOW_1M),
			 hi = MIN(rd64(rec, 0) + rd64(rec, 8), TOP_32);

		if (rd32(rec, 16) != LINUX_E820_RAM || hi < lo + len)
			continue;
		for (uint64_t b = ALIGN_DOWN(hi - len, PAGE_SIZE); b >= lo && b + len <= hi;
		     b -= PAGE_SIZE) {
			if (gpa_free(bi, m, b, len, avoid, ARRAY_SIZE(avoid)))
				return b;
			if (b < lo + PAGE_SIZE)
				break;
		}
	}
	return 0;
}

int linux_boot_set_acpi(gpa_t params, gpa_t rsdp, gpa_t base, uint64_t len)
{
	uint8_t *bp, *t, rec[3][E820_REC];
	unsigned int n, i, k = 0;
	uint64_t lo, end;

	if (!params || !host_hpa_mapped(params, LINUX_BOOT_DATA_BYTES) || !len || base + len < base)
		return -EINVAL;
	bp = hpa_to_hva(params);
	t = bp + BP_E820_TABLE;
	n = MIN(bp[BP_E820_ENTRIES], LINUX_E820_MAX);
	if (rd16(bp, HDR_VERSION) < LINUX_PROTO_RSDP)
		return -EOPNOTSUPP;
	len = ALIGN_UP(len, PAGE_SIZE);
	for (i = 0; i < n; i++) {
		lo = rd64(t + i * E820_REC, 0);
		end = lo + rd64(t + i * E820_REC, 8);
		if (rd32(t + i * E820_REC, 16) == LINUX_E820_RAM && base >= lo && base + len <= end)
			break;
	}
	if (i == n)
		return -ENOENT;
	/* Split RAM entry i into [lo, base) RAM, [base, base + len) reserved, the rest RAM. */
	if (base > lo) {
		wr64(rec[k], 0, lo), wr64(rec[k], 8, base - lo), wr32(rec[k], 16, LINUX_E820_RAM);
		k++;
	}
	wr64(rec[k], 0, base), wr64(rec[k], 8, len), wr32(rec[k], 16, LINUX_E820_RESERVED);
	k++;
	if (base + len < end) {
		wr64(rec[k], 0, base + len), wr64(rec[k], 8, end - base - len);
		wr32(rec[k], 16, LINUX_E820_RAM);
		k++;
	}
	if (n - 1 + k > LINUX_E820_MAX)
		return -ENOSPC;
	memmove(t + (i + k) * E820_REC, t + (i + 1) * E820_REC, (n - i - 1) * E820_REC);
	memcpy(t + i * E820_REC, rec, k * E820_REC);
	bp[BP_E820_ENTRIES] = (uint8_t)(n - 1 + k);
	wr64(bp, BP_ACPI_RSDP_ADDR, rsdp);
	return 0;
}

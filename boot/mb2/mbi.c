// SPDX-License-Identifier: MIT
/*
 * Multiboot2 boot information -> struct boot_info (boot/mb2/mbi.h). Portable: the boot
 * path (boot/mb2/mb2.c) and the hosted unit tests both use it.
 *
 * The MBI comes from the boot loader and is checked like any outside input: two walks over
 * the same code, the first only validates (so a malformed list changes nothing), the second
 * fills boot_info.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "boot/mb2/mbi.h"
#include "hv/cmdline.h"
#include "hv/memmap.h"
#include "hv/types.h"

/* ACPI 6.5 5.2.5.3: RSDP sizes, revision 0 (ACPI 1.0) and revision 2+. */
#define ACPI_RSDP_V1_SIZE 20u
#define ACPI_RSDP_V2_SIZE 36u

#define SIZE_1M (1ull << 20)
#define SIZE_4G (1ull << 32)

/* One walk over the tag list: validating (@bi == NULL) or filling. */
struct mbi_walk {
	const uint8_t *mbi;
	uint64_t mbi_pa;
	uint32_t total;
	struct boot_info *bi; /* NULL: validate only */
	struct mbi_report *rep;
	uint64_t rsdp_old, rsdp_new; /* HPAs of the RSDP copies, 0 = none */
	uint32_t mmap_tags;
};

static int mbi_bad(struct mbi_walk *w, const char *why, uint64_t value)
{
	w->rep->error = why;
	w->rep->error_value = value;
	return -EINVAL;
}

/*
 * mbi_copy_string() - copy the string in [@src, @src + @avail) into @dst (@dst_len bytes,
 * NUL included). The string ends at its NUL or at the end of the tag, whichever comes
 * first: never reads past the tag. Returns true when it was cut.
 */
static bool mbi_copy_string(char *dst, size_t dst_len, const char *src, size_t avail)
{
	size_t n = 0;

	while (n < avail && src[n] != '\0')
		n++;
	if (n >= dst_len) {
		memcpy(dst, src, dst_len - 1);
		dst[dst_len - 1] = '\0';
		return true;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return false;
}

/* Spec 3.6.8 entry type -> enum boot_mem_type; 2 and anything unknown is reserved. */
static uint32_t mbi_mem_type(uint32_t type)
{
	switch (type) {
	case MB2_MMAP_AVAILABLE:
		return BOOT_MEM_USABLE;
	case MB2_MMAP_ACPI_RECLAIM:
		return BOOT_MEM_ACPI_RECLAIM;
	case MB2_MMAP_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case MB2_MMAP_BADRAM:
		return BOOT_MEM_UNUSABLE;
	default:
		return BOOT_MEM_RESERVED;
	}
}

static int mbi_mmap(struct mbi_walk *w, const struct mb2_tag_mmap *t, uint32_t size)
{
	const uint8_t *p = (const uint8_t *)t + sizeof(*t);
	uint32_t count;

	/* Spec 3.6.8: entry_size is a multiple of 8; it must cover the fields we read. */
	if (size < sizeof(*t))
		return mbi_bad(w, "memory-map tag shorter than its header", size);
	if (t->entry_size < sizeof(struct mb2_mmap_entry) || t->entry_size % 8)
		return mbi_bad(w, "memory-map entry size", t->entry_size);
	count = (size - (uint32_t)sizeof(*t)) / t->entry_size;
	w->mmap_tags++;
	if (!w->bi)
		return 0;
	w->rep->mmap_entries += count;
	for (uint32_t i = 0; i < count; i++, p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const struct mb2_mmap_entry *)p;

		/* An empty entry, or one that wraps past 2^64, describes nothing usable. */
		if (e->length == 0 || e->base_addr + e->length < e->base_addr)
			continue;
		if (memmap_add(w->bi, e->base_addr, e->length, mbi_mem_type(e->type)) == -ENOSPC)
			return -ENOSPC;
	}
	return 0;
}

static int mbi_module(struct mbi_walk *w, const struct mb2_tag_module *t, uint32_t size)
{
	struct boot_info *bi = w->bi;
	struct boot_module *m;

	if (size < sizeof(*t))
		return mbi_bad(w, "module tag shorter than its fields", size);
	if (t->mod_end < t->mod_start)
		return mbi_bad(w, "module ends before it starts", t->mod_start);
	if (!bi)
		return 0;
	if (bi->module_count >= BOOT_MODULES_MAX) {
		w->rep->modules_dropped++;
		return 0;
	}
	m = &bi->modules[bi->module_count++];
	m->base = t->mod_start;
	m->size = t->mod_end - t->mod_start;
	mbi_copy_string(m->cmdline, sizeof(m->cmdline), t->cmdline, size - sizeof(*t));
	return 0;
}

/* mbi_tag() - one tag at @off, @size already checked to lie within total_size. */
static int mbi_tag(struct mbi_walk *w, uint32_t off, uint32_t type, uint32_t size)
{
	const struct mb2_tag *tag = (const struct mb2_tag *)(w->mbi + off);
	uint64_t body_pa = w->mbi_pa + off + sizeof(*tag);

	switch (type) {
	case MB2_TAG_CMDLINE:
		/* Spec 3.6.3: a NUL-terminated string follows the header. */
		if (w->bi)
			w->rep->cmdline_cut =
				mbi_copy_string(w->bi->cmdline, sizeof(w->bi->cmdline),
						(const char *)(tag + 1), size - sizeof(*tag));
		return 0;
	case MB2_TAG_MODULE:
		return mbi_module(w, (const struct mb2_tag_module *)tag, size);
	case MB2_TAG_MMAP:
		return mbi_mmap(w, (const struct mb2_tag_mmap *)tag, size);
	case MB2_TAG_ACPI_OLD:
		/* Spec 3.6.14: a copy of the ACPI 1.0 RSDP follows the header. */
		if (size >= sizeof(*tag) + ACPI_RSDP_V1_SIZE)
			w->rsdp_old = body_pa;
		return 0;
	case MB2_TAG_ACPI_NEW:
		/* Spec 3.6.15: a copy of the ACPI 2.0+ RSDP (with the XSDT address). */
		if (size >= sizeof(*tag) + ACPI_RSDP_V2_SIZE)
			w->rsdp_new = body_pa;
		return 0;
	default:
		return 0; /* spec 3.6.2: a tag the OS does not know is skipped */
	}
}

/* mbi_walk() - every tag up to the end tag; each one's size is checked before it is read. */
static int mbi_walk(struct mbi_walk *w)
{
	uint32_t off = sizeof(struct mb2_info);

	while (off <= w->total - sizeof(struct mb2_tag)) {
		const struct mb2_tag *tag = (const struct mb2_tag *)(w->mbi + off);
		uint32_t type = tag->type, size = tag->size;
		int ret;

		if (size < sizeof(*tag) || size > w->total - off)
			return mbi_bad(w, "tag size outside total_size, at offset", off);
		if (type == MB2_TAG_END)
			return w->mmap_tags ? 0 : mbi_bad(w, "no memory-map tag", 0);
		ret = mbi_tag(w, off, type, size);
		if (ret)
			return ret;
		/* size <= total - off and total < 2^32 - 8: no overflow. */
		off += ALIGN_UP(size, MB2_TAG_ALIGN);
	}
	return mbi_bad(w, "no end tag within total_size", w->total);
}

int mbi_parse(struct boot_info *bi, const void *mbi, uint64_t mbi_pa, uint64_t readable,
	      struct mbi_report *rep)
{
	struct mbi_walk w = { .mbi = mbi, .mbi_pa = mbi_pa, .rep = rep };
	int ret;

	memset(rep, 0, sizeof(*rep));
	if (readable < sizeof(struct mb2_info) || mbi_pa % MB2_TAG_ALIGN)
		return mbi_bad(&w, "boot information address", mbi_pa);
	w.total = ((const struct mb2_info *)mbi)->total_size;
	rep->total_size = w.total;
	/* The fixed part and an end tag at least (spec 3.6.1); the MBI lies below 4 GiB. */
	if (w.total < sizeof(struct mb2_info) + sizeof(struct mb2_tag) || w.total > readable ||
	    w.total > SIZE_4G - MB2_TAG_ALIGN)
		return mbi_bad(&w, "total_size", w.total);

	ret = mbi_walk(&w); /* validate only */
	if (ret)
		return ret;
	w.bi = bi;
	w.mmap_tags = 0;
	w.rsdp_old = w.rsdp_new = 0;
	ret = mbi_walk(&w);
	if (ret)
		return ret;

	bi->rsdp = w.rsdp_new ? w.rsdp_new : w.rsdp_old;
	if (memmap_add(bi, mbi_pa, w.total, BOOT_MEM_BOOT_DATA))
		return -ENOSPC;
	for (uint32_t i = 0; i < bi->module_count; i++) {
		if (bi->modules[i].size &&
		    memmap_add(bi, bi->modules[i].base, bi->modules[i].size, BOOT_MEM_BOOT_DATA))
			return -ENOSPC;
	}
	return 0;
}

uint64_t mbi_pool_bytes(const char *cmdline, uint64_t def_bytes, bool *bad)
{
	char val[24];
	uint64_t n = 0;
	size_t i = 0;

	*bad = false;
	if (!cmdline_get(cmdline, "pool", val, sizeof(val)))
		return def_bytes;
	while (val[i] >= '0' && val[i] <= '9' && n < SIZE_4G)
		n = n * 10 + (uint64_t)(val[i++] - '0');
	if (i > 0 && n > 0 && n < SIZE_4G / SIZE_1M) {
		if (val[i] == '\0' || ((val[i] == 'M' || val[i] == 'm') && val[i + 1] == '\0'))
			return n * SIZE_1M;
		if ((val[i] == 'G' || val[i] == 'g') && val[i + 1] == '\0' && n < 4)
			return n << 30;
	}
	*bad = true;
	return def_bytes;
}

uint64_t mbi_find_pool(const struct boot_info *bi, uint64_t floor, uint64_t limit, uint64_t want,
		       uint64_t *got)
{
	uint64_t best = 0, best_size = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		uint64_t lo = MAX(r->base, floor);
		uint64_t hi = MIN(r->base + r->size, limit);
		/* Rounding up near 2^64 would wrap to 0: then there is no aligned start. */
		uint64_t lo2m = lo <= UINT64_MAX - SIZE_2M ? ALIGN_UP(lo, SIZE_2M) : hi;

		if (r->type != BOOT_MEM_USABLE || hi <= lo)
			continue;
		if (lo2m < hi && hi - lo2m >= want) {
			*got = want;
			return lo2m;
		}
		if (hi - lo >= want) {
			*got = want;
			return lo;
		}
		if (hi - lo > best_size) {
			best = lo;
			best_size = hi - lo;
		}
	}
	*got = best_size;
	return best;
}

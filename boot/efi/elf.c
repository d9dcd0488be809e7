// SPDX-License-Identifier: MIT
/*
 * The embedded core, hv.elf: validated as an ELF64 x86-64 executable before a byte of
 * it is trusted, then its PT_LOAD segments are copied to where the loader allocated the
 * image. The image is position-independent in physical memory: segment p_paddr minus
 * hv_image_header.link_pa is the offset in the image, and the core runs at
 * HV_IMAGE_VBASE + offset whatever its physical address (hv/layout.h).
 *
 * Structures from the System V ABI (gABI, "Object Files"), declared here since the
 * freestanding headers have no <elf.h>.
 */
#include "boot/efi/loader.h"
#include "hv/layout.h"

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

#define EI_CLASS      4
#define EI_DATA	      5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC	      2
#define EM_X86_64     62
#define PT_LOAD	      1
#define ELF_PHNUM_MAX 64 /* more is not a linker.ld output */

/* a + b <= limit, without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

static const struct elf64_phdr *phdr(const struct elf_image *img, unsigned int i)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)img->file;

	return (const struct elf64_phdr *)(img->file + eh->e_phoff) + i;
}

static EFI_STATUS check_ehdr(const uint8_t *file, uint64_t size)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;

	if (size < sizeof(*eh) || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' ||
	    file[3] != 'F') {
		Print(L"efi: elf: not an ELF file (%lu bytes)\n", size);
		return EFI_LOAD_ERROR;
	}
	if (file[EI_CLASS] != ELFCLASS64 || file[EI_DATA] != ELFDATA2LSB ||
	    file[EI_VERSION] != EV_CURRENT || eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64) {
		Print(L"efi: elf: not an x86-64 ELF64 executable (class %d, type %d, machine %d)\n",
		      file[EI_CLASS], eh->e_type, eh->e_machine);
		return EFI_LOAD_ERROR;
	}
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_PHNUM_MAX || (eh->e_phoff & 7) ||
	    !fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size)) {
		Print(L"efi: elf: bad program header table (off 0x%lx, %d x %d bytes)\n",
		      eh->e_phoff, eh->e_phnum, eh->e_phentsize);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

/*
 * Each PT_LOAD's file bytes inside the file, p_filesz <= p_memsz, no wrap-around.
 * @min_pa: set to the lowest p_paddr, the image's physical start as linked.
 */
static EFI_STATUS check_segments(const struct elf_image *img, uint64_t *min_pa)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)img->file;
	unsigned int loads = 0;

	*min_pa = UINT64_MAX;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = phdr(img, i);

		if (ph->p_type != PT_LOAD)
			continue;
		if (!fits(ph->p_offset, ph->p_filesz, img->file_size) ||
		    ph->p_filesz > ph->p_memsz || !fits(ph->p_paddr, ph->p_memsz, UINT64_MAX)) {
			Print(L"efi: elf: PT_LOAD %d out of bounds (off 0x%lx filesz 0x%lx memsz 0x%lx "
			      L"paddr 0x%lx)\n",
			      i, ph->p_offset, ph->p_filesz, ph->p_memsz, ph->p_paddr);
			return EFI_LOAD_ERROR;
		}
		if (ph->p_paddr < *min_pa)
			*min_pa = ph->p_paddr;
		loads++;
	}
	if (!loads) {
		Print(L"efi: elf: no PT_LOAD segment\n");
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

/* A header candidate at image offset @off: magic and every field in range. */
static bool header_valid(const struct hv_image_header *h, uint64_t min_pa)
{
	uint64_t size;

	if (h->magic != HV_IMAGE_HEADER_MAGIC)
		return false;
	if (h->end_va <= HV_IMAGE_VBASE || (h->end_va & (EFI_PAGE_BYTES - 1)))
		return false;
	size = h->end_va - HV_IMAGE_VBASE;
	if (size > ELF_IMAGE_MAX || h->link_pa != min_pa)
		return false;
	return h->entry_va >= HV_IMAGE_VBASE && h->entry_va < h->end_va;
}

/*
 * Search image offsets [0, HV_IMAGE_HEADER_SEARCH) as the file lays them out (loading
 * needs the image size, which only the header gives). Bytes not backed by the file
 * would be zero after loading and cannot hold the magic.
 */
static EFI_STATUS find_header(struct elf_image *img, uint64_t min_pa)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)img->file;

	for (uint64_t off = 0; off < HV_IMAGE_HEADER_SEARCH; off += 8) {
		for (unsigned int i = 0; i < eh->e_phnum; i++) {
			const struct elf64_phdr *ph = phdr(img, i);
			const struct hv_image_header *h;
			uint64_t seg_off;

			if (ph->p_type != PT_LOAD || min_pa + off < ph->p_paddr)
				continue;
			seg_off = min_pa + off - ph->p_paddr;
			if (!fits(seg_off, sizeof(*h), ph->p_filesz))
				continue;
			/* Read in place only when aligned: the struct has 8-byte fields. */
			if ((ph->p_offset + seg_off) & 7)
				continue;
			h = (const struct hv_image_header *)(img->file + ph->p_offset + seg_off);
			if (!header_valid(h, min_pa))
				continue;
			img->link_pa = h->link_pa;
			img->size = h->end_va - HV_IMAGE_VBASE;
			img->entry_va = h->entry_va;
			/* Optional: 0 (or out of the image) means no AP entry. */
			img->ap_entry_va = h->ap_entry_va >= HV_IMAGE_VBASE &&
							   h->ap_entry_va < h->end_va ?
						   h->ap_entry_va :
						   0;
			img->header_off = off;
			return EFI_SUCCESS;
		}
	}
	Print(L"efi: elf: no valid image header (magic 0x%lx) in the first %d bytes\n",
	      HV_IMAGE_HEADER_MAGIC, HV_IMAGE_HEADER_SEARCH);
	return EFI_LOAD_ERROR;
}

EFI_STATUS elf_inspect(const uint8_t *file, uint64_t size, struct elf_image *img)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)file;
	uint64_t min_pa;
	EFI_STATUS st;

	SetMem(img, sizeof(*img), 0);
	img->file = file;
	img->file_size = size;
	if (((uintptr_t)file & 7) != 0) {
		Print(L"efi: elf: file not 8-byte aligned\n");
		return EFI_LOAD_ERROR;
	}
	st = check_ehdr(file, size);
	if (EFI_ERROR(st))
		return st;
	st = check_segments(img, &min_pa);
	if (EFI_ERROR(st))
		return st;
	st = find_header(img, min_pa);
	if (EFI_ERROR(st))
		return st;

	/* Every segment inside the image the header describes. */
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = phdr(img, i);

		if (ph->p_type != PT_LOAD)
			continue;
		if (!fits(ph->p_paddr - img->link_pa, ph->p_memsz, img->size)) {
			Print(L"efi: elf: PT_LOAD %d (paddr 0x%lx, 0x%lx bytes) beyond the image end "
			      L"(0x%lx bytes)\n",
			      i, ph->p_paddr, ph->p_memsz, img->size);
			return EFI_LOAD_ERROR;
		}
	}
	return EFI_SUCCESS;
}

EFI_STATUS elf_load(const struct elf_image *img, uint8_t *dest)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)img->file;
	const struct hv_image_header *h;

	/* Zero first: bss, the gaps between segments and the page tails. */
	SetMem(dest, img->size, 0);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = phdr(img, i);

		if (ph->p_type != PT_LOAD || ph->p_filesz == 0)
			continue;
		CopyMem(dest + (ph->p_paddr - img->link_pa), img->file + ph->p_offset,
			ph->p_filesz);
	}

	/* The header as the core will see it: the search again, in the loaded image. */
	h = (const struct hv_image_header *)(dest + img->header_off);
	if (!header_valid(h, img->link_pa) || h->entry_va != img->entry_va ||
	    h->end_va - HV_IMAGE_VBASE != img->size) {
		Print(L"efi: elf: image header at offset 0x%lx differs after loading\n",
		      img->header_off);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

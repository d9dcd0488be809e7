// SPDX-License-Identifier: MIT
/* The Multiboot2 guest kernel loader (hv/guest_load.h): ELF64 (System V gABI). */
#include <errno.h>
#include <string.h>
#define LOG_PREFIX "guest"
#include "guest/include/vsva_hv.h"
#include "hv/guest_load.h"
#include "hv/linux_boot.h"
#include "hv/log.h"
#include "hv/mm.h"

#define EI_NIDENT      16
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define ET_EXEC	       2
#define EM_X86_64      62
#define PT_LOAD	       1
#define PF_X	       1
#define GUEST_TOP_32   (1ull << 32)
#define GUEST_PHDR_MAX 16u

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* [base, base + size) lies in one usable range of the boot memory map, below 4 GiB,
 * and on no module. */
static bool target_ok(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	bool in_usable = false;

	if (!size || base + size < base || base + size > GUEST_TOP_32)
		return false;
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		if (r->type == BOOT_MEM_USABLE && base >= r->base &&
		    base + size <= r->base + r->size)
			in_usable = true;
	}
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
		const struct boot_module *mo = &bi->modules[i];

		if (base < mo->base + mo->size && mo->base < base + size)
			return false;
	}
	return in_usable;
}

/* A bzImage: the Linux 32-bit boot protocol (hv/linux_boot.h); module 1 is the initrd. */
static int guest_load_linux(const struct boot_info *bi, const struct boot_module *mod,
			    const struct guest_map *m, struct guest_image *img)
{
	const struct boot_module *rd = NULL;
	struct linux_image li;
	int ret;

	if (mod == &bi->modules[0] && bi->module_count > 1)
		rd = &bi->modules[1];
	ret = linux_boot_load(bi, mod, rd, m, &li);
	if (ret)
		return ret;
	img->entry = li.kernel;
	img->boot_gpa = li.params;
	img->low = li.kernel;
	img->high = li.kernel + li.kernel_len;
	img->linux_params = li.params;
	img->linux_gdt = li.gdt;
	return 0;
}

int guest_load(const struct boot_info *bi, const struct boot_module *mod, const struct guest_map *m,
	       struct guest_image *img)
{
	const uint8_t *file = hpa_to_hva(mod->base);
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_phdr *ph;
	struct vsva_guest_boot *boot;
	uint64_t low = UINT64_MAX, high = 0, cmd_len;
	bool entry_ok = false;

	img->linux_params = 0;
	img->linux_gdt = 0;
	if (linux_boot_probe(file, mod->size))
		return guest_load_linux(bi, mod, m, img);
	if (mod->size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) ||
	    eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB) {
		log_info("module 0 (%llu bytes) is not an ELF64 image",
			 (unsigned long long)mod->size);
		return -ENOEXEC;
	}
	if (eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 || eh->e_phentsize != sizeof(*ph) ||
	    !eh->e_phnum || eh->e_phnum > GUEST_PHDR_MAX || eh->e_phoff > mod->size ||
	    (uint64_t)eh->e_phnum * sizeof(*ph) > mod->size - eh->e_phoff) {
		log_info("module 0: not an x86-64 ELF executable with %u..%u program headers", 1,
			 GUEST_PHDR_MAX);
		return -ENOEXEC;
	}
	ph = (const void *)(file + eh->e_phoff);
	/* Check every segment before copying any (a rejected image changes nothing). */
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > mod->size ||
		    ph[i].p_filesz > mod->size - ph[i].p_offset) {
			log_err("module 0: segment %u lies outside the file", i);
			return -ENOEXEC;
		}
		if (!target_ok(bi, ph[i].p_paddr, ph[i].p_memsz) ||
		    guest_map_kind(m, ph[i].p_paddr, ph[i].p_memsz) != GUEST_MEM_RAM) {
			log_err("module 0: segment %u [0x%llx+0x%llx) is not in free usable RAM "
				"below 4 GiB",
				i, (unsigned long long)ph[i].p_paddr,
				(unsigned long long)ph[i].p_memsz);
			return -EFAULT;
		}
		low = MIN(low, ph[i].p_paddr);
		high = MAX(high, ph[i].p_paddr + ph[i].p_memsz);
		if ((ph[i].p_flags & PF_X) && eh->e_entry >= ph[i].p_paddr &&
		    eh->e_entry < ph[i].p_paddr + ph[i].p_memsz)
			entry_ok = true;
	}
	if (!entry_ok) {
		log_err("module 0: entry 0x%llx is in no executable segment",
			(unsigned long long)eh->e_entry);
		return -ENOEXEC;
	}
	cmd_len = strnlen(mod->cmdline, BOOT_CMDLINE_MAX - 1);
	img->boot_gpa = ALIGN_UP(high, PAGE_SIZE);
	img->high = img->boot_gpa + sizeof(*boot) + cmd_len + 1;
	if (!target_ok(bi, img->boot_gpa, img->high - img->boot_gpa)) {
		log_err("module 0: no usable RAM after the image for the boot data");
		return -EFAULT;
	}
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		uint8_t *dst = hpa_to_hva(ph[i].p_paddr);

		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		memcpy(dst, file + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
	boot = hpa_to_hva(img->boot_gpa);
	memset(boot, 0, sizeof(*boot));
	boot->size = sizeof(*boot);
	boot->cmdline_len = (uint32_t)cmd_len;
	boot->cmdline_gpa = img->boot_gpa + sizeof(*boot);
	boot->ram_bytes = m->ram_bytes;
	boot->free_gpa = ALIGN_UP(img->high, PAGE_SIZE);
	memcpy(boot + 1, mod->cmdline, cmd_len);
	((char *)(boot + 1))[cmd_len] = '\0';
	img->entry = eh->e_entry;
	img->low = low;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * MMIO instruction decoding and the guest page walk that fetches it (hv/mmio_decode.h).
 * Encodings: SDM Vol. 2A ch. 2 (prefixes, REX, ModR/M, SIB), Vol. 2B "MOV"; paging:
 * SDM Vol. 3A ch. 4.
 */
#include <errno.h>
#include <string.h>
#include "hv/mm.h"
#include "hv/mmio_decode.h"

#define CR0_PG	   BIT(31)
#define CR4_PSE	   BIT(4)
#define CR4_PAE	   BIT(5)
#define CR4_LA57   BIT(12)
#define EFER_LMA   BIT(10)
#define PTE_P	   BIT(0)
#define PTE_PS	   BIT(7)
#define PTE_ADDR   0x000ffffffffff000ull
#define REX_W	   BIT(3)
#define REX_R	   BIT(2)
#define OP_LOAD	   0x8b
#define OP_STORE   0x89
#define OP_STORE_I 0xc7

static int reject(struct mmio_insn *out, const char *why)
{
	out->why = why;
	return -EINVAL;
}

static bool is_segment_prefix(uint8_t p)
{
	return p == 0x26 || p == 0x2e || p == 0x36 || p == 0x3e || p == 0x64 || p == 0x65;
}

/* ModR/M (+ SIB + displacement) length for 32/64-bit addressing (SDM Vol. 2A Table 2-2,
 * 2-3); 0 for a register operand (mod = 3), which is no memory access. */
static unsigned int modrm_len(const uint8_t *b, unsigned int i, unsigned int n, int *err)
{
	uint8_t modrm, mod, rm;
	unsigned int len = 1;

	*err = 0;
	if (i >= n) {
		*err = -EFAULT;
		return 0;
	}
	modrm = b[i];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return 0;
	if (rm == 4) { /* SIB follows */
		if (i + 1 >= n) {
			*err = -EFAULT;
			return 0;
		}
		len++;
		if (mod == 0 && (b[i + 1] & 7) == 5)
			len += 4; /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		len += 4; /* disp32 (RIP-relative in 64-bit mode) */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len;
}

int mmio_decode(const uint8_t *b, unsigned int n, const struct mmio_cpu_mode *mode,
		struct mmio_insn *out)
{
	unsigned int i = 0, mlen;
	uint8_t rex = 0, op;
	int err;

	memset(out, 0, sizeof(*out));
	if (n > MMIO_INSN_MAX)
		n = MMIO_INSN_MAX;
	if (!mode->long64 && !mode->cs_db)
		return reject(out, "16-bit code segment");
	for (;; i++) {
		if (i >= n)
			return -EFAULT;
		if (is_segment_prefix(b[i])) {
			rex = 0; /* a REX not right before the opcode is ignored */
			continue;
		}
		if (b[i] == 0x66)
			return reject(out, "operand-size prefix (16-bit access)");
		if (b[i] == 0x67) {
			if (!mode->long64)
				return reject(out, "16-bit addressing");
			rex = 0;
			continue; /* 32-bit addressing: same ModR/M forms */
		}
		if (b[i] == 0xf0 || b[i] == 0xf2 || b[i] == 0xf3)
			return reject(out, "LOCK/REP prefix");
		if (mode->long64 && (b[i] & 0xf0) == 0x40) {
			rex = b[i];
			continue;
		}
		break;
	}
	op = b[i++];
	if (op != OP_LOAD && op != OP_STORE && op != OP_STORE_I)
		return reject(out, "not MOV r/m32/64 (8B, 89, C7)");
	mlen = modrm_len(b, i, n, &err);
	if (err)
		return err;
	if (!mlen)
		return reject(out, "register operand, no memory access");
	out->size = (rex & REX_W) ? 8 : 4;
	out->reg = (uint8_t)((((rex & REX_R) ? 1 : 0) << 3) | ((b[i] >> 3) & 7));
	out->write = op != OP_LOAD;
	if (op == OP_STORE_I) {
		int32_t imm;

		if (((b[i] >> 3) & 7) != 0)
			return reject(out, "C7 with a reg field other than /0");
		if (i + mlen + 4 > n)
			return -EFAULT;
		memcpy(&imm, b + i + mlen, 4);
		out->has_imm = true;
		out->reg = 0;
		out->imm = out->size == 8 ? (uint64_t)(int64_t)imm : (uint32_t)imm;
		mlen += 4;
	}
	if (i + mlen > n)
		return -EFAULT;
	out->len = (uint8_t)(i + mlen);
	return 0;
}

/* One paging-structure entry of @size bytes at GPA @gpa, from guest RAM only. */
static int read_entry(const struct guest_map *m, gpa_t gpa, unsigned int size, uint64_t *e)
{
	*e = 0;
	if (guest_map_kind(m, gpa, size) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, size))
		return -EFAULT;
	memcpy(e, hpa_to_hva(gpa), size); /* guest RAM: GPA = HPA */
	return 0;
}

/* 32-bit paging (SDM Vol. 3A 4.3): 4-KiB pages, 4-MiB pages with CR4.PSE (PSE-36). */
static int walk32(const struct guest_map *m, const struct mmio_cpu_mode *mode, uint32_t va,
		  gpa_t *gpa)
{
	uint64_t pde, pte;

	if (read_entry(m, (mode->cr3 & 0xfffff000ull) + (va >> 22) * 4, 4, &pde) || !(pde & PTE_P))
		return -EFAULT;
	if ((pde & PTE_PS) && (mode->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000ull) | (((pde >> 13) & 0xff) << 32) | (va & 0x3fffff);
		return 0;
	}
	if (read_entry(m, (pde & 0xfffff000ull) + ((va >> 12) & 0x3ff) * 4, 4, &pte) ||
	    !(pte & PTE_P))
		return -EFAULT;
	*gpa = (pte & 0xfffff000ull) | (va & 0xfff);
	return 0;
}

int mmio_gva_to_gpa(const struct guest_map *m, const struct mmio_cpu_mode *mode, uint64_t gva,
		    gpa_t *gpa)
{
	unsigned int levels, shift;
	uint64_t e;
	gpa_t table;

	if (!(mode->cr0 & CR0_PG)) {
		*gpa = gva & 0xffffffffull;
		return 0;
	}
	if (!(mode->cr4 & CR4_PAE))
		return walk32(m, mode, (uint32_t)gva, gpa);
	if (mode->efer & EFER_LMA) {
		levels = (mode->cr4 & CR4_LA57) ? 5 : 4;
		table = mode->cr3 & PTE_ADDR;
	} else {
		/* PAE (SDM Vol. 3A 4.4): the PDPTE from CR3[31:5], then 2 levels */
		gva &= 0xffffffffull;
		if (read_entry(m, (mode->cr3 & 0xffffffe0ull) + (gva >> 30) * 8, 8, &e) ||
		    !(e & PTE_P))
			return -EFAULT;
		levels = 2;
		table = e & PTE_ADDR;
	}
	for (unsigned int lvl = levels; lvl >= 1; lvl--) {
		shift = 12 + 9 * (lvl - 1);
		if (read_entry(m, table + ((gva >> shift) & 0x1ff) * 8, 8, &e) || !(e & PTE_P))
			return -EFAULT;
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PTE_PS))) {
			uint64_t off = gva & (BIT(shift) - 1);

			*gpa = (e & PTE_ADDR & ~(BIT(shift) - 1)) | off;
			return 0;
		}
		if (lvl > 3 && (e & PTE_PS))
			return -EFAULT; /* PS is reserved in PML4E/PML5E */
		table = e & PTE_ADDR;
	}
	return -EFAULT;
}

unsigned int mmio_fetch(const struct guest_map *m, const struct mmio_cpu_mode *mode, uint64_t rip,
			uint8_t *buf, unsigned int len)
{
	uint64_t lin = mode->long64 ? rip : (mode->cs_base + rip) & 0xffffffffull;
	unsigned int got = 0;

	if (len > MMIO_INSN_MAX)
		len = MMIO_INSN_MAX;
	while (got < len) {
		uint64_t va = lin + got;
		unsigned int chunk = (unsigned int)MIN(len - got,
						       PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		gpa_t gpa;

		if (!mode->long64)
			va &= 0xffffffffull;
		if (mmio_gva_to_gpa(m, mode, va, &gpa) ||
		    guest_map_kind(m, gpa, chunk) != GUEST_MEM_RAM || !host_hpa_mapped(gpa, chunk))
			break;
		memcpy(buf + got, hpa_to_hva(gpa), chunk);
		got += chunk;
	}
	return got;
}

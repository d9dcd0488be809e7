// SPDX-License-Identifier: MIT
/*
 * iommu/fault.c - primary fault log, VT-d §7.1-7.2 and §11.4.14.
 */
#include <errno.h>

#include "iommu/fault.h"

struct reason {
	uint8_t code;
	const char *name;
};

/* VT-d §7.1.3, Table "Fault reason encodings" (legacy and scalable mode). */
static const struct reason reasons[] = {
	{ 0x01, "root entry not present" },
	{ 0x02, "context entry not present" },
	{ 0x03, "invalid context entry programming" },
	{ 0x04, "input address beyond the domain's address width" },
	{ 0x05, "write to a page without write permission" },
	{ 0x06, "read from a page without read permission" },
	{ 0x07, "second-level table access error" },
	{ 0x08, "root table access error" },
	{ 0x09, "context table access error" },
	{ 0x0a, "reserved field set in root entry" },
	{ 0x0b, "reserved field set in context entry" },
	{ 0x0c, "reserved field set in second-level entry" },
	{ 0x0d, "translation request blocked by context entry TT" },
	{ 0x30, "invalid RTADDR (TTM / root table address)" },
	{ 0x31, "request with PASID in legacy translation mode" },
	{ 0x32, "page request in legacy translation mode" },
	{ 0x38, "scalable-mode root table access error" },
	{ 0x39, "scalable-mode root entry not present" },
	{ 0x3a, "reserved field set in scalable-mode root entry" },
	{ 0x40, "scalable-mode context table access error" },
	{ 0x41, "scalable-mode context entry not present" },
	{ 0x42, "reserved field set in scalable-mode context entry" },
	{ 0x43, "invalid scalable-mode context entry programming" },
	{ 0x44, "translation request with DTE = 0" },
	{ 0x45, "request with PASID with PASIDE = 0" },
	{ 0x46, "PASID beyond the PASID directory size (PDTS)" },
	{ 0x47, "page request with PRE = 0" },
	{ 0x48, "request without PASID: RID_PASID entry error" },
	{ 0x50, "PASID directory access error" },
	{ 0x51, "PASID directory entry not present" },
	{ 0x52, "reserved field set in PASID directory entry" },
	{ 0x58, "PASID table access error" },
	{ 0x59, "PASID table entry not present" },
	{ 0x5a, "reserved field set in PASID table entry" },
	{ 0x5b, "invalid PASID table entry programming (PGTT/AW/FLPM)" },
	{ 0x5c, "execute request with ERE = 0" },
	{ 0x5d, "supervisor request with SRE = 0" },
	{ 0x70, "first-level table access error" },
	{ 0x71, "first-level entry not present" },
	{ 0x72, "reserved field set in first-level entry" },
	{ 0x73, "first-level root table (FLPTR) access error" },
	{ 0x74, "nested: first-level table GPA beyond second-level width" },
	{ 0x75, "nested: second level denies read of first-level root table" },
	{ 0x76, "nested: second level denies read of first-level table" },
	{ 0x77, "nested: second level denies first-level A/D update" },
	{ 0x78, "second-level table access error (scalable mode)" },
	{ 0x79, "second-level entry not present (R = W = 0)" },
	{ 0x7a, "reserved field set in second-level entry (scalable mode)" },
	{ 0x7b, "second-level root table (SLPTPTR) access error" },
	{ 0x80, "non-canonical input address" },
	{ 0x81, "user request to a supervisor page (U/S = 0)" },
	{ 0x82, "execute request to a page with XD = 1" },
	{ 0x83, "input address beyond the address width (scalable mode)" },
	{ 0x84, "second-level output address beyond HAW" },
	{ 0x85, "write without write permission (scalable mode)" },
	{ 0x86, "read without read permission (scalable mode)" },
	{ 0x87, "output address in the interrupt range" },
	{ 0x90, "first-level A/D update to non-snooped memory" },
};

const char *vtd_fault_reason_name(unsigned int reason)
{
	unsigned int i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == reason)
			return reasons[i].name;
	return "unknown fault reason";
}

bool vtd_fault_decode(uint64_t lo, uint64_t hi, struct vtd_fault *f)
{
	f->addr = lo & VTD_FRCD_LO_FI;
	f->sid = (uint16_t)VTD_FRCD_HI_SID(hi);
	f->reason = (uint8_t)VTD_FRCD_HI_FR(hi);
	f->write = !(hi & VTD_FRCD_HI_T); /* T = 1: read */
	f->exec = hi & VTD_FRCD_HI_EXE;
	f->priv = hi & VTD_FRCD_HI_PRIV;
	f->has_pasid = hi & VTD_FRCD_HI_PP;
	f->pasid = f->has_pasid ? (uint32_t)VTD_FRCD_HI_PV(hi) : 0;
	return hi & VTD_FRCD_HI_F;
}

/* A fault storm must not flood the console: VTD_FAULT_LOG_PER_SEC lines a second. */
static bool log_allowed(struct vtd_unit *u)
{
	struct vtd_fault_log *l = &u->flog;
	uint64_t now = iommu_env_now_us();

	if (!l->window_start || now - l->window_start >= 1000000) {
		if (l->window_lines > VTD_FAULT_LOG_PER_SEC)
			vtd_warn("unit %u: %u fault lines suppressed", u->id,
				 l->window_lines - VTD_FAULT_LOG_PER_SEC);
		l->window_start = now ? now : 1;
		l->window_lines = 0;
	}
	if (l->window_lines++ < VTD_FAULT_LOG_PER_SEC)
		return true;
	l->suppressed++;
	return false;
}

static void log_fault(struct vtd_unit *u, const struct vtd_fault *f)
{
	if (!log_allowed(u))
		return;
	u->flog.logged++;
	if (f->has_pasid)
		vtd_err("unit %u: DMA %s fault from %02x:%02x.%u PASID %#x at %#llx: "
			"reason %#04x (%s)",
			u->id, f->write ? "write" : "read", f->sid >> 8, (f->sid >> 3) & 0x1f,
			f->sid & 7, f->pasid, (unsigned long long)f->addr, f->reason,
			vtd_fault_reason_name(f->reason));
	else
		vtd_err("unit %u: DMA %s fault from %02x:%02x.%u at %#llx: reason %#04x (%s)",
			u->id, f->write ? "write" : "read", f->sid >> 8, (f->sid >> 3) & 0x1f,
			f->sid & 7, (unsigned long long)f->addr, f->reason,
			vtd_fault_reason_name(f->reason));
}

int vtd_fault_process(struct vtd_unit *u, vtd_fault_fn fn, void *ctx)
{
	unsigned int nfr = (unsigned int)VTD_CAP_NFR(u->cap);
	uint32_t fro = (uint32_t)VTD_CAP_FRO(u->cap);
	uint32_t fsts = vtd_read32(u, VTD_REG_FSTS);
	unsigned int i, n = 0, idx;

	if (fsts & VTD_FSTS_PPF) {
		idx = (unsigned int)VTD_FSTS_FRI(fsts) % nfr;
		for (i = 0; i < nfr; i++, idx = (idx + 1) % nfr) {
			uint32_t off = fro + idx * VTD_FRCD_LEN;
			uint64_t hi = vtd_read64(u, off + 8), lo;
			struct vtd_fault f;

			if (!(hi & VTD_FRCD_HI_F))
				break; /* §7.2.1: records are filled in order from FRI */
			lo = vtd_read64(u, off);
			vtd_fault_decode(lo, hi, &f);
			f.index = idx;
			log_fault(u, &f);
			if (fn)
				fn(ctx, u, &f);
			/* F is RW1C in the dword at offset 12: clear only it. */
			vtd_write32(u, off + 12, (uint32_t)VTD_FRCD_F32);
			u->flog.records++;
			n++;
		}
	}
	if (fsts & VTD_FSTS_PFO) {
		u->flog.overflows++;
		vtd_err("unit %u: primary fault log overflowed (FSTS.PFO): faults were lost",
			u->id);
		vtd_write32(u, VTD_REG_FSTS, (uint32_t)VTD_FSTS_PFO);
	}
	return n;
}

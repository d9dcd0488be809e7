// SPDX-License-Identifier: MIT
/*
 * fuzz_dmar.c - iommu/dmar.c: the input is the DMAR table as the firmware hands it over
 * (exactly @size readable bytes: ASan catches any read past them).
 */
#include "iommu/dmar.h"
#include "tests/fuzz/fuzz_env.h"

static void check_scopes(const struct vtd_dmar_scopes *s)
{
	FUZZ_CHECK(s->n <= VTD_DMAR_MAX_SCOPE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtd_dmar_info out;
	uint8_t salt = size ? data[size - 1] : 0;
	unsigned int i;

	if (vtd_dmar_parse(data, size, (size & 1) ? fuzz_pci_read8 : NULL, &salt, &out))
		return 0;
	FUZZ_CHECK(out.ndrhd <= VTD_DMAR_MAX_DRHD && out.nrmrr <= VTD_DMAR_MAX_RMRR &&
		   out.natsr <= VTD_DMAR_MAX_ATSR && out.nsatc <= VTD_DMAR_MAX_SATC &&
		   out.nrhsa <= VTD_DMAR_MAX_RHSA);
	for (i = 0; i < out.ndrhd; i++)
		check_scopes(&out.drhd[i].scope);
	for (i = 0; i < out.nrmrr; i++)
		check_scopes(&out.rmrr[i].scope);
	for (i = 0; i < out.natsr; i++)
		check_scopes(&out.atsr[i].scope);
	for (i = 0; i < out.nsatc; i++)
		check_scopes(&out.satc[i].scope);
	return 0;
}

// SPDX-License-Identifier: MIT
/* VMX capability decoding (hv/vmx_caps.h). Portable: values in, facts out. */
#include <string.h>
#include "hv/vmx_caps.h"

static struct vmx_ctl_cap ctl_cap(uint64_t msr)
{
	return (struct vmx_ctl_cap){ (uint32_t)msr, (uint32_t)(msr >> 32) };
}

void vmx_caps_decode(const struct vmx_cap_msrs *m, struct vmx_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->revision = m->basic & VMX_BASIC_REVISION_MASK;
	c->vmcs_size = (m->basic >> VMX_BASIC_VMCS_SIZE_SHIFT) & VMX_BASIC_VMCS_SIZE_MASK;
	c->memtype = (m->basic >> VMX_BASIC_MEMTYPE_SHIFT) & 0xf;
	/* A.2: with bit 55, the TRUE_* MSRs give the real allowed-0 settings. */
	c->true_ctls = (m->basic & VMX_BASIC_TRUE_CTLS) != 0;
	c->pin = ctl_cap(c->true_ctls ? m->true_pinbased : m->pinbased);
	c->proc = ctl_cap(c->true_ctls ? m->true_procbased : m->procbased);
	c->exit = ctl_cap(c->true_ctls ? m->true_exit : m->exit);
	c->entry = ctl_cap(c->true_ctls ? m->true_entry : m->entry);
	c->secondary = (c->proc.allowed1 & VMX_PROC_ACTIVATE_SECONDARY) != 0;
	c->tertiary = (c->proc.allowed1 & VMX_PROC_ACTIVATE_TERTIARY) != 0;
	if (c->tertiary)
		c->proc3_allowed1 = m->procbased3;
	if (!c->secondary)
		return;
	c->proc2 = ctl_cap(m->procbased2);
	c->ept = (c->proc2.allowed1 & VMX_PROC2_EPT) != 0;
	c->vpid = (c->proc2.allowed1 & VMX_PROC2_VPID) != 0;
	c->unrestricted = (c->proc2.allowed1 & VMX_PROC2_UNRESTRICTED) != 0;
	c->vmcs_shadowing = (c->proc2.allowed1 & VMX_PROC2_VMCS_SHADOWING) != 0;
	c->pml = (c->proc2.allowed1 & VMX_PROC2_PML) != 0;
	c->vmfunc = (c->proc2.allowed1 & VMX_PROC2_VMFUNC) != 0;
	c->pasid_translation = (c->proc2.allowed1 & VMX_PROC2_PASID_TRANSLATION) != 0;
	if (c->ept || c->vpid)
		c->ept_vpid = m->ept_vpid;
}

bool vmx_ctl_adjust(const struct vmx_ctl_cap *cap, uint32_t want, uint32_t *out)
{
	*out = (want | cap->allowed0) & cap->allowed1;
	return (want & ~cap->allowed1) == 0;
}

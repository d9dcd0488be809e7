// SPDX-License-Identifier: MIT
/* Command-line self-tests (hv/selftest.h): the one list of names, and "exception". */
#include <string.h>
#define LOG_PREFIX "selftest"
#include "hv/cmdline.h"
#include "hv/log.h"
#include "hv/selftest.h"
#include "hv/types.h"

/* Every self-test, and where it runs. */
static const char *const selftest_names[] = {
	"exception",	   /* here, once the IDT is up */
	"dma",		   /* hv/dma_selftest.c, after the iommu stage: edu DMA checks */
	"diff",		   /* hv/dma_selftest.c: the model-vs-QEMU differential cases */
	"diff-pt",	   /* hv/dma_selftest.c: the same, in pass-through */
	"vsva",		   /* hv/vsva_selftest.c via hv/dma_selftest.c: software nesting */
	"bad-guest-state", /* hv/vmx.c: a wrong guest-state field the entry diagnosis names */
};

static bool selftest_listed(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(selftest_names); i++)
		if (strcmp(name, selftest_names[i]) == 0)
			return true;
	return false;
}

bool selftest_chosen(const char *cmdline, const char *name)
{
	char which[32];

	if (!selftest_listed(name)) {
		log_err("self-test \"%s\" is not in hv/selftest.c's list", name);
		return false;
	}
	return cmdline_get(cmdline, "selftest", which, sizeof(which)) && !strcmp(which, name);
}

void selftest_after_idt(const char *cmdline)
{
	char which[32];

	if (!cmdline_get(cmdline, "selftest", which, sizeof(which)))
		return;
	if (!selftest_listed(which)) {
		log_warn("unknown self-test \"%s\" ignored", which);
		return;
	}
	if (selftest_chosen(cmdline, "exception")) {
		log_info("raising #UD (ud2) to exercise the exception handler");
		__asm__ volatile("ud2");
		log_err("ud2 returned: the exception handler did not stop the CPU");
	}
}

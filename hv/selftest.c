// SPDX-License-Identifier: MIT
/* Command-line self-tests (hv/selftest.h). */
#include <string.h>
#define LOG_PREFIX "selftest"
#include "hv/cmdline.h"
#include "hv/log.h"
#include "hv/selftest.h"

/* Self-tests that other stages run, each where what it needs exists. */
static const char *const selftest_elsewhere[] = {
	"dma",		   /* hv/dma_selftest.c, after the iommu stage: edu DMA checks */
	"diff",		   /* hv/dma_selftest.c: the model-vs-QEMU differential cases */
	"diff-pt",	   /* hv/dma_selftest.c: the same, in pass-through */
	"bad-guest-state", /* hv/vmx.c: a wrong guest-state field the entry diagnosis names */
};

void selftest_after_idt(const char *cmdline)
{
	char which[32];

	if (!cmdline_get(cmdline, "selftest", which, sizeof(which)))
		return;
	if (strcmp(which, "exception") == 0) {
		log_info("raising #UD (ud2) to exercise the exception handler");
		__asm__ volatile("ud2");
		log_err("ud2 returned: the exception handler did not stop the CPU");
	} else {
		for (size_t i = 0; i < sizeof(selftest_elsewhere) / sizeof(selftest_elsewhere[0]);
		     i++)
			if (strcmp(which, selftest_elsewhere[i]) == 0)
				return;
		log_warn("unknown self-test \"%s\" ignored", which);
	}
}

// SPDX-License-Identifier: MIT
/* Command-line self-tests (hv/selftest.h). */
#include <string.h>
#define LOG_PREFIX "selftest"
#include "hv/cmdline.h"
#include "hv/log.h"
#include "hv/selftest.h"

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
		log_warn("unknown self-test \"%s\" ignored", which);
	}
}

// SPDX-License-Identifier: MIT
/* Log lines to the console: level filter, subsystem prefix, newlib formatting. */
#include <stdio.h>
#include <string.h>
#include "hv/console.h"
#include "hv/log.h"

#define LOG_LINE_MAX 256 /* bytes, newline included */

static int log_level = LOG_INFO;

void log_set_level(int level)
{
	if (level < LOG_ERR)
		level = LOG_ERR;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	log_level = level;
}

int log_get_level(void)
{
	return log_level;
}

void log_vprintf(int level, const char *prefix, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t len = 0;
	int n;

	if (level > log_level)
		return;
	if (prefix) {
		n = snprintf(line, sizeof(line), "%s: ", prefix);
		len = n > 0 ? (size_t)n : 0;
	}
	if (len < sizeof(line)) {
		n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
		if (n > 0)
			len += (size_t)n;
	}
	if (len > sizeof(line) - 2) {
		/* Cut: mark it, keep room for the newline. */
		len = sizeof(line) - 2;
		memcpy(line + len - 3, "...", 3);
	}
	line[len++] = '\n';
	console_write(line, len);
}

void log_printf(int level, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, prefix, fmt, ap);
	va_end(ap);
}

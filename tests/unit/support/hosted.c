// SPDX-License-Identifier: MIT
/* Hosted stand-ins (hosted.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/log.h"
#include "hv/mm.h"
#include "tests/unit/support/hosted.h"

#define REGIONS_MAX 16
#define LOG_KEEP    4096

static struct {
	uint64_t hpa;
	uint8_t *buf;
	size_t size;
} regions[REGIONS_MAX];
static int region_count;
static char log_buf[LOG_KEEP];
static size_t log_len;
static int log_level_now = LOG_DEBUG;

void hosted_mem_add(uint64_t hpa, void *buf, size_t size)
{
	regions[region_count].hpa = hpa;
	regions[region_count].buf = buf;
	regions[region_count].size = size;
	region_count++;
}

void hosted_mem_reset(void)
{
	region_count = 0;
	log_len = 0;
	log_buf[0] = '\0';
}

void *hpa_to_hva(hpa_t hpa)
{
	for (int i = 0; i < region_count; i++)
		if (hpa >= regions[i].hpa && hpa - regions[i].hpa < regions[i].size)
			return regions[i].buf + (hpa - regions[i].hpa);
	return NULL;
}

bool host_hpa_mapped(hpa_t hpa, uint64_t len)
{
	for (int i = 0; i < region_count; i++)
		if (hpa >= regions[i].hpa && len <= regions[i].size &&
		    hpa - regions[i].hpa <= regions[i].size - len)
			return true;
	return false;
}

void log_vprintf(int level, const char *prefix, const char *fmt, va_list ap)
{
	char line[256];
	int n = 0;

	if (level > log_level_now)
		return;
	if (prefix)
		n = snprintf(line, sizeof(line), "%s: ", prefix);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (log_len + strlen(line) + 2 < LOG_KEEP) {
		strcpy(log_buf + log_len, line);
		log_len += strlen(line);
		log_buf[log_len++] = '\n';
		log_buf[log_len] = '\0';
	}
	if (getenv("UNIT_VERBOSE"))
		fprintf(stderr, "%s\n", line);
}

void log_printf(int level, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, prefix, fmt, ap);
	va_end(ap);
}

void log_set_level(int level)
{
	log_level_now = level;
}

int log_get_level(void)
{
	return log_level_now;
}

int hosted_log_contains(const char *s)
{
	return strstr(log_buf, s) != NULL;
}

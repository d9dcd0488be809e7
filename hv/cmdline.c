// SPDX-License-Identifier: MIT
/* Command-line parsing (hv/cmdline.h). Portable; the cmdline is untrusted text. */
#include <stdlib.h>
#include <string.h>
#include "hv/cmdline.h"

/* Find the word starting with @key followed by '=', ' ' or the end; NULL if none. */
static const char *cmdline_find(const char *cmdline, const char *key)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	if (!cmdline || klen == 0)
		return NULL;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (strncmp(p, key, klen) == 0 && (p[klen] == '=' || p[klen] == ' ' || !p[klen]))
			return p + klen;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t len)
{
	const char *p = cmdline_find(cmdline, key);
	size_t n = 0;

	if (!p || len == 0)
		return false;
	if (*p == '=') {
		p++;
		while (p[n] && p[n] != ' ')
			n++;
	}
	if (n > len - 1)
		n = len - 1;
	memcpy(val, p, n);
	val[n] = '\0';
	return true;
}

bool cmdline_has(const char *cmdline, const char *key)
{
	return cmdline_find(cmdline, key) != NULL;
}

uint64_t cmdline_u64(const char *cmdline, const char *key, uint64_t def)
{
	char buf[32];
	char *end;
	uint64_t v;

	if (!cmdline_get(cmdline, key, buf, sizeof(buf)) || !buf[0] || buf[0] == '-')
		return def;
	v = strtoull(buf, &end, 0);
	if (*end)
		return def;
	return v;
}

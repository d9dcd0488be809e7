/* SPDX-License-Identifier: MIT */
/*
 * The core's command line: words separated by spaces, each `key` or `key=value`.
 * Options the core reads: loglevel=0..3, pool=<MiB> (loaders), selftest=exception,
 * debugexit=<port> (QEMU isa-debug-exit), poweroff (UEFI loader).
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * cmdline_get() - the value of the first `key=value` word.
 * Copies at most @len - 1 bytes of the value and a NUL into @val. Returns true when the
 * key is present (a bare `key` gives an empty value), false when absent or @len == 0.
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t len);

/* cmdline_has() - true when `key` or `key=...` is present. */
bool cmdline_has(const char *cmdline, const char *key);

/*
 * cmdline_u64() - a numeric value (decimal, or hex with 0x) of `key`.
 * Returns @def when the key is absent, empty, not a number, or has trailing characters.
 */
uint64_t cmdline_u64(const char *cmdline, const char *key, uint64_t def);

#endif /* HV_CMDLINE_H */

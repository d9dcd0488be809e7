/* SPDX-License-Identifier: MIT */
/*
 * Logging: one prefix per subsystem, four levels, printf formats (newlib's vsnprintf).
 *
 * A file sets its prefix before including this header:
 *     #define LOG_PREFIX "vtd"
 *     #include "hv/log.h"
 * and writes   log_info("unit %u: scalable mode", id);   ->   "vtd: unit 0: scalable mode"
 *
 * Lines at a level above the console's (command line `loglevel=N`, default LOG_INFO)
 * are dropped before formatting. Never log on a hot path (VM exit, DMA fault storm)
 * without a rate limit.
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

#ifndef LOG_PREFIX
#define LOG_PREFIX "hv"
#endif

/*
 * log_printf() - format one line and write it to the console.
 * @level:  enum log_level; dropped when above the console's level.
 * @prefix: subsystem, printed as "prefix: "; NULL for none.
 * A line longer than 255 bytes is cut and ends with "...". A newline is added.
 */
void log_printf(int level, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vprintf(int level, const char *prefix, const char *fmt, va_list ap);

/* log_set_level() - the console's level from now on (LOG_ERR..LOG_DEBUG, clamped). */
void log_set_level(int level);
int log_get_level(void);

#define log_err(...)   log_printf(LOG_ERR, LOG_PREFIX, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, LOG_PREFIX, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, LOG_PREFIX, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, LOG_PREFIX, __VA_ARGS__)

#endif /* HV_LOG_H */

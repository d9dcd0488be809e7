/* SPDX-License-Identifier: MIT */
/*
 * What the test guest's check files (main.c, vsva.c, vvtd.c) share: COM1 polled output,
 * decimal/hex printing, one numbered TAP line per check ("ok N - guest: <series>what"),
 * counted for the closing "N passed, M failed", and a few small helpers.
 */
#ifndef GUEST_TEST_LIB_H
#define GUEST_TEST_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COM1 0x3f8

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* zero() - clear @n bytes at @p (no libc in the guest). Returns @p. */
void *zero(void *p, size_t n);

/* Counts of every check so far, in all series. */
struct guest_tap {
	unsigned int n, pass, fail;
};
extern struct guest_tap guest_tap;

void putc_serial(char c);
void puts_serial(const char *s); /* "\n" as "\r\n" */
void put_u64(uint64_t v);	 /* decimal */
void put_i64(int64_t v);	 /* decimal, with '-' */
void put_hex(uint64_t v);	 /* 0x and no leading zeros */

/* tap_check() - count and print "ok N - guest: @series@what" or "not ok ...". */
void tap_check(const char *series, bool ok, const char *what);

/* tap_skip() - a check that could not run here: counted as passed, printed as
 * "ok N - guest: @series@what # SKIP" (the TAP skip directive). */
void tap_skip(const char *series, const char *what);

/* tap_check_eq() - tap_check(got == want), and a "# got X, want Y" line when not. */
void tap_check_eq(const char *series, int64_t got, int64_t want, const char *what);

#endif /* GUEST_TEST_LIB_H */

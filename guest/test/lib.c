// SPDX-License-Identifier: MIT
/* What the test guest's check files share (guest/test/lib.h). */
#include "guest/test/lib.h"

struct guest_tap guest_tap;

void putc_serial(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

void puts_serial(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s++);
	}
}

void put_u64(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_serial(buf + i);
}

void put_i64(int64_t v)
{
	if (v < 0) {
		putc_serial('-');
		put_u64((uint64_t)-v);
	} else {
		put_u64((uint64_t)v);
	}
}

void put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";

	puts_serial("0x");
	for (int s = 60; s >= 0; s -= 4)
		if ((v >> s) || s == 0)
			putc_serial(digits[(v >> s) & 0xf]);
}

static void tap_line(const char *series, bool ok, const char *what, const char *directive)
{
	guest_tap.n++;
	if (ok)
		guest_tap.pass++;
	else
		guest_tap.fail++;
	puts_serial(ok ? "ok " : "not ok ");
	put_u64(guest_tap.n);
	puts_serial(" - guest: ");
	puts_serial(series);
	puts_serial(what);
	puts_serial(directive);
	puts_serial("\n");
}

void tap_check(const char *series, bool ok, const char *what)
{
	tap_line(series, ok, what, "");
}

void tap_skip(const char *series, const char *what)
{
	tap_line(series, true, what, " # SKIP");
}

void tap_check_eq(const char *series, int64_t got, int64_t want, const char *what)
{
	tap_check(series, got == want, what);
	if (got != want) {
		puts_serial("# got ");
		put_i64(got);
		puts_serial(", want ");
		put_i64(want);
		puts_serial("\n");
	}
}

void *zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
	return p;
}

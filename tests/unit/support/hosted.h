/* SPDX-License-Identifier: MIT */
/*
 * Hosted stand-ins for what the core's portable code needs from the core: a fake
 * physical memory (regions registered by the test), and a log that records lines so a
 * test can assert on them.
 */
#ifndef TESTS_UNIT_HOSTED_H
#define TESTS_UNIT_HOSTED_H

#include <stddef.h>
#include <stdint.h>

/* hosted_mem_add() - make [hpa, hpa + size) readable at @buf through hpa_to_hva(). */
void hosted_mem_add(uint64_t hpa, void *buf, size_t size);
/* hosted_mem_reset() - forget every region and every logged line. */
void hosted_mem_reset(void);

/* hosted_log_contains() - 1 when a logged line since the last reset contains @s. */
int hosted_log_contains(const char *s);

#endif /* TESTS_UNIT_HOSTED_H */

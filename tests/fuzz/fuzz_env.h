/* SPDX-License-Identifier: MIT */
/* fuzz_env.h - shared pieces of the fuzz targets (fuzz_env.c). */
#ifndef TESTS_FUZZ_FUZZ_ENV_H
#define TESTS_FUZZ_FUZZ_ENV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A fake PCI config space: secondary bus numbers derived from the address, @ctx a salt byte. */
uint8_t fuzz_pci_read8(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);

/* An invariant broke: say which and abort (libFuzzer saves the input as a crash). */
#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

static inline uint64_t fuzz_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#endif /* TESTS_FUZZ_FUZZ_ENV_H */

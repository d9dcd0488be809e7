// SPDX-License-Identifier: MIT
/*
 * What newlib needs from the core (platforms.md: snprintf needs only sbrk; newlib is built with MISSING_SYSCALL_NAMES, so the names carry no underscore). The heap is
 * a fixed arena in .bss: the core allocates its real memory from the frame pool, and
 * malloc is there only for newlib's own use. _write goes to the console so that a
 * stray printf is still seen. The other calls fail with ENOSYS.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "hv/console.h"

#define LIBC_HEAP_SIZE (64u << 10) /* bytes */

static uint8_t libc_heap[LIBC_HEAP_SIZE] __attribute__((aligned(16)));
static size_t libc_heap_used;

void *sbrk(ptrdiff_t incr);
void *sbrk(ptrdiff_t incr)
{
	if (incr < 0 ? (size_t)-incr > libc_heap_used :
		       (size_t)incr > LIBC_HEAP_SIZE - libc_heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	void *old = libc_heap + libc_heap_used;

	libc_heap_used += incr;
	return old;
}

int write(int fd, const void *buf, size_t len);
int write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return (int)len;
}

int read(int fd, void *buf, size_t len);
int read(int fd, void *buf, size_t len)
{
	errno = ENOSYS;
	return -1;
}

int close(int fd);
int close(int fd)
{
	errno = ENOSYS;
	return -1;
}

long lseek(int fd, long off, int whence);
long lseek(int fd, long off, int whence)
{
	errno = ENOSYS;
	return -1;
}

int fstat(int fd, struct stat *st);
int fstat(int fd, struct stat *st)
{
	st->st_mode = S_IFCHR;
	return 0;
}

int isatty(int fd);
int isatty(int fd)
{
	return 1;
}

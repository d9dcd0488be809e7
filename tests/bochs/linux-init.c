// SPDX-License-Identifier: MIT
/*
 * linux-init.c - /init of the initramfs that tests/bochs/test-linux.sh builds: a static
 * program that prints a marker line on the console (console=ttyS0), the kernel log lines
 * about DMAR/IOMMU (klogctl, SYSLOG_ACTION_READ_ALL), a final marker, and halts the
 * machine: reboot(RB_HALT_SYSTEM) ends in HLT on the boot CPU, which ends the
 * hypervisor's run (hv/exit.c: HLT on the BSP -> hv_halt).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL 3
#define LOG_BUF_BYTES	       (1 << 20)

static char log_buf[LOG_BUF_BYTES];

static void put(const char *s)
{
	ssize_t left = (ssize_t)strlen(s);

	while (left > 0) {
		ssize_t n = write(1, s, (size_t)left);

		if (n <= 0)
			return;
		s += n;
		left -= n;
	}
}

static int has_word(const char *line, size_t len, const char *w)
{
	size_t wl = strlen(w);

	for (size_t i = 0; i + wl <= len; i++)
		if (!strncasecmp(line + i, w, wl))
			return 1;
	return 0;
}

int main(void)
{
	int n, fd, matched = 0;

	/* Without /dev/console in the archive the kernel gave us no stdout: make one. */
	if (write(1, "", 0) < 0) {
		mkdir("/dev", 0755);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
	}
	put("\nLINUX-INIT: hello from /init on the hypervisor's Linux guest\n");
	n = klogctl(SYSLOG_ACTION_READ_ALL, log_buf, LOG_BUF_BYTES - 1);
	if (n > 0) {
		char *line = log_buf, *end = log_buf + n;

		while (line < end) {
			char *nl = memchr(line, '\n', (size_t)(end - line));
			size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);

			if (has_word(line, len, "DMAR") || has_word(line, len, "IOMMU")) {
				put("LINUX-INIT: dmesg: ");
				if (write(1, line, len) < 0)
					break;
				put("\n");
				matched++;
			}
			line += len + 1;
		}
	}
	put(matched ? "LINUX-INIT: end of DMAR/IOMMU lines\n" :
		      "LINUX-INIT: no DMAR/IOMMU lines in the kernel log\n");
	put("LINUX-INIT: done, halting\n");
	/* The console tty queues what write() took; the halt would cut it off: drain it. */
	tcdrain(1);
	sync();
	reboot(RB_HALT_SYSTEM);
	for (;;)
		pause();
}

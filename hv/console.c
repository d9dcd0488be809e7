// SPDX-License-Identifier: MIT
/*
 * 16550 UART console on COM1. Polled output only: the hypervisor never takes the UART's
 * interrupt, which belongs to the guest once it runs.
 */
#include <errno.h>
#include <stdbool.h>
#include "hv/console.h"
#include "hv/x86.h"

/* 16550 registers, offsets from the base port. */
#define UART_THR 0 /* transmit holding (DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_SCR 7 /* scratch */

#define LCR_8N1	    0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE  0x07 /* enable, clear RX and TX FIFOs */
#define MCR_DTR_RTS 0x03
#define LSR_THRE    0x20 /* holding register empty */
#define LSR_TEMT    0x40 /* transmitter empty */

#define UART_CLOCK 115200 /* divisor base: 1.8432 MHz / 16 */
#define POLL_LIMIT 100000 /* LSR polls before giving up on one byte (~10 ms) */

static uint16_t console_port;
static bool console_present;

int console_init(uint16_t port, uint32_t baud)
{
	uint16_t div = (uint16_t)(UART_CLOCK / (baud ? baud : CONSOLE_BAUD));

	console_port = port;
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a) {
		console_present = false;
		return -ENODEV;
	}
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, div & 0xff);
	outb(port + UART_DLM, div >> 8);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE);
	outb(port + UART_MCR, MCR_DTR_RTS);
	console_present = true;
	return 0;
}

static void console_putc(char c)
{
	for (unsigned int i = 0; i < POLL_LIMIT; i++) {
		if (inb(console_port + UART_LSR) & LSR_THRE)
			break;
		cpu_relax();
	}
	outb(console_port + UART_THR, (uint8_t)c);
}

void console_write(const char *buf, size_t len)
{
	if (!console_present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			console_putc('\r');
		console_putc(buf[i]);
	}
}

void console_drain(void)
{
	if (!console_present)
		return;
	for (unsigned int i = 0; i < POLL_LIMIT; i++) {
		if (inb(console_port + UART_LSR) & LSR_TEMT)
			return;
		cpu_relax();
	}
}

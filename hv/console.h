/* SPDX-License-Identifier: MIT */
/* The hypervisor's console: a 16550 UART (COM1), polled, never interrupt driven. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_COM1_PORT 0x3f8
#define CONSOLE_BAUD	  115200

/*
 * console_init() - program the UART at I/O @port: @baud, 8 data bits, no parity, one
 * stop bit, FIFOs on, interrupts off. Returns 0, or -ENODEV when the scratch register
 * does not hold a written value (no UART there): output is then discarded.
 */
int console_init(uint16_t port, uint32_t baud);

/* console_write() - write @len bytes, "\n" as "\r\n". Polls LSR.THRE per byte. */
void console_write(const char *buf, size_t len);

/* console_drain() - wait until the transmitter is empty (LSR.TEMT), at most ~10 ms. */
void console_drain(void);

#endif /* HV_CONSOLE_H */

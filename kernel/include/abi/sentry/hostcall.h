/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostcall.h: sentry <-> VMM hostcall ABI (KVM platform).
 *
 * Self-contained: C99 headers only. Included by the sentry (kernel/hostcall.c)
 * and by the VMM (vmm/kvm/hostcall.c). Bump HOSTCALL_ABI_VERSION on any change
 * to a number or struct in this file.
 *
 * Transport: the guest fills a struct hc_args in its RAM and does one 8-byte
 * MMIO write of that struct's guest-physical address to
 * GUEST_HOSTCALL_GPA + 8 * nr (an unbacked page, so every arch and KVM flavour
 * exits with KVM_EXIT_MMIO). The VMM checks nr, translates the struct and
 * every pointer argument through one bounds-checked gpa->host function, runs
 * the call and writes ret. Pointer arguments are guest-physical addresses.
 */
#ifndef ABI_SENTRY_HOSTCALL_H
#define ABI_SENTRY_HOSTCALL_H

#include <stdint.h>

#define HOSTCALL_ABI_VERSION	2

enum hostcall_nr {
	HC_EXIT		= 0,	/* a0 = exit status; does not return */
	HC_CONSOLE	= 1,	/* a0 = gpa of text, a1 = len: sentry diagnostics to stderr */
	HC_READ		= 2,	/* a0 = host fd, a1 = gpa buf, a2 = len */
	HC_WRITE	= 3,	/* a0 = host fd, a1 = gpa buf, a2 = len */
	HC_IOCTL	= 4,	/* a0 = host fd, a1 = cmd, a2 = gpa arg, a3 = arg len */
	HC_FSTAT	= 5,	/* a0 = host fd, a1 = gpa of struct linux_stat */
	HC_GETRANDOM	= 6,	/* a0 = gpa buf, a1 = len */
	HC_NANOSLEEP	= 7,	/* a0 = ns */
	HC_PANIC	= 8,	/* sentry internal error: stop the VM (message sent before via HC_CONSOLE) */
	HC_SET_TIMER	= 9,	/* a0 = CLOCK_MONOTONIC ns (0: never): then interrupt the vCPU
				 * with X86_TIMER_VECTOR */
	HC_POPULATE	= 10,	/* a0 = gpa, a1 = len, page-aligned RAM: back it with
				 * host pages now, in one host step, not a fault a page */
	HC_IMAGE_READ	= 11,	/* a0 = dst gpa (RAM), a1 = src gpa (image), a2 = len:
				 * the host copies, the guest touches no image page */
	HC_NR_MAX
};

struct hc_args {
	uint64_t a[6];
	int64_t ret;		/* out: result or -errno */
};

#define HC_SLOT_SIZE	8	/* one doorbell slot per hostcall number */
#define X86_TIMER_VECTOR 32	/* the one interrupt the VMM injects (HC_SET_TIMER) */

#endif /* ABI_SENTRY_HOSTCALL_H */

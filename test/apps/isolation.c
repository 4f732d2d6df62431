// SPDX-License-Identifier: Apache-2.0
/*
 * isolation.c MODE: the app touches one address that is never the app's;
 * it must die by SIGSEGV (status 139) on every platform, natively too.
 *
 *   kernel       read 0xffffffff80200000: under KVM the sentry's own text
 *   directmap    read 0xffff888000000000: under KVM the sentry's map of all
 *                guest RAM, every app's pages included
 *   noncanonical read 0x0000800000000000: first non-canonical address (#GP)
 *   above        read USER_VA_END + 4 KiB (0x7fff00001000): above the app's
 *                half; under ptrace the stub process has nothing there
 *   stub-write   write 0x7fff00000000 (USER_VA_END, PTRACE_STUB_VA)
 *
 * What is not asserted: under ptrace, PTRACE_STUB_VA is mapped readable
 * and executable in the traced process, while natively and under KVM it is
 * not mapped. It holds only the stub's two instructions (syscall; int3), no
 * sentry data (the sentry's memory is another process), and executing its
 * syscall is intercepted by PTRACE_SYSEMU like any other, so a read there
 * leaks nothing; the outcome differs by platform, so no mode reads it. A
 * write must fault everywhere: a writable stub would let the app change
 * the code that the sentry uses to map its memory.
 *
 * Natively 0x7fff00001000 lies in the range where the randomized stack and
 * vDSO can land; the chance that they cover that page is about 1e-5.
 */
#include <stdint.h>
#include <string.h>

#include "tap.h"

static const struct {
	const char *mode;
	uintptr_t addr;
	int write;
} targets[] = {
	{"kernel", 0xffffffff80200000UL, 0},
	{"directmap", 0xffff888000000000UL, 0},
	{"noncanonical", 0x0000800000000000UL, 0},
	{"above", 0x00007fff00001000UL, 0},
	{"stub-write", 0x00007fff00000000UL, 1},
};

int main(int argc, char **argv)
{
	for (unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		volatile unsigned char *p =
			(volatile unsigned char *)targets[i].addr;

		if (argc < 2 || strcmp(argv[1], targets[i].mode))
			continue;
		ok(1, "%s %s next; the app must die by SIGSEGV",
		   targets[i].write ? "writing" : "reading", targets[i].mode);
		if (targets[i].write)
			*p = 0xcc;
		else
			(void)*p;
		ok(0, "the access to %s returned", targets[i].mode);
		return tap_done();
	}
	ok(0,
	   "usage: isolation kernel|directmap|noncanonical|above|stub-write");
	return tap_done();
}

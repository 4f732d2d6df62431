// SPDX-License-Identifier: Apache-2.0
/* segv.c: a write to address 0x10 must kill the app by SIGSEGV (status 139). */
#include <stdint.h>

#include "tap.h"

int main(void)
{
	volatile uintptr_t addr = 0x10; /* volatile: not a constant for gcc */

	ok(1, "writing to address 0x10 next; the app must die by SIGSEGV");
	*(volatile int *)addr = 1;
	ok(0, "the write to address 0x10 returned");
	return tap_done();
}

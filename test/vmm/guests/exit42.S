/* SPDX-License-Identifier: Apache-2.0 */
/* exit42.S: a well-behaved guest: exit status 42 by hostcall. */
#include "../guest.h"

	.text
	.globl _start
_start:
	GUEST_EXIT 42
	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: Apache-2.0 */
/* hlt.S: halts with interrupts off: nothing can wake it. */
#include "../guest.h"

	.text
	.globl _start
_start:
	cli
	hlt
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits

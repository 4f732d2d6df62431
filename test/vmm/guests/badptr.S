/* SPDX-License-Identifier: Apache-2.0 */
/* badptr.S: a write hostcall whose buffer is far outside guest RAM. */
#include "../guest.h"

	.text
	.globl _start
_start:
	HOSTCALL HC_WRITE, args
	GUEST_EXIT 0
	.data
	HC_ARGS args, 1, 0x7000000000, 16
	.section .note.GNU-stack, "", @progbits

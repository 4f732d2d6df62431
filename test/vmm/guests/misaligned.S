/* SPDX-License-Identifier: Apache-2.0 */
/* misaligned.S: a 4-byte store to the doorbell. */
#include "../guest.h"

	.text
	.globl _start
_start:
	movabs	$DOORBELL, %rbx
	movl	$0x1000, (%rbx)
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: Apache-2.0 */
/* badargs.S: the argument block address itself is outside guest RAM. */
#include "../guest.h"

	.text
	.globl _start
_start:
	movabs	$0xfffffffff000, %rax
	movabs	$(DOORBELL + 8 * HC_EXIT), %rbx
	mov	%rax, (%rbx)
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: Apache-2.0 */
/* rowrite.S: a store into the image, a read-only memory slot. */
#include "../guest.h"

	.text
	.globl _start
_start:
	movabs	$IMAGE_VA, %rbx
	movq	$1, (%rbx)
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits

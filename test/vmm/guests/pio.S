/* SPDX-License-Identifier: Apache-2.0 */
/* pio.S: port I/O, which the VMM does not serve. */
#include "../guest.h"

	.text
	.globl _start
_start:
	mov	$0x42, %al
	out	%al, $0x80
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: Apache-2.0 */
/* triple.S: an exception with no IDT: triple fault. */
#include "../guest.h"

	.text
	.globl _start
_start:
	ud2
	.section .note.GNU-stack, "", @progbits

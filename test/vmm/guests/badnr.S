/* SPDX-License-Identifier: Apache-2.0 */
/* badnr.S: rings doorbell slot 200, which is no hostcall. */
#include "../guest.h"

	.text
	.globl _start
_start:
	HOSTCALL 200, args
	GUEST_EXIT 0
	.data
	HC_ARGS args
	.section .note.GNU-stack, "", @progbits

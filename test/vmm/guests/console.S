/* SPDX-License-Identifier: Apache-2.0 */
/* console.S: a console hostcall, then exit 0. */
#include "../guest.h"

	.text
	.globl _start
_start:
	HOSTCALL HC_CONSOLE, args
	GUEST_EXIT 0
	.data
msg:	.ascii	"hello from the test guest\n"
msg_end:
	HC_ARGS args, (msg - KVBASE), (msg_end - msg)
	.section .note.GNU-stack, "", @progbits

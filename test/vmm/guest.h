/* SPDX-License-Identifier: Apache-2.0 */
/*
 * guest.h: helpers for the tiny test guests (assembler). They are entered
 * like the sentry (abi/sentry/arch/boot.h): 64-bit mode, the boot root with
 * the kernel half and the direct map, but they never do the PVM opt-in, so
 * on PVM they run emulated, which is fine for a few instructions.
 * Constants from layout.h (whose UL suffixes do not assemble).
 */
#ifndef TEST_VMM_GUEST_H
#define TEST_VMM_GUEST_H

#define KVBASE		0xffffffff80000000	/* KERNEL_VBASE */
#define DOORBELL	0xffff8880fed00000	/* DIRECT_MAP_BASE + GUEST_HOSTCALL_GPA */
#define IMAGE_VA	0xffff890000000000	/* DIRECT_MAP_BASE + GUEST_IMAGE_GPA */

#define HC_EXIT		0
#define HC_CONSOLE	1
#define HC_WRITE	3

/* Hostcall \nr with the struct hc_args at label \args. Clobbers rax, rbx. */
.macro HOSTCALL nr, args
	lea	\args(%rip), %rax
	movabs	$KVBASE, %rbx
	sub	%rbx, %rax
	movabs	$(DOORBELL + 8 * \nr), %rbx
	mov	%rax, (%rbx)
.endm

/* struct hc_args { u64 a[6]; s64 ret; } */
.macro HC_ARGS label, a0=0, a1=0, a2=0
	.balign	8
\label:
	.quad	\a0, \a1, \a2, 0, 0, 0, 0
.endm

/* Exit with \status through a valid hostcall. */
.macro GUEST_EXIT status
	HOSTCALL HC_EXIT, .Lexit_args_\@
	ud2
	.pushsection .data
	HC_ARGS .Lexit_args_\@, \status
	.popsection
.endm

#endif /* TEST_VMM_GUEST_H */

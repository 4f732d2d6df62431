/* SPDX-License-Identifier: Apache-2.0 */
/*
 * head.S: the sentry's first instructions (guest only). The VMM enters
 * _start in 64-bit mode as abi/sentry/arch/boot.h describes; this file
 * brings the CPU into the state the flavour needs and calls
 * arch_boot(fdt, size, flavour) on the sentry stack.
 *
 * PVM (pvm.md 3.3, 6.3, 9.1): the vCPU starts *emulated* (each instruction
 * costs microseconds), so the stub is a handful of instructions: point
 * LSTAR at pvm_kinit, opt in with feature bit 0, and iretq to a
 * one-instruction user stub on the kernel root. Its syscall enters
 * pvm_kinit in kernel mode, natively; there the VIF page is registered
 * (which resets the feature word), then the full feature word 0x306f and
 * the real syscall entry are set.
 *
 * Ring 0: nothing to do but set LSTAR.
 */
#include "abi/sentry/arch/boot.h"

#include "x86.h"

#define FLAVOUR_PVM	1	/* BOOT_FLAVOUR_KVM_PVM, checked in boot.c */

	.section .text.head, "ax"
	.code64
	.globl	_start
_start:
	/* Kept in callee-saved registers across the user stub (only the
	 * syscall's RCX/R11 change there). */
	mov	%rdi, %r12
	mov	%rsi, %r13
	mov	%edx, %r14d
	cmp	$FLAVOUR_PVM, %edx
	jne	ring0_start

	/* PVM, emulated. */
	mov	$MSR_LSTAR, %ecx
	mov	$pvm_kinit, %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	mov	$PVM_MSR_FEATURES, %ecx
	mov	$PVM_FEATURES_BOOT, %eax
	xor	%edx, %edx
	wrmsr
	mov	%rsp, %rax
	push	$X86_USER_DS		/* ss */
	push	%rax			/* rsp: the sentry stack, also the stub's */
	push	$0x202			/* rflags: IF */
	push	$X86_USER_CS		/* cs */
	push	$pvm_user_stub		/* rip */
	iretq

	/* User mode on the kernel root: enter the kernel natively. */
pvm_user_stub:
	syscall
	ud2

	/* Native kernel mode from here on; RSP is the sentry stack again. */
pvm_kinit:
	lea	pvm_vif(%rip), %rbx
	movabs	$__kernel_vbase, %rax		/* sentry.lds: KERNEL_VBASE */
	sub	%rax, %rbx			/* the VIF page's gpa */
	mov	$PVM_HC_SET_VIF_GPA, %eax
	int	$0x1b				/* resets the feature word: set it after */
	mov	$PVM_MSR_FEATURES, %ecx
	mov	$PVM_FEATURES, %eax
	xor	%edx, %edx
	wrmsr
	/* GS_BASE and KERNEL_GS_BASE both held the per-CPU page, so whichever
	 * of them the user stub's round trip swapped in, GS_BASE has it now;
	 * the user's GS base starts at 0. */
	mov	$MSR_KERNEL_GS_BASE, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	mov	$entry_syscall_pvm, %rax
	jmp	set_lstar

ring0_start:
	mov	$entry_syscall_ring0, %rax

set_lstar:
	mov	$MSR_LSTAR, %ecx
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	mov	%r12, %rdi
	mov	%r13, %rsi
	mov	%r14d, %edx
	and	$-16, %rsp
	xor	%ebp, %ebp
	call	arch_boot
	ud2

	/* PVM: this vCPU's VIF page (pvm.md 3.8); if_ = 0: no interrupts. */
	.section .bss
	.balign	4096
	.globl	pvm_vif
pvm_vif:
	.skip	4096

	.section .note.GNU-stack, "", @progbits

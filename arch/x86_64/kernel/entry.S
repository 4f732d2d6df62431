/* SPDX-License-Identifier: Apache-2.0 */
/*
 * entry.S: the switch between the sentry and the app (guest only).
 *
 * plat_run_user() is a context switch, not a call into a kernel: the
 * sentry's callee-saved registers and RSP are parked in the per-CPU block
 * (x86.h), the app's registers are loaded from its struct regs and the CPU
 * returns to user mode. When the app stops (syscall, exception), the entry
 * code saves every app register into that struct regs and "returns" from
 * x86_enter_user() with the stop code, on the sentry's stack.
 *
 * Entries:
 *   syscall: LSTAR. RSP is the app's; GS_BASE is the per-CPU block (PVM
 *            swaps it, ring 0 does swapgs). No stack is used at all.
 *   traps:   IDT vectors 0-31. From user mode the frame is on TSS.RSP0 (or
 *            IST1), on the kernel root; from kernel mode (a sentry bug, or
 *            a PVM return gate that #GPs) x86_kernel_trap() decides.
 * Returns (x86_enter_user @how, x86.h): sysretq / iretq on ring 0; on PVM
 * the exit-free gates int $0x19 (sysret-like) and int $0x17 (iretq-like on
 * a frame the sentry has just written, pvm.md 9.2), or the
 * PVM_HC_IRET_FRAME hypercall as the fallback.
 */
#include "abi/sentry/arch/boot.h"

#include "x86.h"

#define STOP_SYSCALL	0	/* PLAT_STOP_SYSCALL, checked in trap.c */
#define STOP_FAULT	1	/* PLAT_STOP_FAULT */

	.text
	.code64

/* Load the GPRs that every return path takes from struct regs at %rdi:
 * all but RCX, R11, RDI and RSP. */
.macro LOAD_COMMON
	mov	R_R15(%rdi), %r15
	mov	R_R14(%rdi), %r14
	mov	R_R13(%rdi), %r13
	mov	R_R12(%rdi), %r12
	mov	R_RBP(%rdi), %rbp
	mov	R_RBX(%rdi), %rbx
	mov	R_R10(%rdi), %r10
	mov	R_R9(%rdi), %r9
	mov	R_R8(%rdi), %r8
	mov	R_RAX(%rdi), %rax
	mov	R_RDX(%rdi), %rdx
	mov	R_RSI(%rdi), %rsi
.endm

/* Save all GPRs but RAX and RSP into struct regs at \base. */
.macro SAVE_GPRS base
	mov	%r15, R_R15(\base)
	mov	%r14, R_R14(\base)
	mov	%r13, R_R13(\base)
	mov	%r12, R_R12(\base)
	mov	%rbp, R_RBP(\base)
	mov	%rbx, R_RBX(\base)
	mov	%r11, R_R11(\base)
	mov	%r10, R_R10(\base)
	mov	%r9, R_R9(\base)
	mov	%r8, R_R8(\base)
	mov	%rcx, R_RCX(\base)
	mov	%rdx, R_RDX(\base)
	mov	%rsi, R_RSI(\base)
	mov	%rdi, R_RDI(\base)
.endm

/*
 * int x86_enter_user(struct regs *regs, int how, uint64_t *frame)
 * Returns STOP_SYSCALL or STOP_FAULT when the app stops. @frame is the
 * per-CPU return frame, already filled by the caller for the iretq-style
 * returns.
 */
	.globl	x86_enter_user
	.balign	16
x86_enter_user:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %gs:PCPU_KSP
	cmp	$X86_RET_PVM_SYSRET, %esi
	je	.Lpvm_sysret
	cmp	$X86_RET_PVM_IRETQ, %esi
	je	.Lpvm_iretq
	cmp	$X86_RET_SYSRET, %esi
	je	.Lsysret
	cmp	$X86_RET_IRETQ, %esi
	je	.Liretq
	jmp	x86_pvm_iret_frame_resume

.Lpvm_sysret:
	LOAD_COMMON
	mov	R_RIP(%rdi), %rcx
	mov	R_RFLAGS(%rdi), %r11
	mov	R_RSP(%rdi), %rsp
	mov	R_RDI(%rdi), %rdi
	.globl	x86_pvm_gate19
x86_pvm_gate19:
	int	$0x19			/* RIP<-RCX, RFLAGS<-R11, user root, GS swapped */
	ud2

.Lpvm_iretq:
	lea	24(%rdx), %rsp		/* the iretq part of the frame */
	LOAD_COMMON
	mov	R_RCX(%rdi), %rcx
	mov	R_R11(%rdi), %r11
	mov	R_RDI(%rdi), %rdi
	.globl	x86_pvm_gate17
x86_pvm_gate17:
	int	$0x17			/* iretq on [rsp], user root, GS swapped */
	ud2

.Lsysret:
	LOAD_COMMON
	mov	R_RIP(%rdi), %rcx	/* canonical: checked by plat_run_user() */
	mov	R_RFLAGS(%rdi), %r11
	mov	R_RSP(%rdi), %rsp
	mov	R_RDI(%rdi), %rdi
	swapgs
	sysretq

.Liretq:
	lea	24(%rdx), %rsp
	LOAD_COMMON
	mov	R_RCX(%rdi), %rcx
	mov	R_R11(%rdi), %r11
	mov	R_RDI(%rdi), %rdi
	swapgs
	iretq

/*
 * void x86_pvm_iret_frame_resume(struct regs *regs, uint64_t *frame)
 * PVM_HC_IRET_FRAME: RAX, RBX, RDI, RIP, RFLAGS, RSP come from @frame
 * (filled by the caller), every other register stays as loaded here. Also
 * the resume point of the #GP fallback when a gate is missing; the
 * sentry's context is already parked in PCPU_KSP then.
 */
	.globl	x86_pvm_iret_frame_resume
x86_pvm_iret_frame_resume:
	mov	%rdx, %rbx
	mov	R_R15(%rdi), %r15
	mov	R_R14(%rdi), %r14
	mov	R_R13(%rdi), %r13
	mov	R_R12(%rdi), %r12
	mov	R_RBP(%rdi), %rbp
	mov	R_R11(%rdi), %r11
	mov	R_R10(%rdi), %r10
	mov	R_R9(%rdi), %r9
	mov	R_R8(%rdi), %r8
	mov	R_RCX(%rdi), %rcx
	mov	R_RDX(%rdi), %rdx
	mov	R_RSI(%rdi), %rsi
	mov	$PVM_HC_IRET_FRAME, %eax
	int	$0x1b
	/* Still here: the hypervisor refused. */
	mov	%gs:PCPU_KSP, %rsp
	and	$-16, %rsp
	mov	%rax, %rdi
	call	x86_pvm_return_failed
	ud2

/* Back to the sentry, in x86_enter_user()'s caller, with %eax = stop. */
x86_return_to_sentry:
	mov	%gs:PCPU_KSP, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

/*
 * syscall from the app. Ring 0 enters at entry_syscall_ring0 (swapgs);
 * PVM at entry_syscall_pvm (the hypervisor already switched to the kernel
 * root and swapped GS, pvm.md 3.9). RCX = user RIP, R11 = user RFLAGS.
 */
	.globl	entry_syscall_ring0, entry_syscall_pvm
	.balign	16
entry_syscall_ring0:
	swapgs
entry_syscall_pvm:
	mov	%rsp, %gs:PCPU_SCRATCH
	mov	%gs:PCPU_REGS, %rsp
	SAVE_GPRS %rsp
	mov	%rax, R_RAX(%rsp)
	mov	%rax, R_ORIG_RAX(%rsp)
	mov	%rcx, R_RIP(%rsp)
	mov	%r11, R_RFLAGS(%rsp)
	mov	%gs:PCPU_SCRATCH, %rax
	mov	%rax, R_RSP(%rsp)
	movq	$X86_USER_CS, R_CS(%rsp)
	movq	$X86_USER_DS, R_SS(%rsp)
	cld
	mov	$STOP_SYSCALL, %eax
	jmp	x86_return_to_sentry

/*
 * Vectors 0-31 and 32 (the VMM's timer interrupt, X86_TIMER_VECTOR): push a
 * 0 where the CPU pushes no error code, then the vector.
 */
.macro TRAP vec
	.balign	16
x86_trap_\vec:
	.if !(\vec == 8 || \vec == 10 || \vec == 11 || \vec == 12 || \vec == 13 || \vec == 14 || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	push	$0
	.endif
	push	$\vec
	jmp	x86_trap_common
.endm

	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32
	TRAP	\v
	.endr

/*
 * Stack: [0] vector, [8] error, [16] rip, [24] cs, [32] rflags, [40] rsp,
 * [48] ss. CS RPL 3 = from user mode (PVM's native kernel also runs at
 * hardware CPL 3, but its event frames say CS 0x10).
 */
x86_trap_common:
	cld
	/* An app's RFLAGS.AC must not follow into PVM's CPL 3 kernel (CR0.AM is
	 * on); clac is not available there (pvm.md 9.3). */
	pushfq
	andq	$~0x40000, (%rsp)
	popfq
	testb	$3, 24(%rsp)
	jz	.Lkernel_trap
	cmpb	$0, x86_need_swapgs(%rip)
	je	1f
	swapgs
1:	push	%rax
	mov	%gs:PCPU_REGS, %rax
	SAVE_GPRS %rax
	pop	%rbx
	mov	%rbx, R_RAX(%rax)
	movq	$-1, R_ORIG_RAX(%rax)
	pop	%rbx
	mov	%rbx, %gs:PCPU_TRAPNO
	pop	%rbx
	mov	%rbx, %gs:PCPU_ERROR
	pop	%rbx
	mov	%rbx, R_RIP(%rax)
	pop	%rbx
	mov	%rbx, R_CS(%rax)
	pop	%rbx
	mov	%rbx, R_RFLAGS(%rax)
	pop	%rbx
	mov	%rbx, R_RSP(%rax)
	pop	%rbx
	mov	%rbx, R_SS(%rax)
	cmpq	$14, %gs:PCPU_TRAPNO
	jne	2f
	mov	%cr2, %rbx		/* PVM: one exit (VIF.cr2 is never filled) */
	mov	%rbx, %gs:PCPU_CR2
2:	mov	$STOP_FAULT, %eax
	jmp	x86_return_to_sentry

/* Kernel mode: a struct ktrap_frame (x86.h) right below vector/error. */
.Lkernel_trap:
	sub	$R_SIZE, %rsp
	mov	%rax, R_RAX(%rsp)
	SAVE_GPRS %rsp
	mov	$-1, %rax
	mov	%rax, R_ORIG_RAX(%rsp)
	mov	(R_SIZE + 16)(%rsp), %rax
	mov	%rax, R_RIP(%rsp)
	mov	(R_SIZE + 24)(%rsp), %rax
	mov	%rax, R_CS(%rsp)
	mov	(R_SIZE + 32)(%rsp), %rax
	mov	%rax, R_RFLAGS(%rsp)
	mov	(R_SIZE + 40)(%rsp), %rax
	mov	%rax, R_RSP(%rsp)
	mov	(R_SIZE + 48)(%rsp), %rax
	mov	%rax, R_SS(%rsp)
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	x86_kernel_trap		/* does not return */
	ud2

	.section .rodata
	.balign	8
	.globl	x86_trap_stubs
x86_trap_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32
	.quad	x86_trap_\v
	.endr

	.section .note.GNU-stack, "", @progbits

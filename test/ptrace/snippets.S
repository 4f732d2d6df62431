/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snippets.S: app code for test/ptrace/plat_test.c. Position-independent;
 * the test copies [snip_start, snip_end) into the RAM memfd and maps it into
 * a stub. Registers are set up by the test.
 */
	.text
	.globl	snip_start, snip_end
	.globl	snip_syscalls, snip_store, snip_load, snip_jump
	.globl	snip_host_syscall, snip_int3, snip_ud2, snip_div, snip_vsyscall, snip_int80
	.balign	16
snip_start:

/* Two syscalls; the second shows the first's result in rdi. */
snip_syscalls:
	syscall
	mov	%rax, %rdi
	syscall
	ud2

/* *rbx = rcx, then a syscall. */
snip_store:
	movq	%rcx, (%rbx)
	syscall
	ud2

/* rdx = *rbx, then a syscall (which clobbers rcx). */
snip_load:
	movq	(%rbx), %rdx
	syscall
	ud2

snip_jump:
	jmp	*%rbx

/* A host syscall from app code (getpid): run it with PTRACE_CONT. */
snip_host_syscall:
	mov	$39, %eax
	syscall
	ud2

snip_int3:
	int3
	syscall
	ud2

snip_ud2:
	ud2

snip_div:
	xor	%ecx, %ecx
	div	%rcx
	ud2

/* gettimeofday through the legacy vsyscall page. */
snip_vsyscall:
	xor	%edi, %edi
	xor	%esi, %esi
	mov	$0xffffffffff600000, %rax
	call	*%rax
	syscall
	ud2

/* The 32-bit syscall entry (getpid is 20 there). */
snip_int80:
	mov	$20, %eax
	int	$0x80
	ud2

snip_end:
	.section .note.GNU-stack, "", @progbits

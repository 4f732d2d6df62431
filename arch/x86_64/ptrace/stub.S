/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stub.S: the code of a ptrace stub process (vmm/ptrace/stub.c).
 *
 * The tracer runs one host syscall in a stub by pointing rip here with the
 * number and arguments in registers and resuming it with PTRACE_CONT; the
 * int3 stops the stub again (SIGTRAP) with the result in rax. The stub's
 * seccomp filter allows a syscall only from the address right after this
 * `syscall` instruction in the stub page (PTRACE_STUB_VA + 2).
 *
 * It lives in .text so that a freshly forked stub can run it from its copy
 * of sentry-vm's code before the stub page exists; the tracer then copies
 * these bytes to PTRACE_STUB_VA.
 */
	.text
	.globl	ptrace_stub_code, ptrace_stub_code_end
	.type	ptrace_stub_code, @function
	.balign	16
ptrace_stub_code:
	syscall			/* 0f 05: PTRACE_STUB_SYSCALL_END = 2 */
	int3			/* cc:    PTRACE_STUB_TRAP_END = 3 */
ptrace_stub_code_end:
	.size	ptrace_stub_code, . - ptrace_stub_code
	.section .note.GNU-stack, "", @progbits

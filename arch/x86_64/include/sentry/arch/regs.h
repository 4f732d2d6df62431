/* SPDX-License-Identifier: Apache-2.0 */
/*
 * regs.h: the app's register file, THE one layout both platforms fill.
 *
 * It is exactly Linux's struct user_regs_struct (27 qwords), so the ptrace
 * platform moves it with one PTRACE_GETREGS/SETREGS and the KVM entry code
 * (arch/x86_64/kernel/entry.S) saves into it with offsets checked against
 * this struct (asm-offsets). Do not reorder.
 */
#ifndef SENTRY_ARCH_REGS_H
#define SENTRY_ARCH_REGS_H

#include <stdint.h>

struct regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10;
	uint64_t r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t orig_rax;	/* syscall number at a syscall stop */
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t fs_base, gs_base;
	uint64_t ds, es, fs, gs;
};

_Static_assert(sizeof(struct regs) == 27 * 8, "struct regs must match user_regs_struct");

#define USER_CS		0x33
#define USER_DS		0x2b
#define RFLAGS_IF	(1UL << 9)
#define RFLAGS_RESERVED	(1UL << 1)

#endif /* SENTRY_ARCH_REGS_H */

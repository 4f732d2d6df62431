/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch.h: arch hooks the core calls, implemented once per arch in
 * arch/<a>/syscall_abi.c (core: the register ABI is the same whether the
 * registers came from KVM or ptrace).
 */
#ifndef SENTRY_ARCH_H
#define SENTRY_ARCH_H

#include "sentry/arch/regs.h"
#include "sentry/types.h"

struct syscall_args;

unsigned long arch_syscall_nr(const struct regs *regs);
void arch_syscall_args(const struct regs *regs, struct syscall_args *args);
void arch_syscall_set_return(struct regs *regs, long ret);

/** arch_syscall_ret() - the syscall result register of @regs. */
long arch_syscall_ret(const struct regs *regs);
/** arch_syscall_restart() - rewind @regs to run the syscall it stopped at again. */
void arch_syscall_restart(struct regs *regs);

/** arch_syscall_restart_block() - rewind @regs to make restart_syscall(2) instead. */
void arch_syscall_restart_block(struct regs *regs);

/** arch_init_user_regs() - registers for a fresh exec: entry @pc, stack @sp. */
void arch_init_user_regs(struct regs *regs, uaddr_t pc, uaddr_t sp);

/** arch_hwcap() - AT_HWCAP / AT_HWCAP2 values and the AT_PLATFORM string. */
unsigned long arch_hwcap(void);
unsigned long arch_hwcap2(void);
const char *arch_platform_name(void);

/*
 * Kernel contexts: each task runs its syscalls on its own kernel stack.
 * A context is the stack pointer with the callee-saved registers pushed
 * below it (arch/<a>/core/switch.c).
 */
struct arch_kctx {
	uint64_t sp;
};

/** arch_kctx_switch() - save the current context in @from, resume @to. */
void arch_kctx_switch(struct arch_kctx *from, struct arch_kctx *to);

/**
 * arch_kctx_init() - a context that, on its first switch, calls @fn(@arg)
 * on the stack ending at @stack_top (16-byte aligned). @fn must not return.
 */
void arch_kctx_init(struct arch_kctx *ctx, void *stack_top,
		    void (*fn)(void *), void *arg);

/** arch_uname_machine() - "x86_64" / "aarch64". */
const char *arch_uname_machine(void);

#endif /* SENTRY_ARCH_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signal_internal.h: between kernel/signal.c and the signal frame code
 * (kernel/signal_frame.c). Not a contract for the rest of the core.
 */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include "sentry/signal.h"
#include "sentry/task.h"

#ifndef offsetof
#define offsetof(t, m)	__builtin_offsetof(t, m)
#endif

/**
 * signal_setup_frame() - make @t run @ka's handler for @info->signo on its
 * return to user mode: push the rt_sigframe (siginfo, ucontext with the
 * registers and @t->sigmask) on the stack (or the alternate stack), point
 * the registers at the handler, block @ka->mask (and the signal unless
 * SA_NODEFER). Return: 0, or -EFAULT when the frame cannot be written.
 */
int signal_setup_frame(struct task *t, int sig, const struct signal_info *info,
		       const struct linux_sigaction *ka);

#endif /* KERNEL_SIGNAL_INTERNAL_H */

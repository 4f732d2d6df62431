/* SPDX-License-Identifier: Apache-2.0 */
/* futex.h: futex waits and wakes (kernel/futex.c), for process.c and clone.c. */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "sentry/types.h"

struct mm;

/* The futex word of a PI or robust lock: owner TID and two flags (Linux ABI). */
#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU

/** futex_wake() - wake up to @n waiters on @uaddr of @mm. Return: how many. */
int futex_wake(struct mm *mm, uaddr_t uaddr, int n);

struct task;

/**
 * futex_exit_robust() - @t ends (kernel/robust.c): the locks on its robust
 * list that it owns become FUTEX_OWNER_DIED and wake one waiter each.
 */
void futex_exit_robust(struct task *t);

#endif /* KERNEL_FUTEX_H */

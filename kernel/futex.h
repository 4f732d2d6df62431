/* SPDX-License-Identifier: Apache-2.0 */
/* futex.h: futex waits and wakes (kernel/futex.c), for process.c and clone.c. */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "sentry/types.h"

struct mm;

/** futex_wake() - wake up to @n waiters on @uaddr of @mm. Return: how many. */
int futex_wake(struct mm *mm, uaddr_t uaddr, int n);

#endif /* KERNEL_FUTEX_H */

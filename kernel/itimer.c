// SPDX-License-Identifier: Apache-2.0
/*
 * itimer.c: alarm(2), setitimer(2) and getitimer(2) for ITIMER_REAL, the
 * per-process timer that sends SIGALRM, on a ktimer (sentry/ktimer.h; no
 * tick: the platform timer is set to its deadline). Kept across execve, not
 * inherited by fork, gone when the process exits. ITIMER_VIRTUAL and
 * ITIMER_PROF (CPU-time timers) are not kept: EINVAL.
 */
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

#include "process_internal.h"

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2
#define NSEC_PER_USEC	1000LL
#define USEC_PER_SEC	1000000LL

struct linux_itimerval {
	struct linux_timeval it_interval;
	struct linux_timeval it_value;
};

/* Periods missed while nothing noticed are one signal (it does not queue). */
static void real_fire(struct sched_timer *st)
{
	struct process *p = container_of(ktimer_of(st), struct process, real_timer);

	signal_send_kernel(p, SIGALRM);
	ktimer_forward(&p->real_timer);
}

/* A timeval as ns; -EINVAL when it is not one (negative, usec >= 1 s). */
static int tv_to_ns(const struct linux_timeval *tv, int64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= USEC_PER_SEC ||
	    tv->tv_sec > INT64_MAX / NSEC_PER_SEC / 2)
		return -EINVAL;
	*ns = tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * NSEC_PER_USEC;
	return 0;
}

/* ns as a timeval, rounded up to a microsecond (an armed timer never reads 0). */
static struct linux_timeval ns_to_tv(int64_t ns)
{
	int64_t us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;

	return (struct linux_timeval){ us / USEC_PER_SEC, us % USEC_PER_SEC };
}

static struct linux_itimerval real_get(struct process *p)
{
	struct linux_itimerval v = { 0 };
	int64_t left = ktimer_left(&p->real_timer);

	if (left) {
		v.it_value = ns_to_tv(left);
		v.it_interval = ns_to_tv(p->real_timer.interval);
	}
	return v;
}

/* Arm @p's ITIMER_REAL to fire in @value ns (0: disarm), then every @interval. */
static void real_set(struct process *p, int64_t value, int64_t interval)
{
	p->real_timer.st.fire = real_fire;	/* zeroed by process_alloc, never armed before */
	ktimer_set(&p->real_timer, value, interval, false);
}

long sys_getitimer(struct task *t, const struct syscall_args *a)
{
	struct linux_itimerval v = { 0 };
	int which = arg_int(a, 0);

	if (which == ITIMER_REAL)
		v = real_get(t->proc);
	else if (which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	return copy_to_user(arg_uaddr(a, 1), &v, sizeof(v));
}

long sys_setitimer(struct task *t, const struct syscall_args *a)
{
	struct linux_itimerval v, old;
	int64_t value, interval;
	uaddr_t oldp = arg_uaddr(a, 2);
	int err;

	if (arg_int(a, 0) != ITIMER_REAL)
		return -EINVAL;
	/* a NULL value disarms, as Linux still accepts */
	err = arg_uaddr(a, 1) ? copy_from_user(&v, arg_uaddr(a, 1), sizeof(v)) : 0;
	if (!arg_uaddr(a, 1))
		v = (struct linux_itimerval){ 0 };
	if (!err)
		err = tv_to_ns(&v.it_value, &value);
	if (!err)
		err = tv_to_ns(&v.it_interval, &interval);
	if (err)
		return err;
	old = real_get(t->proc);
	if (oldp && copy_to_user(oldp, &old, sizeof(old)))
		return -EFAULT;
	real_set(t->proc, value, interval);
	return 0;
}

/* The seconds left of the old alarm, rounded as Linux does (never 0 while armed). */
long sys_alarm(struct task *t, const struct syscall_args *a)
{
	struct linux_itimerval old = real_get(t->proc);
	unsigned int secs = (unsigned int)arg_int(a, 0);
	long left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);

	if (!left && old.it_value.tv_usec)
		left = 1;
	real_set(t->proc, (int64_t)secs * NSEC_PER_SEC, 0);
	return left;
}

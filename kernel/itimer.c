// SPDX-License-Identifier: Apache-2.0
/*
 * itimer.c: alarm(2), setitimer(2) and getitimer(2): the per-process
 * timers ITIMER_REAL (SIGALRM, on CLOCK_MONOTONIC: a ktimer, no tick, the
 * platform timer is set to its deadline), ITIMER_VIRTUAL (SIGVTALRM, on
 * the process's user time) and ITIMER_PROF (SIGPROF, on its user + system
 * time; sentry/cputime.h). Kept across execve, not inherited by fork,
 * gone when the process exits.
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

/* The signal of each timer; periods missed while nothing noticed are one signal. */
static void real_fire(struct sched_timer *st)
{
	struct process *p = container_of(ktimer_of(st), struct process, real_timer);

	signal_send_kernel(p, SIGALRM);
	ktimer_forward(&p->real_timer);
}

static void cpu_fire(struct sched_timer *st)
{
	struct ktimer *kt = ktimer_of(st);

	signal_send_kernel(kt->cpu.proc, kt->cpu.kind == CPUCLOCK_VIRT ? SIGVTALRM : SIGPROF);
	ktimer_forward(kt);
}

/* @p's timer @which (set up on first use), or NULL for no such timer. */
static struct ktimer *itimer(struct process *p, int which)
{
	struct cpu_clock c = { p, 0, which == ITIMER_VIRTUAL ? CPUCLOCK_VIRT : CPUCLOCK_PROF };
	struct ktimer *kt;

	switch (which) {
	case ITIMER_REAL:
		p->real_timer.st.fire = real_fire;	/* zeroed by process_alloc */
		return &p->real_timer;
	case ITIMER_VIRTUAL:
		kt = &p->virt_timer;
		break;
	case ITIMER_PROF:
		kt = &p->prof_timer;
		break;
	default:
		return NULL;
	}
	if (!kt->cpu.proc)	/* zeroed by process_alloc: never armed yet */
		ktimer_init_cpu(kt, &c, cpu_fire);
	return kt;
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

static struct linux_itimerval itimer_get(const struct ktimer *kt)
{
	struct linux_itimerval v = { 0 };
	int64_t left = ktimer_left(kt);

	if (left) {
		v.it_value = ns_to_tv(left);
		v.it_interval = ns_to_tv(kt->interval);
	}
	return v;
}

long sys_getitimer(struct task *t, const struct syscall_args *a)
{
	struct ktimer *kt = itimer(t->proc, arg_int(a, 0));
	struct linux_itimerval v;

	if (!kt)
		return -EINVAL;
	v = itimer_get(kt);
	return copy_to_user(arg_uaddr(a, 1), &v, sizeof(v));
}

long sys_setitimer(struct task *t, const struct syscall_args *a)
{
	struct ktimer *kt = itimer(t->proc, arg_int(a, 0));
	struct linux_itimerval v, old;
	int64_t value, interval;
	uaddr_t oldp = arg_uaddr(a, 2);
	int err;

	if (!kt)
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
	old = itimer_get(kt);
	if (oldp && copy_to_user(oldp, &old, sizeof(old)))
		return -EFAULT;
	ktimer_set(kt, value, interval, false);
	return 0;
}

/* The seconds left of the old alarm, rounded as Linux does (never 0 while armed). */
long sys_alarm(struct task *t, const struct syscall_args *a)
{
	struct ktimer *kt = itimer(t->proc, ITIMER_REAL);
	struct linux_itimerval old = itimer_get(kt);
	unsigned int secs = (unsigned int)arg_int(a, 0);
	long left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);

	if (!left && old.it_value.tv_usec)
		left = 1;
	ktimer_set(kt, (int64_t)secs * NSEC_PER_SEC, 0, false);
	return left;
}

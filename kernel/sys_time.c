// SPDX-License-Identifier: Apache-2.0
/*
 * sys_time.c: clocks and sleeping. Clocks come from the platform (no exit
 * under KVM; apps mostly read them in the vDSO, kernel/vdso.c, instead);
 * the CPU-time clocks from the core's accounting (sentry/cputime.h).
 *
 * A relative sleep that a signal interrupts returns EINTR to a handler,
 * and when no handler runs (a stop and a SIGCONT) goes on to its first
 * deadline through restart_syscall(2), as Linux's restart block.
 */
#include "sentry/arch/vvar.h"
#include "sentry/cputime.h"
#include "sentry/host.h"
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

static int clock_read(struct task *t, int clockid, int64_t *ns)
{
	struct cpu_clock c;
	int err;

	if (!cputime_is_clock(clockid))
		return plat_clock_ns(clockid, ns);
	err = cputime_clock(t, clockid, true, &c);
	if (!err && cputime_read(&c, ns))
		err = -EINVAL;	/* its thread is gone */
	return err;
}

static struct linux_timespec ns_to_ts(int64_t ns)
{
	struct linux_timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	return ts;
}

long sys_clock_gettime(struct task *t, const struct syscall_args *a)
{
	struct linux_timespec ts;
	int64_t ns;
	int err = clock_read(t, arg_int(a, 0), &ns);

	if (err)
		return err;
	ts = ns_to_ts(ns);
	return copy_to_user(arg_uaddr(a, 1), &ts, sizeof(ts));
}

long sys_clock_getres(struct task *t, const struct syscall_args *a)
{
	int clockid = arg_int(a, 0);
	struct linux_timespec ts = { 0, 1 };
	int64_t ns;
	int err = clock_read(t, clockid, &ns);

	if (err)
		return err;
	ts.tv_nsec = vvar_clock_res_ns(clockid);	/* what the vDSO says too */
	if (clockid < 0 && (clockid & 3) != CPUCLOCK_SCHED)
		ts.tv_nsec = 4000000;	/* a tick: CPU_SCHED clocks read finer, as on Linux */
	if (!arg_uaddr(a, 1))
		return 0;
	return copy_to_user(arg_uaddr(a, 1), &ts, sizeof(ts));
}

long sys_gettimeofday(struct task *t, const struct syscall_args *a)
{
	struct linux_timezone tz = { 0, 0 };
	struct linux_timeval tv;
	int64_t ns;

	if (arg_uaddr(a, 0)) {
		plat_clock_ns(CLOCK_REALTIME, &ns);
		tv.tv_sec = ns / NSEC_PER_SEC;
		tv.tv_usec = ns % NSEC_PER_SEC / 1000;
		if (copy_to_user(arg_uaddr(a, 0), &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (arg_uaddr(a, 1) && copy_to_user(arg_uaddr(a, 1), &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

long sys_time(struct task *t, const struct syscall_args *a)
{
	int64_t ns, sec;

	plat_clock_ns(CLOCK_REALTIME, &ns);
	sec = ns / NSEC_PER_SEC;
	if (arg_uaddr(a, 0) && copy_to_user(arg_uaddr(a, 0), &sec, sizeof(sec)))
		return -EFAULT;
	return sec;
}

static int get_timespec_ns(uaddr_t u, int64_t *ns)
{
	struct linux_timespec ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		ts.tv_sec = INT64_MAX / NSEC_PER_SEC - 1;	/* "forever" */
	*ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static long sleep_restart(struct task *t);

struct cpu_sleep {
	struct ktimer timer;
	struct task *sleeper;
};

static void cpu_sleep_fire(struct sched_timer *st)
{
	sched_wake(container_of(ktimer_of(st), struct cpu_sleep, timer)->sleeper);
}

/* Wait until CPU clock @c reaches @deadline: 0, or -EINTR, -EDEADLK. */
static int cpu_sleep_until(const struct cpu_clock *c, int64_t deadline)
{
	struct cpu_sleep s = { .sleeper = task_current() };
	int64_t now;
	int err = 0;

	ktimer_init_cpu(&s.timer, c, cpu_sleep_fire);
	ktimer_set(&s.timer, deadline, 0, true);
	while (!err && !cputime_read(c, &now) && now < deadline)
		err = sched_wait(NULL, SCHED_FOREVER);	/* the other threads' time */
	ktimer_cancel(&s.timer);
	return err;
}

/* Now on @c (.proc NULL: CLOCK_MONOTONIC). */
static int64_t sleep_clock_now(const struct cpu_clock *c)
{
	int64_t ns = 0;

	if (c->proc)
		cputime_read(c, &ns);
	else
		plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

/*
 * Sleep until @deadline on @c (.proc NULL: CLOCK_MONOTONIC); other tasks
 * run meanwhile. Interrupted by a signal: the time left in *@rem and
 * -ERESTART_RESTARTBLOCK, the rest kept for restart_syscall().
 */
static long sleep_until(const struct cpu_clock *c, int64_t deadline, uaddr_t rem)
{
	struct task *t = task_current();
	struct linux_timespec left = { 0, 0 };
	int64_t ns;
	int err;

	err = c->proc ? cpu_sleep_until(c, deadline) : sched_sleep_until(deadline);
	if (err != -EINTR)
		return err;
	ns = deadline - sleep_clock_now(c);
	if (ns > 0)
		left = ktimer_ns_to_ts(ns);
	if (rem && copy_to_user(rem, &left, sizeof(left)))
		return -EFAULT;
	t->restart = (struct restart_block){ .fn = sleep_restart, .clock = *c,
					     .deadline = deadline, .rem = rem };
	return -ERESTART_RESTARTBLOCK;
}

static long sleep_restart(struct task *t)
{
	struct restart_block r = t->restart;

	return sleep_until(&r.clock, r.deadline, r.rem);
}

/* Sleep @ns on @c (relative); see sleep_until(). */
static long sleep_for(const struct cpu_clock *c, int64_t ns, uaddr_t rem)
{
	int64_t now = sleep_clock_now(c);

	if (ns <= 0)
		return 0;
	return sleep_until(c, ns > INT64_MAX - now ? SCHED_FOREVER : now + ns, rem);
}

long sys_nanosleep(struct task *t, const struct syscall_args *a)
{
	struct cpu_clock mono = { 0 };
	int64_t ns;
	int err = get_timespec_ns(arg_uaddr(a, 0), &ns);

	if (err)
		return err;
	return sleep_for(&mono, ns, arg_uaddr(a, 1));
}

/*
 * clock_nanosleep(clockid, flags, request, remain). As Linux: not on the
 * caller's own thread CPU clock (it could never advance: EINVAL, and
 * EOPNOTSUPP for CLOCK_THREAD_CPUTIME_ID itself); an absolute
 * sleep that a signal interrupts is simply made again (its request holds).
 */
long sys_clock_nanosleep(struct task *t, const struct syscall_args *a)
{
	int clockid = arg_int(a, 0);
	struct cpu_clock c = { 0 };
	int64_t ns, now;
	long err;

	if (clockid == CLOCK_THREAD_CPUTIME_ID)
		return -EOPNOTSUPP;	/* as Linux: this id has no sleep at all */
	if (cputime_is_clock(clockid)) {
		err = cputime_clock(t, clockid, false, &c);
		if (!err && c.tid == t->tid)
			err = -EINVAL;
	} else {
		err = plat_clock_ns(clockid, &now);
	}
	if (!err)
		err = get_timespec_ns(arg_uaddr(a, 2), &ns);
	if (err)
		return err;
	if (!(arg_int(a, 1) & TIMER_ABSTIME))
		return sleep_for(&c, ns, arg_uaddr(a, 3));
	if (c.proc) {
		err = sleep_until(&c, ns, 0);
	} else {
		ns -= now;	/* on CLOCK_MONOTONIC */
		err = ns > 0 ? sleep_for(&c, ns, 0) : 0;
	}
	return err == -ERESTART_RESTARTBLOCK ? -ERESTARTNOHAND : err;
}

/* restart_syscall(): what an interrupted sleep had left, or EINTR. */
long sys_restart_syscall(struct task *t, const struct syscall_args *a)
{
	long (*fn)(struct task *t) = t->restart.fn;

	t->restart.fn = NULL;
	return fn ? fn(t) : -EINTR;
}

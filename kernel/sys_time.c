// SPDX-License-Identifier: Apache-2.0
/*
 * sys_time.c: clocks and sleeping. Clocks come from the platform (no exit
 * under KVM); apps mostly read them in the vDSO (kernel/vdso.c) instead.
 */
#include "sentry/arch/vvar.h"

#include "sentry/host.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

static int clock_read(int clockid, int64_t *ns)
{
	if (clockid == CLOCK_PROCESS_CPUTIME_ID || clockid == CLOCK_THREAD_CPUTIME_ID) {
		*ns = plat_cpu_ns();
		return 0;
	}
	return plat_clock_ns(clockid, ns);
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
	int err = clock_read(arg_int(a, 0), &ns);

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
	int err = clock_read(clockid, &ns);

	if (err)
		return err;
	ts.tv_nsec = vvar_clock_res_ns(clockid);	/* what the vDSO says too */
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

/*
 * Sleep @ns; other tasks run meanwhile. A signal ends the sleep early
 * with -EINTR and the time left in *@rem.
 */
static long sleep_ns(int64_t ns, uaddr_t rem)
{
	struct linux_timespec left = { 0, 0 };
	int64_t start = 0, now = 0;
	int err;

	if (ns <= 0)
		return 0;
	plat_clock_ns(CLOCK_MONOTONIC, &start);
	err = sched_sleep_until(ns > INT64_MAX - start ? SCHED_FOREVER : start + ns);
	if (err != -EINTR)
		return err;
	plat_clock_ns(CLOCK_MONOTONIC, &now);
	ns -= now - start;
	if (ns > 0) {
		left.tv_sec = ns / NSEC_PER_SEC;
		left.tv_nsec = ns % NSEC_PER_SEC;
	}
	if (rem && copy_to_user(rem, &left, sizeof(left)))
		return -EFAULT;
	return -EINTR;
}

long sys_nanosleep(struct task *t, const struct syscall_args *a)
{
	int64_t ns;
	int err = get_timespec_ns(arg_uaddr(a, 0), &ns);

	if (err)
		return err;
	return sleep_ns(ns, arg_uaddr(a, 1));
}

long sys_clock_nanosleep(struct task *t, const struct syscall_args *a)
{
	int clockid = arg_int(a, 0);
	int64_t ns, now;
	int err;

	if (clockid == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	err = clock_read(clockid, &now);
	if (err)
		return err;
	err = get_timespec_ns(arg_uaddr(a, 2), &ns);
	if (err)
		return err;
	if (arg_int(a, 1) & TIMER_ABSTIME)
		return sleep_ns(ns - now, 0);
	return sleep_ns(ns, arg_uaddr(a, 3));
}

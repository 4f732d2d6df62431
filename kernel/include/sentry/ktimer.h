/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktimer.h: a one-shot or periodic timer on a clock (kernel/ktimer.c),
 * core: what alarm/setitimer (kernel/itimer.c), timerfd (fs/timerfd.c)
 * and timer_create (kernel/posix_timer.c) share. It runs on a scheduler
 * timer (sentry/sched.h), so its deadline is CLOCK_MONOTONIC ns: an
 * absolute time on CLOCK_REALTIME or CLOCK_BOOTTIME is turned into one
 * when set, and a later change of that clock does not move it.
 *
 * A timer on a CPU-time clock (sentry/cputime.h: ITIMER_VIRTUAL,
 * ITIMER_PROF, timer_create on those clocks) has its deadline on that
 * clock instead; armed, it is on its process's cpu_timers, and fires when
 * a thread of the process notices the time has come: at each stop, and at
 * the platform timer that ktimer_cpu_next() asks for while one runs.
 */
#ifndef SENTRY_KTIMER_H
#define SENTRY_KTIMER_H

#include "sentry/cputime.h"
#include "sentry/sched.h"
#include "sentry/types.h"

#include "abi/linux/time.h"

struct ktimer {
	struct sched_timer st;	/* its fire runs at each expiration */
	int clockid;		/* what an absolute value is a time of */
	int64_t interval;	/* ns; 0: one shot */
	bool held;		/* fired, periodic, its next period waits for ktimer_forward() */
	struct cpu_clock cpu;	/* a CPU-time timer: its clock (.proc NULL: none) */
};

/** ktimer_init() - @kt, not armed, on @clockid; @fire runs at each expiration. */
void ktimer_init(struct ktimer *kt, int clockid, void (*fire)(struct sched_timer *st));

/** ktimer_init_cpu() - the same, on CPU-time clock @c. */
void ktimer_init_cpu(struct ktimer *kt, const struct cpu_clock *c,
		     void (*fire)(struct sched_timer *st));

static inline struct ktimer *ktimer_of(struct sched_timer *st)
{
	return container_of(st, struct ktimer, st);
}

/**
 * ktimer_set() - arm @kt to expire in @value ns (@abs: at @value on its
 * clock, at once if that has passed), then every @interval ns (0: once).
 * A @value of 0 disarms it.
 */
void ktimer_set(struct ktimer *kt, int64_t value, int64_t interval, bool abs);

/** ktimer_cancel() - disarm @kt (before it is freed). */
void ktimer_cancel(struct ktimer *kt);

/**
 * ktimer_left() - the ns until @kt's next expiration (at least 1 while it
 * is armed: an armed timer never reads as disarmed), 0 when disarmed.
 */
int64_t ktimer_left(const struct ktimer *kt);

/**
 * ktimer_forward() - from @kt's fire: the expirations since its deadline,
 * that one included (periods nobody saw count too), and a periodic @kt
 * re-armed for its first period after now. Return: at least 1.
 */
uint64_t ktimer_forward(struct ktimer *kt);

/**
 * ktimer_hold() - from @kt's fire, instead of ktimer_forward(): a periodic
 * @kt stays armed for the app (its time left runs on through the periods)
 * but fires no more until its owner calls ktimer_forward(), as a POSIX
 * timer waits for its signal to be taken.
 */
void ktimer_hold(struct ktimer *kt);

/**
 * ktimer_cpu_expire() - fire the CPU-time timers of @t's process whose
 * time has come (@t is the running task, its time just charged).
 */
void ktimer_cpu_expire(struct task *t);

/**
 * ktimer_cpu_next() - when (CLOCK_MONOTONIC ns) the first CPU-time timer
 * of @t's process would expire if @t ran on from now without a stop;
 * SCHED_FOREVER when none would.
 */
int64_t ktimer_cpu_next(struct task *t);

/** ktimer_ts_to_ns() - @ts as ns; -EINVAL unless it is a valid, not too large, timespec. */
int ktimer_ts_to_ns(const struct linux_timespec *ts, int64_t *ns);

/** ktimer_ns_to_ts() - @ns (>= 0) as a timespec. */
struct linux_timespec ktimer_ns_to_ts(int64_t ns);

/** ktimer_get_spec() - @kt's time left and period, as timer_gettime/timerfd_gettime tell them. */
struct linux_itimerspec ktimer_get_spec(const struct ktimer *kt);

/**
 * ktimer_spec_from_user() - the app's itimerspec at @uspec as a value and
 * an interval in ns, for ktimer_set(). Return: 0, -EFAULT, or -EINVAL
 * (not valid timespecs).
 */
int ktimer_spec_from_user(uaddr_t uspec, int64_t *value, int64_t *interval);

#endif /* SENTRY_KTIMER_H */

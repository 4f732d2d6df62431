// SPDX-License-Identifier: Apache-2.0
/*
 * ktimer.c: one-shot and periodic timers on a clock (sentry/ktimer.h),
 * over the scheduler's timers.
 */
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/platform.h"

#include "abi/linux/errno.h"

static int64_t mono_ns(void)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

void ktimer_init(struct ktimer *kt, int clockid, void (*fire)(struct sched_timer *st))
{
	sched_timer_init(&kt->st, fire);
	kt->clockid = clockid;
	kt->interval = 0;
}

void ktimer_set(struct ktimer *kt, int64_t value, int64_t interval, bool abs)
{
	int64_t now = mono_ns(), clk = now;

	kt->interval = interval;
	kt->held = false;
	if (!value) {
		sched_timer_arm(&kt->st, SCHED_FOREVER);
		return;
	}
	if (!abs) {
		sched_timer_arm(&kt->st, now + value);
		return;
	}
	if (kt->clockid != CLOCK_MONOTONIC)
		plat_clock_ns(kt->clockid, &clk);
	sched_timer_arm(&kt->st, value - clk + now);
}

void ktimer_cancel(struct ktimer *kt)
{
	kt->held = false;
	sched_timer_arm(&kt->st, SCHED_FOREVER);
}

/* The periods of a periodic @kt from its last deadline to its first after @now. */
static int64_t periods_to(const struct ktimer *kt, int64_t now)
{
	return now > kt->st.deadline ? (now - kt->st.deadline) / kt->interval + 1 : 1;
}

int64_t ktimer_left(const struct ktimer *kt)
{
	int64_t now = mono_ns(), left;

	if (kt->held)
		return kt->st.deadline + periods_to(kt, now) * kt->interval - now;
	if (!kt->st.armed)
		return 0;
	left = kt->st.deadline - now;
	return left > 0 ? left : 1;
}

uint64_t ktimer_forward(struct ktimer *kt)
{
	int64_t n;

	kt->held = false;
	if (!kt->interval)
		return 1;
	n = periods_to(kt, mono_ns());
	sched_timer_arm(&kt->st, kt->st.deadline + n * kt->interval);
	return (uint64_t)n;
}

void ktimer_hold(struct ktimer *kt)
{
	kt->held = kt->interval != 0;
}

int ktimer_ts_to_ns(const struct linux_timespec *ts, int64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC ||
	    ts->tv_sec > INT64_MAX / NSEC_PER_SEC / 2)
		return -EINVAL;
	*ns = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	return 0;
}

struct linux_timespec ktimer_ns_to_ts(int64_t ns)
{
	return (struct linux_timespec){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

struct linux_itimerspec ktimer_get_spec(const struct ktimer *kt)
{
	struct linux_itimerspec v = { 0 };
	int64_t left = ktimer_left(kt);

	if (left) {
		v.it_value = ktimer_ns_to_ts(left);
		v.it_interval = ktimer_ns_to_ts(kt->interval);
	}
	return v;
}

int ktimer_spec_from_user(uaddr_t uspec, int64_t *value, int64_t *interval)
{
	struct linux_itimerspec v;
	int err;

	if (copy_from_user(&v, uspec, sizeof(v)))
		return -EFAULT;
	err = ktimer_ts_to_ns(&v.it_value, value);
	return err ? err : ktimer_ts_to_ns(&v.it_interval, interval);
}

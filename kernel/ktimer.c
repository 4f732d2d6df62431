// SPDX-License-Identifier: Apache-2.0
/*
 * ktimer.c: one-shot and periodic timers on a clock (sentry/ktimer.h),
 * over the scheduler's timers, or on a process's CPU-time timers.
 */
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

static int64_t mono_ns(void)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

/*
 * The time on @kt's deadline clock: CLOCK_MONOTONIC, or its CPU clock.
 * A thread clock whose thread is gone stands still at 0: never reached.
 */
static int64_t clock_now(const struct ktimer *kt)
{
	int64_t ns;

	if (!kt->cpu.proc)
		return mono_ns();
	return cputime_read(&kt->cpu, &ns) ? 0 : ns;
}

/* Arm @kt's timer for @deadline on its clock (SCHED_FOREVER: disarm). */
static void arm(struct ktimer *kt, int64_t deadline)
{
	struct sched_timer *st = &kt->st;

	if (!kt->cpu.proc) {
		sched_timer_arm(st, deadline);
		return;
	}
	if (st->armed)
		list_del(&st->node);
	st->armed = deadline != SCHED_FOREVER;
	if (!st->armed)
		return;
	st->deadline = deadline;
	list_add_tail(&st->node, &kt->cpu.proc->cpu_timers);
}

void ktimer_init(struct ktimer *kt, int clockid, void (*fire)(struct sched_timer *st))
{
	sched_timer_init(&kt->st, fire);
	kt->clockid = clockid;
	kt->interval = 0;
	kt->held = false;
	kt->cpu = (struct cpu_clock){ 0 };
}

void ktimer_init_cpu(struct ktimer *kt, const struct cpu_clock *c,
		     void (*fire)(struct sched_timer *st))
{
	ktimer_init(kt, CLOCK_MONOTONIC, fire);
	kt->cpu = *c;
}

void ktimer_set(struct ktimer *kt, int64_t value, int64_t interval, bool abs)
{
	int64_t now = clock_now(kt), clk = now;

	kt->interval = interval;
	kt->held = false;
	if (!value) {
		arm(kt, SCHED_FOREVER);
		return;
	}
	if (!abs) {
		arm(kt, now + value);
		return;
	}
	if (!kt->cpu.proc && kt->clockid != CLOCK_MONOTONIC)
		plat_clock_ns(kt->clockid, &clk);
	arm(kt, value - clk + now);
}

void ktimer_cancel(struct ktimer *kt)
{
	kt->held = false;
	arm(kt, SCHED_FOREVER);
}

/* The periods of a periodic @kt from its last deadline to its first after @now. */
static int64_t periods_to(const struct ktimer *kt, int64_t now)
{
	return now > kt->st.deadline ? (now - kt->st.deadline) / kt->interval + 1 : 1;
}

int64_t ktimer_left(const struct ktimer *kt)
{
	int64_t now = clock_now(kt), left;

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
	n = periods_to(kt, clock_now(kt));
	arm(kt, kt->st.deadline + n * kt->interval);
	return (uint64_t)n;
}

void ktimer_hold(struct ktimer *kt)
{
	kt->held = kt->interval != 0;
}

void ktimer_cpu_expire(struct task *t)
{
	struct list_head *head = &t->proc->cpu_timers, *e, *n;
	struct sched_timer *st;
	int64_t now;

	for (e = head->next; e != head; e = n) {
		n = e->next;
		st = list_entry(e, struct sched_timer, node);
		if (cputime_read(&ktimer_of(st)->cpu, &now) || now < st->deadline)
			continue;
		list_del(&st->node);
		st->armed = false;	/* st->deadline stays: the one that came */
		st->fire(st);		/* may re-arm it, or arm or disarm others */
		n = head->next;		/* so start over */
	}
}

int64_t ktimer_cpu_next(struct task *t)
{
	struct list_head *head = &t->proc->cpu_timers;
	int64_t next = SCHED_FOREVER, mono, now;
	struct ktimer *kt;

	if (list_empty(head))
		return SCHED_FOREVER;
	mono = mono_ns();
	for (struct list_head *e = head->next; e != head; e = e->next) {
		kt = ktimer_of(list_entry(e, struct sched_timer, node));
		/* another thread's clock stands still while @t runs */
		if ((kt->cpu.tid && kt->cpu.tid != t->tid) || cputime_read(&kt->cpu, &now))
			continue;
		next = MIN(next, mono + MAX(kt->st.deadline - now, 0));
	}
	return next;
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

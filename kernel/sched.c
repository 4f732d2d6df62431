// SPDX-License-Identifier: Apache-2.0
/*
 * sched.c: one CPU shared by every task, round robin (sentry/sched.h).
 *
 * A task runs until it waits, yields or exits; then the next task on the
 * run queue gets the CPU. With nothing runnable the CPU sleeps on the host
 * until the earliest deadline of a waiting task. When every task waits
 * with no deadline nothing inside the sandbox can end the wait: the
 * waiters get -EDEADLK (with a warning) rather than hanging the sandbox.
 */
#define pr_fmt(fmt) "sched: " fmt

#include "sentry/bug.h"
#include "sentry/cputime.h"
#include "sentry/host.h"
#include "sentry/log.h"
#include "sentry/platform.h"
#include "sentry/sched.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

static struct list_head runq = LIST_HEAD_INIT(runq);
static struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static int nr_tasks;
static struct arch_kctx boot_ctx;	/* sched_run()'s caller */
static bool finishing;
static int finish_status;
static struct task *dead;		/* exited; its stack is still in use until the switch */
static int64_t slice_start;		/* when the current task got the CPU */
static int64_t earliest = SCHED_FOREVER;	/* no deadline (waiter, timer) is before this */
static struct list_head timers = LIST_HEAD_INIT(timers);

int sched_nr_tasks(void)
{
	return nr_tasks;
}

static int64_t now_ns(void)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

/* Move a waiting @t to the run queue; sched_wait() returns @reason. */
static void make_runnable(struct task *t, int reason)
{
	if (t->state != TASK_WAITING)
		return;
	if (t->wq)
		list_del(&t->run_node);
	t->wq = NULL;
	t->wake_reason = reason;
	t->state = TASK_RUNNING;
	list_add_tail(&t->run_node, &runq);
}

void waitq_wake_all(struct waitq *wq)
{
	while (!list_empty(&wq->waiters))
		make_runnable(list_entry(wq->waiters.next, struct task, run_node), 0);
}

void sched_wake(struct task *t)
{
	make_runnable(t, 0);
}

/* Wake @t if it waits and its deadline has come; else lower *@next to it. */
static void expire_one(struct task *t, int64_t now, int64_t *next)
{
	if (!t || t->state != TASK_WAITING || t->deadline == SCHED_FOREVER)
		return;
	if (t->deadline <= now)
		make_runnable(t, -ETIMEDOUT);
	else if (t->deadline < *next)
		*next = t->deadline;
}

void sched_timer_init(struct sched_timer *tm, void (*fire)(struct sched_timer *tm))
{
	*tm = (struct sched_timer){ .fire = fire };
}

void sched_timer_arm(struct sched_timer *tm, int64_t deadline)
{
	if (tm->armed)
		list_del(&tm->node);
	tm->armed = deadline != SCHED_FOREVER;
	if (!tm->armed)
		return;
	tm->deadline = deadline;
	list_add_tail(&tm->node, &timers);
	if (deadline < earliest)
		earliest = deadline;
}

/* Fire the timers whose deadline has come; lower *@next to the others'. */
static void expire_timers(int64_t now, int64_t *next)
{
	struct list_head *e, *n;
	struct sched_timer *tm;

	for (e = timers.next; e != &timers; e = n) {
		n = e->next;
		tm = list_entry(e, struct sched_timer, node);
		if (tm->deadline > now)
			continue;
		list_del(&tm->node);
		tm->armed = false;	/* tm->deadline stays: the one that came */
		tm->fire(tm);	/* may re-arm @tm, or arm or disarm others */
		n = timers.next;	/* so start over: fired ones are off the list */
	}
	for (e = timers.next; e != &timers; e = e->next)
		*next = MIN(*next, list_entry(e, struct sched_timer, node)->deadline);
}

/* Wake the waiters and fire the timers whose deadline has come; the
 * earliest deadline left in *@next. */
static void expire_deadlines(int64_t now, int64_t *next)
{
	*next = earliest;
	if (now < earliest)
		return;
	*next = SCHED_FOREVER;
	earliest = SCHED_FOREVER;	/* the timers fired may re-arm and lower it */
	expire_timers(now, next);
	for (struct list_head *e = all_tasks.next; e != &all_tasks; e = e->next)
		expire_one(list_entry(e, struct task, all_node), now, next);
	/* a task not started by sched_add() (unit tests) may wait too */
	expire_one(task_current(), now, next);
	earliest = MIN(earliest, *next);
}

/* Every task waits for ever: wake them all with -EDEADLK. */
static void break_deadlock(void)
{
	struct task *t;

	pr_warn("every task waits and nothing in the sandbox can wake one: "
		"their waits fail with EDEADLK");
	for (struct list_head *e = all_tasks.next; e != &all_tasks; e = e->next) {
		t = list_entry(e, struct task, all_node);
		make_runnable(t, -EDEADLK);
	}
	/* a task not started by sched_add() (unit tests) waits too */
	if (task_current())
		make_runnable(task_current(), -EDEADLK);
}

/* The next task to run; sleeps on the host while nothing is runnable. */
static struct task *pick_next(void)
{
	int64_t now = now_ns(), next;
	struct task *t;

	for (;;) {
		expire_deadlines(now, &next);
		if (!list_empty(&runq))
			break;
		if (next == SCHED_FOREVER) {
			break_deadlock();
			continue;
		}
		host_nanosleep((uint64_t)(next - now));
		now = now_ns();
	}
	t = list_entry(runq.next, struct task, run_node);
	list_del(&t->run_node);
	return t;
}

/* After a switch, on the new task's stack: the exited task's stack can go. */
static void after_switch(void)
{
	struct task *t = dead;

	dead = NULL;
	if (t)
		task_release_dead(t);
}

/* Give the CPU to the next runnable task (@prev is not on the run queue). */
static void schedule(void)
{
	struct task *prev = task_current(), *next;

	if (finishing && prev->state == TASK_DEAD) {
		task_set_current(NULL);
		arch_kctx_switch(&prev->kctx, &boot_ctx);
	}
	if (prev->state != TASK_DEAD)
		cputime_charge(prev, false);	/* not the time it waits, nor idle time */
	next = pick_next();
	slice_start = now_ns();
	cputime_switched_in();
	if (next == prev)
		return;
	task_set_current(next);
	arch_kctx_switch(&prev->kctx, &next->kctx);
	after_switch();
}

int sched_wait(struct waitq *wq, int64_t deadline)
{
	struct task *t = task_current();

	if (task_signal_pending(t))
		return -EINTR;
	if (deadline <= now_ns())
		return -ETIMEDOUT;
	t->state = TASK_WAITING;
	t->deadline = deadline;
	if (deadline < earliest)
		earliest = deadline;
	t->wq = wq;
	t->wake_reason = 0;
	if (wq)
		list_add_tail(&t->run_node, &wq->waiters);
	schedule();
	if (t->wake_reason)
		return t->wake_reason;
	return task_signal_pending(t) ? -EINTR : 0;
}

int sched_sleep_until(int64_t deadline)
{
	int err;

	do {
		err = sched_wait(NULL, deadline);
	} while (err == 0);
	return err == -ETIMEDOUT ? 0 : err;
}

void sched_yield(void)
{
	struct task *t = task_current();

	if (list_empty(&runq))
		return;
	list_add_tail(&t->run_node, &runq);
	schedule();
}

int64_t sched_next_event(void)
{
	int64_t slice_end = list_empty(&runq) ? SCHED_FOREVER : slice_start + SCHED_SLICE_NS;

	return MIN(slice_end, earliest);
}

void sched_maybe_yield(void)
{
	int64_t now = now_ns(), next;

	if (now - slice_start < SCHED_SLICE_NS && now < earliest)
		return;
	expire_deadlines(now, &next);
	if (now - slice_start < SCHED_SLICE_NS)
		return;		/* a deadline came: its waiter runs next */
	if (list_empty(&runq))
		slice_start = now;	/* alone: a new slice */
	else
		sched_yield();
}

static void task_entry_trampoline(void *arg);

void sched_add(struct task *t)
{
	arch_kctx_init(&t->kctx, (char *)t->kstack + KSTACK_SIZE, task_entry_trampoline, t);
	t->state = TASK_RUNNING;
	list_add_tail(&t->all_node, &all_tasks);
	list_add_tail(&t->run_node, &runq);
	nr_tasks++;
}

/* A new task's first instructions on its own stack. */
static void task_entry_trampoline(void *arg)
{
	after_switch();
	task_main(arg);
}

__noreturn void sched_exit_current(void)
{
	struct task *t = task_current();

	t->state = TASK_DEAD;
	list_del(&t->all_node);
	nr_tasks--;
	if (!finishing)
		dead = t;
	schedule();
	panic("a dead task was scheduled");
}

void sched_finish(int status)
{
	finishing = true;
	finish_status = status;
}

int sched_run(void)
{
	struct task *first = pick_next();

	task_set_current(first);
	slice_start = now_ns();
	cputime_switched_in();
	arch_kctx_switch(&boot_ctx, &first->kctx);
	return finish_status;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched.h: one CPU, many tasks (kernel/sched.c), core.
 *
 * Every task has its own kernel stack; a task that must wait (an empty
 * pipe, wait4, a sleep) calls sched_wait() from the middle of its syscall
 * and the CPU switches to the next runnable task. When nothing is runnable
 * the CPU sleeps on the host until the earliest deadline. Tasks run until
 * they stop for the sentry (syscall, fault) and have used a time slice
 * (SCHED_SLICE_NS) while others wait to run; a task that never stops is
 * interrupted by the platform's timer (plat_set_timer) at the end of its
 * slice or at the next waiter's deadline.
 *
 * Waiting follows the Linux pattern: loop { check the condition; if met,
 * break; err = sched_wait(wq, deadline); if (err) break; }. A wakeup means
 * "look again", never "the condition holds".
 */
#ifndef SENTRY_SCHED_H
#define SENTRY_SCHED_H

#include "sentry/list.h"
#include "sentry/types.h"

struct task;

/* A list of tasks waiting for one kind of event. */
struct waitq {
	struct list_head waiters;
};

#define WAITQ_INIT(name) { LIST_HEAD_INIT((name).waiters) }

static inline void waitq_init(struct waitq *wq)
{
	list_init(&wq->waiters);
}

#define SCHED_SLICE_NS	(10 * 1000 * 1000)

/* No deadline: wait until woken. */
#define SCHED_FOREVER	INT64_MAX

/**
 * sched_wait() - block the current task on @wq until a wakeup, until
 * CLOCK_MONOTONIC reaches @deadline (ns; SCHED_FOREVER: never), or until a
 * signal is pending for it.
 * Return: 0 (woken: re-check), -ETIMEDOUT, -EINTR (a signal is pending),
 * -EDEADLK (nothing in the sandbox could ever wake it: every task waits
 * with no deadline).
 */
int sched_wait(struct waitq *wq, int64_t deadline);

/** sched_sleep_until() - sched_wait() on no queue: 0 at @deadline, or -EINTR. */
int sched_sleep_until(int64_t deadline);

/** waitq_wake_all() - make every task waiting on @wq runnable. */
void waitq_wake_all(struct waitq *wq);

/** sched_wake() - make @t runnable if it waits (a signal arrived for it). */
void sched_wake(struct task *t);

/** sched_add() - a new task: runnable from now, first run at its entry. */
void sched_add(struct task *t);

/** sched_yield() - let the other runnable tasks run first. */
void sched_yield(void);

/**
 * sched_maybe_yield() - at a stop: fire the timers and wake the waiters
 * whose deadline has come; yield if the current task has had the CPU for
 * a time slice while others are runnable.
 */
void sched_maybe_yield(void);

/**
 * sched_next_event() - when the current task must next be interrupted:
 * the end of its slice if others wait to run, or a waiter's or a timer's deadline
 * (SCHED_FOREVER: nothing). For plat_set_timer().
 */
int64_t sched_next_event(void);

/**
 * sched_exit_current() - the current task is done: switch away for good.
 * Its kernel stack is freed by whoever runs next (kernel/task.c frees the
 * rest when the task is reaped).
 */
__noreturn void sched_exit_current(void);

/**
 * sched_run() - run the tasks until the sandbox ends (sched_finish()).
 * Called once from the boot context with the first task added.
 * Return: the status given to sched_finish().
 */
int sched_run(void);

/** sched_finish() - end sched_run() with @status once the current task stops. */
void sched_finish(int status);

/*
 * A timer: @fire runs (in the sentry, on whichever task's stack notices)
 * once CLOCK_MONOTONIC reaches its deadline, which tm->deadline still holds
 * then; it may re-arm itself. Timers
 * keep no fixed tick: the platform timer is set to the earliest deadline.
 */
struct sched_timer {
	int64_t deadline;		/* ns, while armed */
	bool armed;			/* zeroed: not armed */
	void (*fire)(struct sched_timer *tm);
	struct list_head node;		/* the armed timers */
};

/** sched_timer_init() - @tm, not armed, that runs @fire. */
void sched_timer_init(struct sched_timer *tm, void (*fire)(struct sched_timer *tm));

/** sched_timer_arm() - fire @tm at @deadline (SCHED_FOREVER: disarm it). */
void sched_timer_arm(struct sched_timer *tm, int64_t deadline);

/** sched_nr_tasks() - tasks alive (running, runnable or waiting). */
int sched_nr_tasks(void);

#endif /* SENTRY_SCHED_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * posix_timer.c: timer_create(2), timer_settime(2), timer_gettime(2),
 * timer_getoverrun(2), timer_delete(2): per-process timers on
 * CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME, or on a CPU-time
 * clock of the process or of one of its threads (a ktimer each), that
 * send a signal to the process (SIGEV_SIGNAL), to one of its threads
 * (SIGEV_THREAD_ID: glibc's SIGEV_THREAD is built on it), or nothing
 * (SIGEV_NONE). Not inherited by fork; deleted by execve and exit.
 *
 * As on Linux, a timer has one signal queue entry: its signal is pending
 * once at most (si_code SI_TIMER, si_timerid, si_value). A periodic timer
 * whose signal was queued fires no more until the signal is taken; then
 * the periods that passed are its overrun (si_overrun, and
 * timer_getoverrun() until the next one is taken). Re-arming or deleting
 * a timer drops its pending signal.
 */
#include "sentry/kmalloc.h"
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"

#include "process_internal.h"

#define DELAYTIMER_MAX		INT32_MAX	/* overruns beyond read as this */
#define RLIMIT_SIGPENDING	11		/* timers per process: one entry each */

struct posix_timer {
	struct list_head node;		/* process->timers */
	struct process *proc;
	int id;
	int notify;			/* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
	int tid;			/* SIGEV_THREAD_ID: the thread */
	struct ktimer timer;
	struct sigqueue sigq;		/* its signal, info filled at create */
	int overrun_last;		/* of the last signal taken */
};

static struct posix_timer *timer_find(struct process *p, int id)
{
	struct posix_timer *pt;

	for (struct list_head *e = p->timers.next; e != &p->timers; e = e->next) {
		pt = list_entry(e, struct posix_timer, node);
		if (pt->id == id)
			return pt;
	}
	return NULL;
}

/* The thread a SIGEV_THREAD_ID timer signals, or NULL when it is gone. */
static struct task *timer_target(struct posix_timer *pt)
{
	struct task *t = task_find(pt->tid);

	return t && t->proc == pt->proc ? t : NULL;
}

static void timer_fire(struct sched_timer *st)
{
	struct posix_timer *pt = container_of(ktimer_of(st), struct posix_timer, timer);
	struct task *t = NULL;

	if (pt->notify == SIGEV_NONE) {
		ktimer_forward(&pt->timer);	/* only its time left is read */
		return;
	}
	if (pt->notify == SIGEV_THREAD_ID && !(t = timer_target(pt))) {
		ktimer_forward(&pt->timer);	/* its thread is gone: the signal too */
		return;
	}
	pt->sigq.info.overrun = 0;
	if (signal_send_owned(pt->proc, t, &pt->sigq))
		ktimer_hold(&pt->timer);	/* until the signal is taken */
	else
		ktimer_forward(&pt->timer);	/* ignored or lost: the next period */
}

/* Its signal is taken (or discarded): the periods since are the overrun. */
static void timer_signal_taken(struct sigqueue *q, struct signal_info *info)
{
	struct posix_timer *pt = container_of(q, struct posix_timer, sigq);
	uint64_t overrun = 0;

	if (pt->timer.held)
		overrun = ktimer_forward(&pt->timer) - 1;
	pt->overrun_last = overrun > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)overrun;
	info->overrun = pt->overrun_last;
}

static void timer_free(struct posix_timer *pt)
{
	ktimer_cancel(&pt->timer);
	signal_unqueue(&pt->sigq);
	list_del(&pt->node);
	kfree(pt);
}

void posix_timers_exit(struct process *p)
{
	while (!list_empty(&p->timers))
		timer_free(list_entry(p->timers.next, struct posix_timer, node));
}

/* The lowest free id from p->next_timer_id on, as Linux hands them out. */
static int timer_alloc_id(struct process *p)
{
	int id;

	for (;;) {
		id = p->next_timer_id;
		p->next_timer_id = (int)(((unsigned int)id + 1) & INT32_MAX);
		if (!timer_find(p, id))
			return id;
	}
}

static int count_timers(struct process *p)
{
	int n = 0;

	for (struct list_head *e = p->timers.next; e != &p->timers; e = e->next)
		n++;
	return n;
}

/* @ev checked as Linux's good_sigevent(); the notification kept in @pt. */
static int timer_set_event(struct task *t, struct posix_timer *pt, const struct linux_sigevent *ev)
{
	struct task *target;

	pt->notify = ev->sigev_notify;
	switch (ev->sigev_notify) {
	case SIGEV_THREAD_ID:
		target = task_find(ev->u.tid);
		if (!target || target->proc != t->proc)
			return -EINVAL;
		pt->notify = SIGEV_THREAD_ID;
		pt->tid = ev->u.tid;
		break;
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:	/* libc never asks for it: a plain signal, as Linux */
		pt->notify = SIGEV_SIGNAL;
		break;
	case SIGEV_NONE:
		return 0;
	default:
		return -EINVAL;
	}
	if (ev->sigev_signo <= 0 || ev->sigev_signo > LINUX_NSIG)
		return -EINVAL;
	return 0;
}

/* timer_create(clockid, sevp, timerid) */
long sys_timer_create(struct task *t, const struct syscall_args *a)
{
	int clockid = arg_int(a, 0), err;
	uaddr_t usev = arg_uaddr(a, 1), uid = arg_uaddr(a, 2);
	struct linux_sigevent ev = { .sigev_signo = SIGALRM, .sigev_notify = SIGEV_SIGNAL };
	struct process *p = t->proc;
	struct posix_timer *pt;
	struct cpu_clock cpu = { 0 };

	if (clockid == CLOCK_MONOTONIC_RAW || clockid == CLOCK_REALTIME_COARSE ||
	    clockid == CLOCK_MONOTONIC_COARSE)
		return -EOPNOTSUPP;	/* clocks with no timers on Linux either */
	if (cputime_is_clock(clockid)) {
		err = cputime_clock(t, clockid, false, &cpu);
		if (err)
			return err;
	} else if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC &&
		   clockid != CLOCK_BOOTTIME) {
		return -EINVAL;
	}
	if (usev && copy_from_user(&ev, usev, sizeof(ev)))
		return -EFAULT;
	if ((uint64_t)count_timers(p) >= p->rlimits[RLIMIT_SIGPENDING].rlim_cur)
		return -EAGAIN;
	pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	err = timer_set_event(t, pt, &ev);
	if (err) {
		kfree(pt);
		return err;
	}
	pt->proc = p;
	pt->id = timer_alloc_id(p);
	if (!usev)
		ev.sigev_value = (uint64_t)pt->id;	/* as Linux: sival_int is the id */
	if (cpu.proc)
		ktimer_init_cpu(&pt->timer, &cpu, timer_fire);
	else
		ktimer_init(&pt->timer, clockid, timer_fire);
	pt->sigq.taken = timer_signal_taken;
	pt->sigq.info = (struct signal_info){ .signo = ev.sigev_signo, .code = SI_TIMER,
					      .timerid = pt->id, .value = ev.sigev_value };
	list_add_tail(&pt->node, &p->timers);
	if (copy_to_user(uid, &pt->id, sizeof(pt->id))) {
		timer_free(pt);
		return -EFAULT;
	}
	return 0;
}

/* timer_settime(timerid, flags, new, old) */
long sys_timer_settime(struct task *t, const struct syscall_args *a)
{
	struct posix_timer *pt;
	struct linux_itimerspec old;
	int64_t value, interval, now;
	uaddr_t uold = arg_uaddr(a, 3);
	int err;

	err = ktimer_spec_from_user(arg_uaddr(a, 2), &value, &interval);
	if (err)
		return err;
	pt = timer_find(t->proc, arg_int(a, 0));
	if (!pt)
		return -EINVAL;
	if (pt->timer.cpu.proc && cputime_read(&pt->timer.cpu, &now))
		return -ESRCH;	/* the thread of its clock is gone */
	old = ktimer_get_spec(&pt->timer);
	signal_unqueue(&pt->sigq);	/* re-armed: the old expiration's signal goes */
	pt->overrun_last = 0;
	ktimer_set(&pt->timer, value, interval, arg_int(a, 1) & TIMER_ABSTIME);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* timer_gettime(timerid, curr) */
long sys_timer_gettime(struct task *t, const struct syscall_args *a)
{
	struct posix_timer *pt = timer_find(t->proc, arg_int(a, 0));
	struct linux_itimerspec v;

	if (!pt)
		return -EINVAL;
	v = ktimer_get_spec(&pt->timer);
	return copy_to_user(arg_uaddr(a, 1), &v, sizeof(v)) ? -EFAULT : 0;
}

/* timer_getoverrun(timerid) */
long sys_timer_getoverrun(struct task *t, const struct syscall_args *a)
{
	struct posix_timer *pt = timer_find(t->proc, arg_int(a, 0));

	return pt ? pt->overrun_last : -EINVAL;
}

/* timer_delete(timerid) */
long sys_timer_delete(struct task *t, const struct syscall_args *a)
{
	struct posix_timer *pt = timer_find(t->proc, arg_int(a, 0));

	if (!pt)
		return -EINVAL;
	timer_free(pt);
	return 0;
}

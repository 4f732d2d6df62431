// SPDX-License-Identifier: Apache-2.0
/*
 * jobctl.c: job control. A stop signal (SIGSTOP, SIGTSTP, SIGTTIN,
 * SIGTTOU) whose action is the default stops every thread of its process
 * (a group stop) until SIGCONT continues it; SIGKILL still kills it.
 * Sending SIGCONT continues at once, whatever its action, and discards
 * the pending stop signals; sending a stop signal discards a pending
 * SIGCONT. The parent hears of a completed stop and of a continue: a
 * SIGCHLD (CLD_STOPPED, CLD_CONTINUED) unless it ignores SIGCHLD or set
 * SA_NOCLDSTOP, and one report each to wait with WUNTRACED/WCONTINUED.
 *
 * As on Linux, SIGTSTP, SIGTTIN and SIGTTOU do not stop a process of an
 * orphaned process group (no member has a parent in another group of its
 * session: nobody there could continue it); PID 1's own group is one,
 * as under `docker run`. A group that an exit orphans while a member is
 * stopped gets SIGHUP, then SIGCONT (POSIX: nobody is left to continue it).
 */
#include "sentry/signal.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"

#include "process_internal.h"

/* Tell @p's parent that @p stopped or continued (@why: CLD_STOPPED, CLD_CONTINUED). */
static void notify_parent(struct process *p, int why)
{
	struct process *parent = p->parent;
	const struct linux_sigaction *ka;
	struct task *any;
	struct signal_info info = { .signo = SIGCHLD, .code = why, .pid = p->pid,
				    .status = why == CLD_STOPPED ? p->stop_signal : SIGCONT,
				    .utime = cputime_ticks(p->utime_ns),
				    .stime = cputime_ticks(p->stime_ns) };

	p->wait_report = why;
	if (!parent)
		return;
	if (!list_empty(&p->threads)) {
		any = list_entry(p->threads.next, struct task, thread_node);
		info.uid = any->uid;
	}
	ka = &parent->sigactions[SIGCHLD - 1];
	if (ka->handler != LINUX_SIG_IGN && !(ka->flags & SA_NOCLDSTOP))
		signal_send_info(parent, &info);
	waitq_wake_all(&parent->child_wait);
}

/* One more thread of @p has stopped (or left); the last one completes the stop. */
static void stop_one_done(struct process *p)
{
	if (--p->group_stop_left == 0) {
		p->stopped = true;
		notify_parent(p, CLD_STOPPED);
	}
}

void jobctl_prepare_send(struct process *p, int sig)
{
	bool was_stopped = p->stopped;

	if (SIGBIT(sig) & SIG_KERNEL_STOP) {
		signal_discard(p, SIGBIT(SIGCONT));
		return;
	}
	if (sig != SIGCONT)
		return;
	signal_discard(p, SIG_KERNEL_STOP);
	p->stopped = false;
	p->group_stop_left = 0;	/* a stop under way is called off */
	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		struct task *t = list_entry(e, struct task, thread_node);

		if (t->jobctl != JOBCTL_NONE) {
			t->jobctl = JOBCTL_NONE;
			sched_wake(t);
		}
	}
	if (was_stopped)
		notify_parent(p, CLD_CONTINUED);
}

void jobctl_stop_begin(struct task *t, int sig)
{
	struct process *p = t->proc;

	/* nobody in an orphaned group's session could continue it */
	if (sig != SIGSTOP && process_pgrp_orphaned(p->pgid))
		return;
	p->stop_signal = sig;
	p->group_stop_left = 0;
	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		struct task *o = list_entry(e, struct task, thread_node);

		if (o->exiting || o->jobctl != JOBCTL_NONE)
			continue;
		o->jobctl = JOBCTL_STOP_PENDING;
		p->group_stop_left++;
		if (o != t)
			sched_wake(o);	/* leaves its wait (task_signal_pending) to stop */
	}
}

void jobctl_stop(struct task *t)
{
	int64_t deadline = SCHED_FOREVER;

	t->jobctl = JOBCTL_STOPPED;
	stop_one_done(t->proc);
	while (t->jobctl == JOBCTL_STOPPED && !t->exiting) {
		/*
		 * Everything in the sandbox waits: the others have had their
		 * -EDEADLK; this one stays stopped (as on Linux, for ever)
		 * without waking the CPU again.
		 */
		if (sched_wait(NULL, deadline) == -EDEADLK)
			deadline = SCHED_FOREVER - 1;
	}
}

void jobctl_thread_gone(struct task *t)
{
	struct process *p = t->proc;

	if (t->jobctl == JOBCTL_STOP_PENDING && p->group_stop_left && !p->exiting)
		stop_one_done(p);
	t->jobctl = JOBCTL_NONE;
}

struct pgrp_req {
	int pgid, sig;
	bool stopped;		/* out: a member is stopped */
};

static void pgrp_one(struct process *p, void *arg)
{
	struct pgrp_req *r = arg;

	if (p->pgid != r->pgid || p->zombie)
		return;
	r->stopped |= p->stopped;
	if (r->sig)
		task_signal_process(p, r->sig);
}

void jobctl_orphaned(const struct process *member, const struct process *gone)
{
	struct pgrp_req r = { .pgid = member->pgid };

	if (!gone || gone->pgid == r.pgid || gone->sid != member->sid)
		return;		/* @gone was not what kept the group from being orphaned */
	task_for_each_process(pgrp_one, &r);
	if (!r.stopped || !process_pgrp_orphaned(r.pgid))
		return;
	r.sig = SIGHUP;
	task_for_each_process(pgrp_one, &r);
	r.sig = SIGCONT;
	task_for_each_process(pgrp_one, &r);
}

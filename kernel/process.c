// SPDX-License-Identifier: Apache-2.0
/*
 * process.c: the process tree (sentry/task.h): pids, thread groups, exit,
 * zombies and re-parenting to PID 1.
 */
#define pr_fmt(fmt) "process: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "futex.h"
#include "process_internal.h"

static struct list_head all_procs = LIST_HEAD_INIT(all_procs);
static struct process *init_proc;
static int next_pid = 1;

int process_alloc(struct process **out)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	waitq_init(&p->child_wait);
	sigpending_init(&p->pending);
	waitq_init(&p->signal_wq);
	list_init(&p->timers);
	list_init(&p->cpu_timers);
	list_add_tail(&p->all_node, &all_procs);
	*out = p;
	return 0;
}

void process_free(struct process *p)
{
	ktimer_cancel(&p->real_timer);
	ktimer_cancel(&p->virt_timer);
	ktimer_cancel(&p->prof_timer);
	posix_timers_exit(p);
	signal_flush(&p->pending);
	list_del(&p->all_node);
	if (init_proc == p)
		init_proc = NULL;
	kfree(p);
}

struct process *process_init(void)
{
	return init_proc;
}

struct process *task_find_process(int pid)
{
	struct process *p;

	for (struct list_head *e = all_procs.next; e != &all_procs; e = e->next) {
		p = list_entry(e, struct process, all_node);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

bool process_pgrp_orphaned(int pgid)
{
	struct process *p;

	for (struct list_head *e = all_procs.next; e != &all_procs; e = e->next) {
		p = list_entry(e, struct process, all_node);
		if (p->pgid != pgid || p->zombie || !p->parent)
			continue;
		if (p->parent->pgid != pgid && p->parent->sid == p->sid)
			return false;
	}
	return true;
}

int task_next_pid(int from)
{
	int best = 0, pid;

	for (struct list_head *e = all_procs.next; e != &all_procs; e = e->next) {
		pid = list_entry(e, struct process, all_node)->pid;
		if (pid >= from && (!best || pid < best))
			best = pid;
	}
	return best;
}

struct task *task_find(int tid)
{
	struct process *p;
	struct task *t;

	for (struct list_head *e = all_procs.next; e != &all_procs; e = e->next) {
		p = list_entry(e, struct process, all_node);
		for (struct list_head *f = p->threads.next; f != &p->threads; f = f->next) {
			t = list_entry(f, struct task, thread_node);
			if (t->tid == tid)
				return t;
		}
	}
	return NULL;
}

void task_for_each_process(void (*fn)(struct process *p, void *arg), void *arg)
{
	struct list_head *e, *next;

	for (e = all_procs.next; e != &all_procs; e = next) {
		next = e->next;	/* @fn may reap */
		fn(list_entry(e, struct process, all_node), arg);
	}
}

/* Is @id a pid, tid, process group or session in use? */
static bool id_in_use(int id)
{
	struct process *p;

	for (struct list_head *e = all_procs.next; e != &all_procs; e = e->next) {
		p = list_entry(e, struct process, all_node);
		if (p->pid == id || p->pgid == id || p->sid == id)
			return true;
	}
	return task_find(id) != NULL;
}

int pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = next_pid;

		next_pid = next_pid + 1 < PID_MAX ? next_pid + 1 : 2;
		if (!id_in_use(pid))
			return pid;
	}
	return -EAGAIN;
}

void process_add_thread(struct process *p, struct task *t)
{
	list_add_tail(&t->thread_node, &p->threads);
	t->proc = p;
	t->tgid = p->pid;
	if (p->pid == 1)
		init_proc = p;
}

/* sentry-vm's status for wait status @ws: the code, or 128 + the signal. */
static int sentry_status(int ws)
{
	return (ws & 0x7f) ? 128 + (ws & 0x7f) : (ws >> 8) & 0xff;
}

void task_exit_group(struct process *p, int wait_status)
{
	struct task *t;

	if (p->exiting)
		return;
	p->exiting = true;
	p->wait_status = wait_status;
	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		t = list_entry(e, struct task, thread_node);
		task_exit(t, sentry_status(wait_status));
	}
}

/* @p's children go to PID 1 (or die with it); zombies among them are announced there. */
static void reparent_children(struct process *p)
{
	struct process *c, *init = init_proc;

	while (!list_empty(&p->children)) {
		c = list_entry(p->children.next, struct process, sibling);
		list_del(&c->sibling);
		if (!init || init == p || init->exiting) {
			c->parent = NULL;
			if (c->zombie)
				process_reap(c);
			continue;
		}
		c->parent = init;
		list_add_tail(&c->sibling, &init->children);
		if (c->zombie) {
			signal_child_exited(init, c);
			waitq_wake_all(&init->child_wait);
		}
		jobctl_orphaned(c, p);
	}
}

/* The last thread of @p is gone: it becomes a zombie for its parent. */
static void process_exit(struct process *p)
{
	struct process *parent = p->parent;

	p->zombie = true;	/* first: it keeps no process group from being orphaned */
	reparent_children(p);
	jobctl_orphaned(p, parent);
	ktimer_cancel(&p->real_timer);	/* timers die with it */
	ktimer_cancel(&p->virt_timer);
	ktimer_cancel(&p->prof_timer);
	posix_timers_exit(p);
	if (p == init_proc) {
		sched_finish(sentry_status(p->wait_status));
		return;
	}
	if (!parent) {
		process_reap(p);
		return;
	}
	/* A parent that ignores SIGCHLD (or says SA_NOCLDWAIT) never sees zombies. */
	if (p->exit_signal == SIGCHLD &&
	    (parent->sigactions[SIGCHLD - 1].handler == LINUX_SIG_IGN ||
	     (parent->sigactions[SIGCHLD - 1].flags & SA_NOCLDWAIT))) {
		process_reap(p);
		waitq_wake_all(&parent->child_wait);
		return;
	}
	signal_child_exited(parent, p);
	waitq_wake_all(&parent->child_wait);
}

void process_thread_exit(struct task *t)
{
	struct process *p = t->proc;
	uint32_t zero = 0;

	futex_exit_robust(t);	/* before the TID word, as Linux */
	/* CLONE_CHILD_CLEARTID: pthread_join() waits on this word. */
	if (t->clear_child_tid && t->mm->users > 1 &&
	    mm_copy_to(t->mm, t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake(t->mm, t->clear_child_tid, 1);
	list_del(&t->thread_node);
	signal_flush(&t->pending);	/* what was sent to this thread alone is lost */
	jobctl_thread_gone(t);
	if (!p->exiting && list_empty(&p->threads))
		p->wait_status = (t->exit_status & 0xff) << 8;
	if (p->exiting && p->wait_status & 0x7f)
		t->exit_status = 128 + (p->wait_status & 0x7f);
	fdtable_put(t->files);
	t->files = NULL;
	fs_context_put(t->fs);
	t->fs = NULL;
	if (list_empty(&p->threads))
		process_exit(p);
}

void process_release_thread(struct task *t)
{
	plat_task_release(t);
	mm_put(t->mm);
	kfree(t->exe_path);
	kfree(t);
}

void process_reap(struct process *p)
{
	if (p->parent) {
		list_del(&p->sibling);
		p->parent->cutime_ns += p->utime_ns + p->cutime_ns;
		p->parent->cstime_ns += p->stime_ns + p->cstime_ns;
	}
	process_free(p);
}

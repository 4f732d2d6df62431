// SPDX-License-Identifier: Apache-2.0
/*
 * sys_pgrp.c: the process tree seen from the app: getppid, process groups
 * and sessions (getpgrp, getpgid, setpgid, getsid, setsid).
 */
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#include "process_internal.h"

/* The process @pid names for these calls: 0 is the caller's own. */
static struct process *lookup(struct task *t, int pid)
{
	struct process *p = pid == 0 ? t->proc : task_find_process(pid);

	return p && !p->zombie ? p : NULL;
}

long sys_getppid(struct task *t, const struct syscall_args *a)
{
	return t->proc->parent ? t->proc->parent->pid : 0;
}

long sys_getpgrp(struct task *t, const struct syscall_args *a)
{
	return t->proc->pgid;
}

long sys_getpgid(struct task *t, const struct syscall_args *a)
{
	struct process *p = lookup(t, arg_int(a, 0));

	return p ? p->pgid : -ESRCH;
}

long sys_getsid(struct task *t, const struct syscall_args *a)
{
	struct process *p = lookup(t, arg_int(a, 0));

	return p ? p->sid : -ESRCH;
}

/* Does a process of session @sid lead or belong to group @pgid? */
struct pgrp_query {
	int pgid, sid;
	bool found;
};

static void find_pgrp(struct process *p, void *arg)
{
	struct pgrp_query *q = arg;

	if (!p->zombie && p->pgid == q->pgid && p->sid == q->sid)
		q->found = true;
}

/* setpgid(pid, pgid): the caller or one of its children, within its session. */
long sys_setpgid(struct task *t, const struct syscall_args *a)
{
	int pid = arg_int(a, 0), pgid = arg_int(a, 1);
	struct process *p;
	struct pgrp_query q;

	if (pgid < 0)
		return -EINVAL;
	p = lookup(t, pid);
	if (!p || (p != t->proc && p->parent != t->proc))
		return -ESRCH;
	if (p->sid != t->proc->sid)
		return -EPERM;
	if (p->pid == p->sid)
		return -EPERM;	/* a session leader stays in its group */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid) {
		q = (struct pgrp_query){ .pgid = pgid, .sid = t->proc->sid };
		task_for_each_process(find_pgrp, &q);
		if (!q.found)
			return -EPERM;
	}
	p->pgid = pgid;
	return 0;
}

struct pgid_use {
	int id;
	bool used;
};

static void find_pgid_use(struct process *p, void *arg)
{
	struct pgid_use *u = arg;

	if (p->pgid == u->id)
		u->used = true;
}

/* setsid(): a new session and group led by the caller, unless it leads a group. */
long sys_setsid(struct task *t, const struct syscall_args *a)
{
	struct process *p = t->proc;
	struct pgid_use u = { .id = p->pid };

	task_for_each_process(find_pgid_use, &u);
	if (u.used)
		return -EPERM;
	p->pgid = p->sid = p->pid;
	return p->sid;
}

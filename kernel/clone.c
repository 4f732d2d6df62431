// SPDX-License-Identifier: Apache-2.0
/*
 * clone.c: fork(2), vfork(2), clone(2) and clone3(2). A new process gets a
 * copy of the parent's memory (kernel/mm/fork.c), fd table and working
 * directory; a new thread shares them. Namespaces and pidfds: -EINVAL.
 */
#define pr_fmt(fmt) "clone: " fmt

#include "sentry/arch.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "process_internal.h"

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_NEWCGROUP		0x02000000
#define CLONE_NEWUTS		0x04000000
#define CLONE_NEWIPC		0x08000000
#define CLONE_NEWUSER		0x10000000
#define CLONE_NEWPID		0x20000000
#define CLONE_NEWNET		0x40000000
#define CLONE_IO		0x80000000ULL
#define CLONE_CLEAR_SIGHAND	0x100000000ULL
#define CLONE_NAMESPACES	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

struct clone_req {
	uint64_t flags;
	int exit_signal;
	uaddr_t stack, parent_tid, child_tid, tls;
};

/* The flag combinations Linux refuses, and what this version cannot do. */
static int clone_check(const struct clone_req *r)
{
	uint64_t f = r->flags;

	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_FS) && (f & CLONE_NEWNS))
		return -EINVAL;
	if (r->exit_signal < 0 || r->exit_signal > LINUX_NSIG)
		return -EINVAL;
	if (f & (CLONE_NAMESPACES | CLONE_PIDFD)) {
		pr_warn_once("clone with namespaces or a pidfd (flags 0x%lx): not supported, -EINVAL",
			     (unsigned long)f);
		return -EINVAL;
	}
	return 0;
}

/* The new thread group of a fork: a child of @t's process (or its parent's). */
static int clone_process(struct task *t, const struct clone_req *r, int pid,
			 struct process **out)
{
	struct process *p, *parent = t->proc;
	int err;

	if ((r->flags & CLONE_PARENT) && parent->parent)
		parent = parent->parent;
	err = process_alloc(&p);
	if (err)
		return err;
	p->pid = pid;
	p->pgid = t->proc->pgid;
	p->sid = t->proc->sid;
	p->parent = parent;
	p->exit_signal = r->exit_signal;
	memcpy(p->sigactions, t->proc->sigactions, sizeof(p->sigactions));
	memcpy(p->rlimits, t->proc->rlimits, sizeof(p->rlimits));
	if (r->flags & CLONE_CLEAR_SIGHAND) {
		for (int i = 0; i < LINUX_NSIG; i++)
			if (p->sigactions[i].handler != LINUX_SIG_IGN)
				p->sigactions[i].handler = LINUX_SIG_DFL;
	}
	list_add_tail(&p->sibling, &parent->children);
	*out = p;
	return 0;
}

/* @n's copies or shares of @t's mm, files and fs context. */
static int clone_resources(struct task *t, struct task *n, uint64_t f)
{
	int err;

	if (f & CLONE_VM) {
		n->mm = mm_get(t->mm);
	} else {
		err = mm_fork(t->mm, &n->mm);
		if (err)
			return err;
	}
	plat_task_clone(t, n);	/* the child starts with the parent's FPU state */
	err = fdtable_clone(t->files, f & CLONE_FILES, &n->files);
	if (err)
		return err;
	return fs_context_clone(t->fs, f & CLONE_FS, &n->fs);
}

static void clone_undo(struct task *n)
{
	if (n->mm)
		plat_task_release(n);
	fdtable_put(n->files);
	fs_context_put(n->fs);
	mm_put(n->mm);
	kfree(n->exe_path);
	kfree(n);
}

/* vfork: the parent waits until the child has exec'd or exited. */
static void vfork_wait(struct task *t, int tid)
{
	struct task *c;

	for (;;) {
		c = task_find(tid);
		if (!c || c->mm != t->mm)
			return;
		if (sched_wait(&t->proc->child_wait, SCHED_FOREVER) == -EINTR && t->exiting)
			return;
	}
}

static long do_clone(struct task *t, const struct clone_req *r)
{
	uint64_t f = r->flags;
	struct process *p;
	struct task *n;
	int tid, err;

	err = clone_check(r);
	if (err)
		return err;
	tid = pid_alloc();
	if (tid < 0)
		return tid;
	n = kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->tid = tid;
	n->regs = t->regs;
	arch_syscall_set_return(&n->regs, 0);
	if (r->stack)
		n->regs.rsp = r->stack;
	if (f & CLONE_SETTLS)
		n->regs.fs_base = r->tls;
	n->uid = t->uid;
	n->gid = t->gid;
	n->euid = t->euid;
	n->egid = t->egid;
	n->sigmask = t->sigmask;
	sigpending_init(&n->pending);
	memcpy(n->comm, t->comm, sizeof(n->comm));
	n->exe_path = t->exe_path ? kstrdup(t->exe_path) : NULL;
	if (f & CLONE_CHILD_CLEARTID)
		n->clear_child_tid = r->child_tid;
	err = clone_resources(t, n, f);
	if (err)
		goto err;
	if (f & CLONE_CHILD_SETTID) {
		err = mm_copy_to(n->mm, r->child_tid, &tid, sizeof(tid));
		if (err)
			goto err;
	}
	if (f & CLONE_THREAD) {
		p = t->proc;
	} else {
		err = clone_process(t, r, tid, &p);
		if (err)
			goto err;
	}
	process_add_thread(p, n);
	err = task_start(n);
	if (err) {
		list_del(&n->thread_node);
		if (!(f & CLONE_THREAD))
			process_reap(p);
		goto err;
	}
	if (f & CLONE_PARENT_SETTID)
		(void)copy_to_user(r->parent_tid, &tid, sizeof(tid));
	if (f & CLONE_VFORK)
		vfork_wait(t, tid);
	return tid;

err:
	clone_undo(n);
	return err;
}

/* clone(flags, stack, parent_tid, child_tid, tls): the x86_64 argument order */
long sys_clone(struct task *t, const struct syscall_args *a)
{
	struct clone_req r = {
		.flags = arg_u64(a, 0) & ~(uint64_t)CSIGNAL,
		.exit_signal = (int)(arg_u64(a, 0) & CSIGNAL),
		.stack = arg_uaddr(a, 1),
		.parent_tid = arg_uaddr(a, 2),
		.child_tid = arg_uaddr(a, 3),
		.tls = arg_uaddr(a, 4),
	};

	r.flags &= 0xffffffffULL;	/* the high flags exist only in clone3 */
	return do_clone(t, &r);
}

long sys_fork(struct task *t, const struct syscall_args *a)
{
	struct clone_req r = { .exit_signal = SIGCHLD };

	return do_clone(t, &r);
}

long sys_vfork(struct task *t, const struct syscall_args *a)
{
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };

	return do_clone(t, &r);
}

/* struct clone_args, the first 88 bytes (CLONE_ARGS_SIZE_VER2). */
struct linux_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

long sys_clone3(struct task *t, const struct syscall_args *a)
{
	struct linux_clone_args ca;
	size_t size = arg_size(a, 1);
	struct clone_req r;

	if (size < 64 || size > PAGE_SIZE)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, arg_uaddr(a, 0), MIN(size, sizeof(ca))))
		return -EFAULT;
	if (ca.set_tid || ca.set_tid_size || ca.cgroup || ca.exit_signal > LINUX_NSIG ||
	    (ca.flags & CSIGNAL))
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	r = (struct clone_req){
		.flags = ca.flags,
		.exit_signal = (int)ca.exit_signal,
		.stack = ca.stack ? ca.stack + ca.stack_size : 0,
		.parent_tid = ca.parent_tid,
		.child_tid = ca.child_tid,
		.tls = ca.tls,
	};
	return do_clone(t, &r);
}

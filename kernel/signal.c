// SPDX-License-Identifier: Apache-2.0
/*
 * signal.c: sending signals and acting on them at the return to user mode:
 * the default actions (ignore, terminate, core = terminate with the core
 * bit, stop/continue = ignored: no job control in this version), handlers
 * (a signal frame, kernel/signal_frame.c) and synchronous faults.
 */
#define pr_fmt(fmt) "signal: " fmt

#include "sentry/log.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"

#include "abi/linux/errno.h"

#include "process_internal.h"
#include "signal_internal.h"

#define SIG_KERNEL_IGNORE	(SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | \
				 SIGBIT(SIGCONT))
#define SIG_KERNEL_STOP		(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | \
				 SIGBIT(SIGTTOU))
#define SIG_KERNEL_COREDUMP	(SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
				 SIGBIT(SIGABRT) | SIGBIT(SIGFPE) | SIGBIT(SIGSEGV) | \
				 SIGBIT(SIGBUS) | SIGBIT(SIGSYS) | SIGBIT(SIGXCPU) | \
				 SIGBIT(SIGXFSZ))

bool signal_ignored(const struct process *p, int sig)
{
	uint64_t h = p->sigactions[sig - 1].handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	if (h == LINUX_SIG_IGN)
		return true;
	return h == LINUX_SIG_DFL && (SIGBIT(sig) & (SIG_KERNEL_IGNORE | SIG_KERNEL_STOP));
}

bool task_signal_pending(const struct task *t)
{
	return t->exiting || t->proc->exiting ||
	       ((t->pending | t->proc->pending) & ~t->sigmask);
}

/* Wake a thread of @p that can take @sig now (or none). */
static void wake_one_for(struct process *p, int sig)
{
	struct task *t;

	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		t = list_entry(e, struct task, thread_node);
		if (!(t->sigmask & SIGBIT(sig))) {
			sched_wake(t);
			return;
		}
	}
}

/* Is @sig blocked by every thread of @p? */
static bool blocked_everywhere(const struct process *p, int sig)
{
	const struct task *t;

	for (const struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		t = list_entry(e, const struct task, thread_node);
		if (!(t->sigmask & SIGBIT(sig)))
			return false;
	}
	return true;
}

void task_signal_process(struct process *p, int sig)
{
	if (p->zombie || p->exiting || sig < 1 || sig > LINUX_NSIG)
		return;
	if (sig == SIGKILL) {
		task_exit_group(p, SIGKILL);
		return;
	}
	/* Ignored and not blocked: discarded at once, as Linux does. */
	if (signal_ignored(p, sig) && !blocked_everywhere(p, sig))
		return;
	p->pending |= SIGBIT(sig);
	wake_one_for(p, sig);
}

void task_signal_thread(struct task *t, int sig)
{
	if (t->exiting || t->proc->exiting || sig < 1 || sig > LINUX_NSIG)
		return;
	if (sig == SIGKILL) {
		task_exit_group(t->proc, SIGKILL);
		return;
	}
	if (signal_ignored(t->proc, sig) && !(t->sigmask & SIGBIT(sig)))
		return;
	t->pending |= SIGBIT(sig);
	if (!(t->sigmask & SIGBIT(sig)))
		sched_wake(t);
}

void signal_child_exited(struct process *parent, struct process *child)
{
	if (child->exit_signal)
		task_signal_process(parent, child->exit_signal);
}

/* The default action of @sig for @t's process. */
static void default_action(struct task *t, int sig)
{
	if (SIGBIT(sig) & (SIG_KERNEL_IGNORE | SIG_KERNEL_STOP))
		return;
	task_exit_group(t->proc, sig | ((SIGBIT(sig) & SIG_KERNEL_COREDUMP) ? 0x80 : 0));
}

/* Take the lowest pending unblocked signal of @t, thread-directed first; 0: none. */
static int dequeue(struct task *t)
{
	linux_sigset_t *sets[2] = { &t->pending, &t->proc->pending };

	for (int i = 0; i < 2; i++) {
		linux_sigset_t ready = *sets[i] & ~t->sigmask;

		if (ready) {
			int sig = __builtin_ctzll(ready) + 1;

			*sets[i] &= ~SIGBIT(sig);
			return sig;
		}
	}
	return 0;
}

/* Run @sig's action for @t: a handler frame, or the default. */
static void act(struct task *t, int sig, const struct signal_info *info)
{
	struct linux_sigaction *ka = &t->proc->sigactions[sig - 1];

	if (ka->handler == LINUX_SIG_IGN)
		return;
	if (ka->handler == LINUX_SIG_DFL) {
		default_action(t, sig);
		return;
	}
	if (signal_setup_frame(t, sig, info, ka) < 0) {
		/* No room for the frame: Linux forces SIGSEGV. */
		task_exit_group(t->proc, SIGSEGV | 0x80);
		return;
	}
	if (ka->flags & SA_RESETHAND)
		ka->handler = LINUX_SIG_DFL;
}

void signal_deliver(struct task *t)
{
	struct signal_info info = { 0 };
	int sig;

	while (!t->exiting && (sig = dequeue(t)) != 0) {
		info.signo = sig;
		info.code = SI_USER;
		act(t, sig, &info);
		/* one handler frame at a time: the next signal after it returns */
		if (t->proc->sigactions[sig - 1].handler > LINUX_SIG_IGN)
			break;
	}
}

void signal_force_fault(struct task *t, const struct fault_info *fault, int sig)
{
	struct linux_sigaction *ka = &t->proc->sigactions[sig - 1];
	struct signal_info info = {
		.signo = sig, .code = fault->code, .addr = fault->addr,
		.trapno = fault->trapno,
	};

	/* A blocked or ignored synchronous fault cannot be skipped: default action. */
	if ((t->sigmask & SIGBIT(sig)) || ka->handler == LINUX_SIG_IGN)
		ka->handler = LINUX_SIG_DFL;
	t->sigmask &= ~SIGBIT(sig);
	act(t, sig, &info);
}

/* Send @sig to every process @fn-selected; kill(2)'s group and broadcast forms. */
struct kill_req {
	struct task *sender;
	int sig, pgid;
	bool all;
	int found;
};

static void kill_one(struct process *p, void *arg)
{
	struct kill_req *r = arg;

	if (p->zombie || (r->all ? (p == r->sender->proc || p->pid == 1) : p->pgid != r->pgid))
		return;
	r->found++;
	if (r->sig)
		task_signal_process(p, r->sig);
}

/* kill(pid, sig) */
long sys_kill(struct task *t, const struct syscall_args *a)
{
	int pid = arg_int(a, 0), sig = arg_int(a, 1);
	struct kill_req r = { .sender = t, .sig = sig };
	struct process *p;

	if (sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	if (pid > 0) {
		p = task_find_process(pid);
		if (!p || p->zombie)
			return -ESRCH;
		if (sig)
			task_signal_process(p, sig);
		return 0;
	}
	if (pid == INT32_MIN)
		return -ESRCH;
	r.all = pid == -1;
	r.pgid = pid == 0 ? t->proc->pgid : -pid;
	task_for_each_process(kill_one, &r);
	return r.found ? 0 : -ESRCH;
}

static long send_to_thread(int tgid, int tid, int sig)
{
	struct task *t;

	if (sig < 0 || sig > LINUX_NSIG || tid <= 0)
		return -EINVAL;
	t = task_find(tid);
	if (!t || (tgid > 0 && t->tgid != tgid))
		return -ESRCH;
	if (sig)
		task_signal_thread(t, sig);
	return 0;
}

/* tgkill(tgid, tid, sig) */
long sys_tgkill(struct task *t, const struct syscall_args *a)
{
	if (arg_int(a, 0) <= 0)
		return -EINVAL;
	return send_to_thread(arg_int(a, 0), arg_int(a, 1), arg_int(a, 2));
}

/* tkill(tid, sig) */
long sys_tkill(struct task *t, const struct syscall_args *a)
{
	return send_to_thread(0, arg_int(a, 0), arg_int(a, 1));
}

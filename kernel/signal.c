// SPDX-License-Identifier: Apache-2.0
/*
 * signal.c: sending signals and acting on them at the return to user mode:
 * the default actions (ignore, terminate, core = terminate with the core
 * bit, stop/continue = ignored: no job control in this version), handlers
 * (a signal frame, kernel/signal_frame.c) and synchronous faults.
 */
#define pr_fmt(fmt) "signal: " fmt

#include "sentry/arch.h"
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

/* Who sends: the current task (SI_USER), or the sentry itself. */
static struct sig_origin origin_user(int code)
{
	struct task *cur = task_current();

	return (struct sig_origin){ .code = code, .pid = cur ? cur->tgid : 0,
				    .uid = cur ? cur->uid : 0 };
}

static void send_process(struct process *p, int sig, const struct sig_origin *o)
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
	if (!(p->pending & SIGBIT(sig)))	/* standard signals do not queue */
		p->origin[sig - 1] = *o;
	p->pending |= SIGBIT(sig);
	wake_one_for(p, sig);
}

static void send_thread(struct task *t, int sig, const struct sig_origin *o)
{
	if (t->exiting || t->proc->exiting || sig < 1 || sig > LINUX_NSIG)
		return;
	if (sig == SIGKILL) {
		task_exit_group(t->proc, SIGKILL);
		return;
	}
	if (signal_ignored(t->proc, sig) && !(t->sigmask & SIGBIT(sig)))
		return;
	if (!(t->pending & SIGBIT(sig)))
		t->origin[sig - 1] = *o;
	t->pending |= SIGBIT(sig);
	if (!(t->sigmask & SIGBIT(sig)))
		sched_wake(t);
}

void task_signal_process(struct process *p, int sig)
{
	struct sig_origin o = origin_user(SI_USER);

	send_process(p, sig, &o);
}

void signal_send_kernel(struct process *p, int sig)
{
	struct sig_origin o = { .code = SI_KERNEL };

	send_process(p, sig, &o);
}

void task_signal_thread(struct task *t, int sig)
{
	struct sig_origin o = origin_user(SI_TKILL);

	send_thread(t, sig, &o);
}

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3

void signal_child_exited(struct process *parent, struct process *child)
{
	int ws = child->wait_status;
	struct sig_origin o = {
		.code = (ws & 0x7f) ? ((ws & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED,
		.pid = child->pid,
		.status = (ws & 0x7f) ? ws & 0x7f : (ws >> 8) & 0xff,
	};

	if (child->exit_signal)
		send_process(parent, child->exit_signal, &o);
}

/* The default action of @sig for @t's process. */
static void default_action(struct task *t, int sig)
{
	if (SIGBIT(sig) & (SIG_KERNEL_IGNORE | SIG_KERNEL_STOP))
		return;
	task_exit_group(t->proc, sig | ((SIGBIT(sig) & SIG_KERNEL_COREDUMP) ? 0x80 : 0));
}

/*
 * Take the lowest pending signal of @t among @allowed, thread-directed
 * first, with where it came from in *@info; 0: none.
 */
int signal_dequeue(struct task *t, linux_sigset_t allowed, struct signal_info *info)
{
	linux_sigset_t *sets[2] = { &t->pending, &t->proc->pending };
	struct sig_origin *origins[2] = { t->origin, t->proc->origin };

	for (int i = 0; i < 2; i++) {
		linux_sigset_t ready = *sets[i] & allowed;

		if (ready) {
			int sig = __builtin_ctzll(ready) + 1;
			const struct sig_origin *o = &origins[i][sig - 1];

			*sets[i] &= ~SIGBIT(sig);
			*info = (struct signal_info){ .signo = sig, .code = o->code,
						      .pid = o->pid, .uid = o->uid,
						      .status = o->status };
			return sig;
		}
	}
	return 0;
}

/*
 * The interrupted syscall of @t, if any, after signal handling: restarted
 * (rewound to the syscall instruction) or made EINTR, the -ERESTART* codes
 * read as Linux does. @ka: the handler about to run, or NULL for none.
 */
static void restart_syscall(struct task *t, const struct linux_sigaction *ka)
{
	long ret = arch_syscall_ret(&t->regs);

	if ((int64_t)t->regs.orig_rax < 0)
		return;	/* not stopped in a syscall */
	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (ka)
			break;
		arch_syscall_restart(&t->regs);
		return;
	case -ERESTARTSYS:
		if (ka && !(ka->flags & SA_RESTART))
			break;
		arch_syscall_restart(&t->regs);
		return;
	case -ERESTARTNOINTR:
		arch_syscall_restart(&t->regs);
		return;
	default:
		return;
	}
	arch_syscall_set_return(&t->regs, -EINTR);
}

/*
 * Run @sig's action for @t: a handler frame, or the default.
 * Return: true when a handler frame was set up.
 */
static bool act(struct task *t, int sig, const struct signal_info *info)
{
	struct linux_sigaction *ka = &t->proc->sigactions[sig - 1];

	if (ka->handler == LINUX_SIG_IGN)
		return false;
	if (ka->handler == LINUX_SIG_DFL) {
		default_action(t, sig);
		return false;
	}
	restart_syscall(t, ka);
	if (signal_setup_frame(t, sig, info, ka) < 0) {
		/* No room for the frame: Linux forces SIGSEGV. */
		task_exit_group(t->proc, SIGSEGV | 0x80);
		return false;
	}
	if (ka->flags & SA_RESETHAND)
		ka->handler = LINUX_SIG_DFL;
	return true;
}

void signal_deliver(struct task *t)
{
	struct signal_info info;
	bool handled = false;

	/* one handler frame at a time: the next signal after it returns */
	while (!t->exiting && !handled && signal_dequeue(t, ~t->sigmask, &info))
		handled = act(t, info.signo, &info);
	if (t->exiting)
		return;
	if (!handled)
		restart_syscall(t, NULL);
	if (t->restore_sigmask) {	/* sigsuspend's mask ends with its syscall */
		t->restore_sigmask = false;
		if (!handled)	/* else the frame carries it back via rt_sigreturn */
			t->sigmask = t->saved_sigmask;
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
	(void)act(t, sig, &info);
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

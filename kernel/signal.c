// SPDX-License-Identifier: Apache-2.0
/*
 * signal.c: sending signals (queued on struct sigpending, sentry/signal.h)
 * and acting on them at the return to user mode: the default actions
 * (ignore, terminate, core = terminate with the core bit, stop: job
 * control, kernel/jobctl.c), handlers (a signal frame,
 * kernel/signal_frame.c) and synchronous faults.
 */
#define pr_fmt(fmt) "signal: " fmt

#include "sentry/arch.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"

#include "process_internal.h"
#include "signal_internal.h"

#define RLIMIT_SIGPENDING	11

bool signal_ignored(const struct process *p, int sig)
{
	uint64_t h = p->sigactions[sig - 1].handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	if (h == LINUX_SIG_IGN)
		return true;
	return h == LINUX_SIG_DFL && (SIGBIT(sig) & SIG_KERNEL_IGNORE);
}

bool task_signal_pending(const struct task *t)
{
	if (t->exiting || t->proc->exiting)
		return true;
	if (t->jobctl == JOBCTL_STOPPED)
		return false;	/* only SIGCONT or SIGKILL end a stop */
	return t->jobctl == JOBCTL_STOP_PENDING || (signal_pending_set(t) & ~t->sigmask);
}

linux_sigset_t signal_pending_set(const struct task *t)
{
	return t->pending.set | t->proc->pending.set;
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

/* Is @sig blocked by every thread of @p (sigtimedwait's set counts as blocked)? */
static bool blocked_everywhere(const struct process *p, int sig)
{
	const struct task *t;

	for (const struct list_head *e = p->threads.next; e != &p->threads; e = e->next) {
		t = list_entry(e, const struct task, thread_node);
		if (!((t->sigmask | t->real_blocked) & SIGBIT(sig)))
			return false;
	}
	return true;
}

/* Entries kmalloc'd by senders, in the whole sandbox (RLIMIT_SIGPENDING). */
static uint64_t nr_queued;

/* @q, unqueued, is done with: freed, or given back to its owner as taken. */
static void sigqueue_free(struct sigqueue *q)
{
	struct signal_info info;

	if (q->taken) {
		info = q->info;
		q->taken(q, &info);	/* discarded: a timer goes on all the same */
		return;
	}
	nr_queued--;
	kfree(q);
}

/* Take @q off its queue; its signal stays pending if another entry has it. */
static void unlink_entry(struct sigqueue *q)
{
	struct sigpending *sp = q->in;
	int sig = q->info.signo;

	list_del(&q->node);
	q->in = NULL;
	for (struct list_head *e = sp->queue.next; e != &sp->queue; e = e->next)
		if (list_entry(e, struct sigqueue, node)->info.signo == sig)
			return;
	sp->set &= ~SIGBIT(sig);
}

/* Discard the pending signals of @sp in @mask. */
static void flush_mask(struct sigpending *sp, linux_sigset_t mask)
{
	struct list_head *e, *n;
	struct sigqueue *q;

	list_for_each_safe(e, n, &sp->queue) {
		q = list_entry(e, struct sigqueue, node);
		if (mask & SIGBIT(q->info.signo)) {
			list_del(&q->node);
			q->in = NULL;
			sigqueue_free(q);
		}
	}
	sp->set &= ~mask;
}

void signal_flush(struct sigpending *sp)
{
	flush_mask(sp, ~0ULL);
}

/* Discard @mask's pending signals of @p and of each of its threads. */
static void flush_everywhere(struct process *p, linux_sigset_t mask)
{
	flush_mask(&p->pending, mask);
	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next)
		flush_mask(&list_entry(e, struct task, thread_node)->pending, mask);
}

void signal_discard(struct process *p, linux_sigset_t mask)
{
	flush_everywhere(p, mask);
}

void signal_unqueue(struct sigqueue *q)
{
	if (q->in)
		unlink_entry(q);
}

/*
 * Send @info->signo to thread @t of @p, or to @p itself when @t is NULL:
 * queue @owned (an owner's entry) or a new entry. Return: whether it is
 * now pending (SIGKILL: acted on at once).
 */
static bool send(struct process *p, struct task *t, const struct signal_info *info,
		 struct sigqueue *owned)
{
	int sig = info->signo;
	struct sigpending *sp = t ? &t->pending : &p->pending;
	struct sigqueue *q = owned;
	bool blocked;

	if (p->zombie || p->exiting || (t && t->exiting) || sig < 1 || sig > LINUX_NSIG)
		return false;
	if (sig == SIGKILL) {
		task_exit_group(p, SIGKILL);
		return true;
	}
	jobctl_prepare_send(p, sig);	/* SIGCONT continues even if blocked or ignored */
	blocked = t ? (t->sigmask | t->real_blocked) & SIGBIT(sig) : blocked_everywhere(p, sig);
	/* Ignored and not blocked: discarded at once, as Linux does. */
	if (signal_ignored(p, sig) && !blocked)
		return false;
	if (sig < SIGRTMIN && (sp->set & SIGBIT(sig)))
		return false;	/* standard signals do not queue */
	if (!q && nr_queued < p->rlimits[RLIMIT_SIGPENDING].rlim_cur) {
		q = kmalloc(sizeof(*q));
		if (q) {
			q->taken = NULL;
			nr_queued++;
		}
	}
	if (!q && sig >= SIGRTMIN)
		return false;	/* a real-time signal is its entry: lost */
	sp->set |= SIGBIT(sig);
	if (q) {	/* else pending with no siginfo: read as SI_USER from 0 */
		q->info = *info;
		q->in = sp;
		list_add_tail(&q->node, &sp->queue);
	}
	if (!t)
		wake_one_for(p, sig);
	else if (!(t->sigmask & SIGBIT(sig)))	/* sigtimedwait unblocked its set */
		sched_wake(t);
	waitq_wake_all(&p->signal_wq);	/* signalfd readers */
	file_notify();			/* and pollers of a signalfd */
	return true;
}

bool signal_send_owned(struct process *p, struct task *t, struct sigqueue *q)
{
	if (q->in)
		return false;
	return send(p, t, &q->info, q);
}

/* Who sends: the current task (SI_USER, SI_TKILL), or the sentry itself. */
static struct signal_info from_current(int sig, int code)
{
	struct task *cur = task_current();

	return (struct signal_info){ .signo = sig, .code = code, .pid = cur ? cur->tgid : 0,
				     .uid = cur ? cur->uid : 0 };
}

void task_signal_process(struct process *p, int sig)
{
	struct signal_info info = from_current(sig, SI_USER);

	send(p, NULL, &info, NULL);
}

void signal_send_info(struct process *p, const struct signal_info *info)
{
	send(p, NULL, info, NULL);
}

void signal_send_thread_info(struct task *t, const struct signal_info *info)
{
	send(t->proc, t, info, NULL);
}

void signal_send_kernel(struct process *p, int sig)
{
	struct signal_info info = { .signo = sig, .code = SI_KERNEL };

	send(p, NULL, &info, NULL);
}

void task_signal_thread(struct task *t, int sig)
{
	struct signal_info info = from_current(sig, SI_TKILL);

	send(t->proc, t, &info, NULL);
}

/* The child's uid is the exiting task's: the current one, where the exit runs. */
void signal_child_exited(struct process *parent, struct process *child)
{
	int ws = child->wait_status;
	struct signal_info info = from_current(child->exit_signal,
		(ws & 0x7f) ? ((ws & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED);

	info.pid = child->pid;
	info.status = (ws & 0x7f) ? ws & 0x7f : (ws >> 8) & 0xff;
	info.utime = cputime_ticks(child->utime_ns);	/* its own, not its children's */
	info.stime = cputime_ticks(child->stime_ns);
	if (child->exit_signal)
		send(parent, NULL, &info, NULL);
}

/* The default action of @sig for @t's process. */
static void default_action(struct task *t, int sig)
{
	if (SIGBIT(sig) & SIG_KERNEL_IGNORE)
		return;
	if (SIGBIT(sig) & SIG_KERNEL_STOP) {
		jobctl_stop_begin(t, sig);	/* signal_deliver() stops it next */
		return;
	}
	task_exit_group(t->proc, sig | ((SIGBIT(sig) & SIG_KERNEL_COREDUMP) ? 0x80 : 0));
}

/* Take the oldest entry of @sig from @sp (which has @sig pending) into *@info. */
static void collect(struct sigpending *sp, int sig, struct signal_info *info)
{
	struct sigqueue *q;

	for (struct list_head *e = sp->queue.next; e != &sp->queue; e = e->next) {
		q = list_entry(e, struct sigqueue, node);
		if (q->info.signo != sig)
			continue;
		unlink_entry(q);
		*info = q->info;
		if (q->taken)
			q->taken(q, info);
		else
			sigqueue_free(q);
		return;
	}
	/* pending with no entry (none could be had): as Linux, SI_USER from 0 */
	sp->set &= ~SIGBIT(sig);
	*info = (struct signal_info){ .signo = sig, .code = SI_USER };
}

int signal_dequeue(struct task *t, linux_sigset_t allowed, struct signal_info *info)
{
	struct sigpending *sets[2] = { &t->pending, &t->proc->pending };

	for (int i = 0; i < 2; i++) {
		linux_sigset_t ready = sets[i]->set & allowed;

		if (ready) {
			int sig = __builtin_ctzll(ready) + 1;

			collect(sets[i], sig, info);
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
		if (ka)
			break;
		arch_syscall_restart(&t->regs);
		return;
	case -ERESTART_RESTARTBLOCK:
		if (!ka) {	/* restart_syscall(2) goes on with t->restart */
			arch_syscall_restart_block(&t->regs);
			return;
		}
		t->restart.fn = NULL;
		break;
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

	/*
	 * As Linux: a frame for every signal deliverable now, each on top of
	 * the last (whose handler runs first); a handler's mask keeps its
	 * own signal and sa_mask out of the frames above it.
	 */
	while (!t->exiting) {
		if (t->jobctl == JOBCTL_STOP_PENDING) {
			jobctl_stop(t);	/* until SIGCONT or SIGKILL */
			continue;
		}
		if (!signal_dequeue(t, ~t->sigmask, &info))
			break;
		handled |= act(t, info.signo, &info);
	}
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

/*
 * The siginfo an app sends with rt_sigqueueinfo: as Linux, it may not pose
 * as the kernel or as kill/tkill (si_code >= 0, SI_TKILL) to another process.
 */
static long queued_info(struct task *t, int tgid, int sig, uaddr_t uinfo,
			struct signal_info *info)
{
	struct linux_siginfo si;

	if (sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	if ((si.si_code >= 0 || si.si_code == SI_TKILL) && tgid != t->tgid)
		return -EPERM;
	signal_info_from_user(&si, sig, info);
	return 0;
}

/* rt_sigqueueinfo(tgid, sig, info): sigqueue(3) */
long sys_rt_sigqueueinfo(struct task *t, const struct syscall_args *a)
{
	int tgid = arg_int(a, 0), sig = arg_int(a, 1);
	struct signal_info info;
	struct process *p;
	long err = queued_info(t, tgid, sig, arg_uaddr(a, 2), &info);

	if (err)
		return err;
	p = tgid > 0 ? task_find_process(tgid) : NULL;
	if (!p || p->zombie)
		return -ESRCH;
	if (sig)
		signal_send_info(p, &info);
	return 0;
}

/* rt_tgsigqueueinfo(tgid, tid, sig, info): pthread_sigqueue(3) */
long sys_rt_tgsigqueueinfo(struct task *t, const struct syscall_args *a)
{
	int tgid = arg_int(a, 0), tid = arg_int(a, 1), sig = arg_int(a, 2);
	struct signal_info info;
	struct task *target;
	long err = queued_info(t, tgid, sig, arg_uaddr(a, 3), &info);

	if (err)
		return err;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	target = task_find(tid);
	if (!target || target->tgid != tgid)
		return -ESRCH;
	if (sig)
		signal_send_thread_info(target, &info);
	return 0;
}

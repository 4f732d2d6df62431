// SPDX-License-Identifier: Apache-2.0
/*
 * sys_signal.c: signal actions (per process), masks and alternate stacks
 * (per thread), sigsuspend, pause, sigpending, sigtimedwait. Sending and
 * delivery: kernel/signal.c; frames: kernel/signal_frame.c.
 */
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"
#include "abi/linux/time.h"

#include "process_internal.h"
#include "signal_internal.h"


long sys_rt_sigaction(struct task *t, const struct syscall_args *a)
{
	int sig = arg_int(a, 0);
	uaddr_t act = arg_uaddr(a, 1), oact = arg_uaddr(a, 2);
	struct linux_sigaction ka;

	if (arg_size(a, 3) != sizeof(linux_sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > LINUX_NSIG)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && copy_from_user(&ka, act, sizeof(ka)))
		return -EFAULT;
	if (oact && copy_to_user(oact, &t->proc->sigactions[sig - 1], sizeof(ka)))
		return -EFAULT;
	if (act) {
		ka.mask &= ~UNBLOCKABLE;
		t->proc->sigactions[sig - 1] = ka;
		/* POSIX: an action that ignores it discards the pending ones, blocked or not */
		if (signal_ignored(t->proc, sig))
			signal_discard(t->proc, SIGBIT(sig));
	}
	return 0;
}

long sys_rt_sigprocmask(struct task *t, const struct syscall_args *a)
{
	uaddr_t set = arg_uaddr(a, 1), oset = arg_uaddr(a, 2);
	linux_sigset_t old = t->sigmask, s;

	if (arg_size(a, 3) != sizeof(linux_sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&s, set, sizeof(s)))
			return -EFAULT;
		switch (arg_int(a, 0)) {
		case SIG_BLOCK:
			s |= old;
			break;
		case SIG_UNBLOCK:
			s = old & ~s;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	if (set)
		t->sigmask = s & ~UNBLOCKABLE;
	return 0;
}

/* stack_t, x86_64 layout. */
struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048

/* sigaltstack(2): per thread; not changeable while running on it. */
long sys_sigaltstack(struct task *t, const struct syscall_args *a)
{
	uaddr_t ss = arg_uaddr(a, 0), oss = arg_uaddr(a, 1), sp = t->regs.rsp;
	bool on = t->altstack_size && sp - t->altstack_sp <= t->altstack_size;
	struct linux_stack n, o = {
		.ss_sp = t->altstack_sp, .ss_size = t->altstack_size,
		.ss_flags = !t->altstack_size ? SS_DISABLE : on ? SS_ONSTACK : 0,
	};

	if (ss) {
		if (copy_from_user(&n, ss, sizeof(n)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if ((uint32_t)n.ss_flags & ~(SS_DISABLE | SS_ONSTACK | SS_AUTODISARM))
			return -EINVAL;
		if (!(n.ss_flags & SS_DISABLE) && n.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
	}
	if (oss && copy_to_user(oss, &o, sizeof(o)))
		return -EFAULT;
	if (ss) {
		t->altstack_sp = n.ss_flags & SS_DISABLE ? 0 : n.ss_sp;
		t->altstack_size = n.ss_flags & SS_DISABLE ? 0 : n.ss_size;
	}
	return 0;
}

/* Wait until a signal is pending for @t; the caller's restart code decides the rest. */
static long wait_for_signal(void)
{
	int err;

	do {
		err = sched_wait(NULL, SCHED_FOREVER);
	} while (err == 0 || err == -ETIMEDOUT);
	return err == -EINTR ? -ERESTARTNOHAND : err;
}

/* rt_sigsuspend(mask, size): wait with @mask until a handler has run. */
long sys_rt_sigsuspend(struct task *t, const struct syscall_args *a)
{
	linux_sigset_t mask;

	if (arg_size(a, 1) != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, arg_uaddr(a, 0), sizeof(mask)))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	t->sigmask = mask & ~UNBLOCKABLE;
	return wait_for_signal();
}

long sys_pause(struct task *t, const struct syscall_args *a)
{
	return wait_for_signal();
}

long sys_rt_sigpending(struct task *t, const struct syscall_args *a)
{
	linux_sigset_t set = signal_pending_set(t) & t->sigmask;

	if (arg_size(a, 1) > sizeof(set))
		return -EINVAL;
	return copy_to_user(arg_uaddr(a, 0), &set, arg_size(a, 1)) ? -EFAULT : 0;
}

/* rt_sigtimedwait(set, info, timeout, size): take a signal of @set without a handler. */
long sys_rt_sigtimedwait(struct task *t, const struct syscall_args *a)
{
	uaddr_t uinfo = arg_uaddr(a, 1), uts = arg_uaddr(a, 2);
	int64_t deadline = SCHED_FOREVER, now = 0;
	struct linux_timespec ts;
	struct signal_info info;
	struct linux_siginfo si;
	linux_sigset_t set, old = t->sigmask;
	int sig, err = 0;

	if (arg_size(a, 3) != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, arg_uaddr(a, 0), sizeof(set)))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		plat_clock_ns(CLOCK_MONOTONIC, &now);
		if (ts.tv_sec < INT64_MAX / NSEC_PER_SEC - 1)
			deadline = now + ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	}
	/*
	 * While it waits, the signals of @set wake it even if blocked; they
	 * count as blocked still, so an ignored one is kept for it.
	 */
	t->real_blocked = old;
	t->sigmask &= ~set;
	while (!(sig = signal_dequeue(t, set, &info))) {
		err = sched_wait(NULL, deadline);
		if (err == -ETIMEDOUT) {
			err = -EAGAIN;
			break;
		}
		if (err == -EINTR && !(signal_pending_set(t) & set))
			break;	/* another signal: its handler runs, the call is EINTR */
		if (err && err != -EINTR)
			break;
		err = 0;
	}
	t->sigmask = old;
	t->real_blocked = 0;
	if (!sig)
		return err == -EINTR ? -EINTR : err;
	if (uinfo) {
		signal_info_to_user(&info, &si);
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return sig;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * sys_signal.c: signal actions and masks, recorded per task. Delivery comes
 * with the process model; until then a fault the mm cannot fix kills the
 * app (kernel/task.c).
 */
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#define SIGBIT(sig)	(1ULL << ((sig) - 1))
#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

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

#define SS_DISABLE	2
#define MINSIGSTKSZ	2048

long sys_sigaltstack(struct task *t, const struct syscall_args *a)
{
	static struct linux_stack alt = { 0, SS_DISABLE, 0, 0 };
	uaddr_t ss = arg_uaddr(a, 0), oss = arg_uaddr(a, 1);
	struct linux_stack n;

	if (ss) {
		if (copy_from_user(&n, ss, sizeof(n)))
			return -EFAULT;
		if (n.ss_flags & ~SS_DISABLE)
			return -EINVAL;
		if (!(n.ss_flags & SS_DISABLE) && n.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
	}
	if (oss && copy_to_user(oss, &alt, sizeof(alt)))
		return -EFAULT;
	if (ss)
		alt = n;
	return 0;
}

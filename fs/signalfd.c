// SPDX-License-Identifier: Apache-2.0
/*
 * signalfd.c: signalfd4(2) and signalfd(2): a file whose reads take the
 * pending signals of a mask as struct signalfd_siginfo records, instead of
 * a handler. As on Linux the signals are those of the task that reads (or
 * polls): after a fork the child reads its own. The mask's signals are
 * usually blocked, else the normal delivery may take them first. A read
 * waits until one is pending (-EAGAIN with SFD_NONBLOCK); poll and epoll
 * see POLLIN while one is.
 */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/signal.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/siginfo.h"

#include "vfs_internal.h"

#define SFD_CLOEXEC	O_CLOEXEC
#define SFD_NONBLOCK	O_NONBLOCK

struct signalfd {
	linux_sigset_t mask;	/* never SIGKILL or SIGSTOP */
};

/* Take one signal of @sfd's mask for the reader, waiting unless @f is non-blocking. */
static int signalfd_take(struct file *f, struct signalfd *sfd, struct signal_info *info)
{
	struct task *t = task_current();
	int err;

	while (!signal_dequeue(t, sfd->mask, info)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = sched_wait(&t->proc->signal_wq, SCHED_FOREVER);
		if (err)
			return err == -EINTR ? -ERESTARTSYS : err;
	}
	return 0;
}

/* As many records as fit and are pending; only the first one waits. */
static ssize_t signalfd_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct signalfd *sfd = f->priv;
	struct linux_signalfd_siginfo ssi;
	struct signal_info info;
	size_t n = 0, max = b->count / sizeof(ssi);
	int err;

	if (!max)
		return -EINVAL;
	for (; n < max; n++) {
		err = n ? (signal_dequeue(task_current(), sfd->mask, &info) ? 0 : -EAGAIN)
			: signalfd_take(f, sfd, &info);
		if (err)
			break;
		signal_info_to_signalfd(&info, &ssi);
		if (copy_to_iobuf(b, &ssi, sizeof(ssi))) {
			err = -EFAULT;	/* as Linux: that signal is lost */
			break;
		}
	}
	return n ? (ssize_t)(n * sizeof(ssi)) : err;
}

static unsigned int signalfd_poll(struct file *f)
{
	struct signalfd *sfd = f->priv;

	return signal_pending_set(task_current()) & sfd->mask ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops signalfd_fops = {
	.read = signalfd_read,
	.poll = signalfd_poll,
	.release = signalfd_release,
};

/* A new signalfd with @mask (@fd -1), or @fd's mask changed to it. */
static long do_signalfd4(struct task *t, int fd, uaddr_t umask, size_t size,
			 unsigned int flags)
{
	struct signalfd *sfd;
	linux_sigset_t mask;
	struct file *f;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	if (fd == -1) {
		sfd = kzalloc(sizeof(*sfd));
		if (!sfd)
			return -ENOMEM;
		sfd->mask = mask;
		return anon_file_install(t, &signalfd_fops, sfd, flags);
	}
	f = fd_get(t->files, fd);
	if (!f)
		return -EBADF;
	if (f->ops != &signalfd_fops) {
		file_put(f);
		return -EINVAL;
	}
	((struct signalfd *)f->priv)->mask = mask;
	file_put(f);
	waitq_wake_all(&t->proc->signal_wq);	/* readers look with the new mask */
	file_notify();
	return fd;
}

/* signalfd4(fd, mask, sizemask, flags) */
long sys_signalfd4(struct task *t, const struct syscall_args *a)
{
	return do_signalfd4(t, arg_int(a, 0), arg_uaddr(a, 1), arg_size(a, 2), arg_uint(a, 3));
}

/* signalfd(fd, mask, sizemask): signalfd4 with no flags */
long sys_signalfd(struct task *t, const struct syscall_args *a)
{
	return do_signalfd4(t, arg_int(a, 0), arg_uaddr(a, 1), arg_size(a, 2), 0);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * timerfd.c: timerfd_create(2), timerfd_settime(2), timerfd_gettime(2):
 * a timer (sentry/ktimer.h) whose expirations a read takes as a count
 * (blocking until there is one, -EAGAIN with TFD_NONBLOCK) and poll/epoll
 * see as POLLIN. A later change of the realtime clock does not move an
 * absolute CLOCK_REALTIME deadline (TFD_TIMER_CANCEL_ON_SET is accepted
 * and never cancels).
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/ktimer.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/time.h"

#include "vfs_internal.h"

#define TFD_TIMER_ABSTIME	1U
#define TFD_TIMER_CANCEL_ON_SET	2U
#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_CLOEXEC		O_CLOEXEC

struct timerfd {
	struct ktimer timer;
	uint64_t ticks;			/* expirations not read yet */
	struct waitq wq;		/* readers */
	struct poll_edges edges;	/* in: expirations */
};

static void timerfd_fire(struct sched_timer *st)
{
	struct timerfd *tf = container_of(ktimer_of(st), struct timerfd, timer);

	tf->ticks += ktimer_forward(&tf->timer);
	tf->edges.in++;
	waitq_wake_all(&tf->wq);
	file_notify();
}

static ssize_t timerfd_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct timerfd *tf = f->priv;
	uint64_t v;
	int err;

	if (b->count < sizeof(v))
		return -EINVAL;
	while (!tf->ticks) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = sched_wait(&tf->wq, SCHED_FOREVER);
		if (err)
			return err == -EINTR ? -ERESTARTSYS : err;
	}
	v = tf->ticks;
	if (copy_to_iobuf(b, &v, sizeof(v)))
		return -EFAULT;
	tf->ticks = 0;
	return sizeof(v);
}

static unsigned int timerfd_poll(struct file *f)
{
	return ((struct timerfd *)f->priv)->ticks ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *tf = f->priv;

	ktimer_cancel(&tf->timer);
	kfree(tf);
}

static struct poll_edges timerfd_edges(struct file *f)
{
	return ((struct timerfd *)f->priv)->edges;
}

static const struct file_ops timerfd_fops = {
	.read = timerfd_read,
	.poll = timerfd_poll,
	.edges = timerfd_edges,
	.release = timerfd_release,
};

long sys_timerfd_create(struct task *t, const struct syscall_args *a)
{
	int clockid = arg_int(a, 0);
	unsigned int flags = arg_uint(a, 1);
	struct timerfd *tf;

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC &&
	    clockid != CLOCK_BOOTTIME)
		return -EINVAL;
	if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC))
		return -EINVAL;
	tf = kzalloc(sizeof(*tf));
	if (!tf)
		return -ENOMEM;
	ktimer_init(&tf->timer, clockid, timerfd_fire);
	waitq_init(&tf->wq);
	return anon_file_install(t, &timerfd_fops, tf, flags);
}

/* The timerfd open on @fd (a reference in *@fp), or -EBADF / -EINVAL. */
static struct timerfd *timerfd_get(struct task *t, int fd, struct file **fp)
{
	struct file *f = fd_get(t->files, fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->ops != &timerfd_fops) {
		file_put(f);
		return ERR_PTR(-EINVAL);
	}
	*fp = f;
	return f->priv;
}

long sys_timerfd_settime(struct task *t, const struct syscall_args *a)
{
	unsigned int flags = arg_uint(a, 1);
	struct linux_itimerspec old;
	int64_t value, interval;
	struct timerfd *tf;
	struct file *f = NULL;
	int err;

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	err = ktimer_spec_from_user(arg_uaddr(a, 2), &value, &interval);
	if (err)
		return err;
	tf = timerfd_get(t, arg_int(a, 0), &f);
	if (IS_ERR(tf))
		return PTR_ERR(tf);
	old = ktimer_get_spec(&tf->timer);
	tf->ticks = 0;
	ktimer_set(&tf->timer, value, interval, flags & TFD_TIMER_ABSTIME);
	file_put(f);
	if (arg_uaddr(a, 3) && copy_to_user(arg_uaddr(a, 3), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_timerfd_gettime(struct task *t, const struct syscall_args *a)
{
	struct linux_itimerspec v;
	struct timerfd *tf;
	struct file *f = NULL;

	tf = timerfd_get(t, arg_int(a, 0), &f);
	if (IS_ERR(tf))
		return PTR_ERR(tf);
	v = ktimer_get_spec(&tf->timer);
	file_put(f);
	return copy_to_user(arg_uaddr(a, 1), &v, sizeof(v));
}

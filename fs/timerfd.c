// SPDX-License-Identifier: Apache-2.0
/*
 * timerfd.c: timerfd_create(2), timerfd_settime(2), timerfd_gettime(2):
 * a timer on a scheduler timer (sentry/sched.h) whose expirations a read
 * takes as a count (blocking until there is one, -EAGAIN with
 * TFD_NONBLOCK) and poll/epoll see as POLLIN. CLOCK_REALTIME deadlines
 * are turned into CLOCK_MONOTONIC ones when set: a later change of the
 * realtime clock does not move them (TFD_TIMER_CANCEL_ON_SET is accepted
 * and never cancels).
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
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

struct linux_itimerspec {
	struct linux_timespec it_interval;
	struct linux_timespec it_value;
};

struct timerfd {
	struct sched_timer timer;	/* deadlines on CLOCK_MONOTONIC */
	int clockid;
	int64_t interval;		/* ns; 0: one shot */
	uint64_t ticks;			/* expirations not read yet */
	struct waitq wq;		/* readers */
};

static int64_t mono_ns(void)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

static void timerfd_fire(struct sched_timer *tm)
{
	struct timerfd *tf = container_of(tm, struct timerfd, timer);
	int64_t now = mono_ns(), missed = 0;

	if (tf->interval) {
		missed = (now - tm->deadline) / tf->interval;
		sched_timer_arm(tm, tm->deadline + (missed + 1) * tf->interval);
	}
	tf->ticks += (uint64_t)missed + 1;
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

	sched_timer_arm(&tf->timer, SCHED_FOREVER);
	kfree(tf);
}

static const struct file_ops timerfd_fops = {
	.read = timerfd_read,
	.poll = timerfd_poll,
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
	sched_timer_init(&tf->timer, timerfd_fire);
	tf->clockid = clockid;
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

static int ts_to_ns(const struct linux_timespec *ts, int64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC ||
	    ts->tv_sec > INT64_MAX / NSEC_PER_SEC / 2)
		return -EINVAL;
	*ns = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	return 0;
}

static struct linux_itimerspec timerfd_value(struct timerfd *tf)
{
	struct linux_itimerspec v = { 0 };
	int64_t left;

	if (tf->timer.armed) {
		left = tf->timer.deadline - mono_ns();
		left = left > 0 ? left : 1;	/* armed: never reads as 0 */
		v.it_value = (struct linux_timespec){ left / NSEC_PER_SEC, left % NSEC_PER_SEC };
		v.it_interval = (struct linux_timespec){ tf->interval / NSEC_PER_SEC,
							 tf->interval % NSEC_PER_SEC };
	}
	return v;
}

/* The CLOCK_MONOTONIC deadline of @value (ns) on @tf's clock, absolute or not. */
static int64_t deadline_of(struct timerfd *tf, int64_t value, bool abs)
{
	int64_t now = mono_ns(), clk = now;

	if (!abs)
		return now + value;
	if (tf->clockid != CLOCK_MONOTONIC)
		plat_clock_ns(tf->clockid, &clk);
	return value - clk + now;
}

long sys_timerfd_settime(struct task *t, const struct syscall_args *a)
{
	unsigned int flags = arg_uint(a, 1);
	struct linux_itimerspec v, old;
	int64_t value, interval;
	struct timerfd *tf;
	struct file *f = NULL;
	int err;

	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_user(&v, arg_uaddr(a, 2), sizeof(v)))
		return -EFAULT;
	err = ts_to_ns(&v.it_value, &value);
	if (!err)
		err = ts_to_ns(&v.it_interval, &interval);
	if (err)
		return err;
	tf = timerfd_get(t, arg_int(a, 0), &f);
	if (IS_ERR(tf))
		return PTR_ERR(tf);
	old = timerfd_value(tf);
	tf->ticks = 0;
	tf->interval = interval;
	sched_timer_arm(&tf->timer, value ? deadline_of(tf, value, flags & TFD_TIMER_ABSTIME)
					  : SCHED_FOREVER);
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
	v = timerfd_value(tf);
	file_put(f);
	return copy_to_user(arg_uaddr(a, 1), &v, sizeof(v));
}

// SPDX-License-Identifier: Apache-2.0
/*
 * eventfd.c: eventfd2(2) and eventfd(2): a 64-bit counter that writes add
 * to and reads take (all of it, or 1 with EFD_SEMAPHORE). A read of zero
 * or a write that would overflow waits (-EAGAIN with EFD_NONBLOCK).
 */
#define pr_fmt(fmt) "eventfd: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"

#include "vfs_internal.h"

#define EFD_SEMAPHORE	1U
#define EFD_NONBLOCK	O_NONBLOCK
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_MAX		0xfffffffffffffffeULL

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct waitq wq;	/* readers and writers waiting for a change */
	struct poll_edges edges;	/* in: written; out: read */
};

/* Wait for a change of @e unless @f is non-blocking. Return: 0 or -errno. */
static int eventfd_wait(struct file *f, struct eventfd *e)
{
	int err;

	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	err = sched_wait(&e->wq, SCHED_FOREVER);
	return err == -EINTR ? -ERESTARTSYS : err;
}

static void eventfd_changed(struct eventfd *e)
{
	waitq_wake_all(&e->wq);
	file_notify();
}

static ssize_t eventfd_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (b->count < sizeof(v))
		return -EINVAL;
	while (!e->count) {
		int err = eventfd_wait(f, e);

		if (err)
			return err;
	}
	v = e->semaphore ? 1 : e->count;
	if (copy_to_iobuf(b, &v, sizeof(v)))
		return -EFAULT;
	e->count -= v;
	e->edges.out++;
	eventfd_changed(e);
	return sizeof(v);
}

static ssize_t eventfd_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (b->count < sizeof(v))
		return -EINVAL;
	if (copy_from_iobuf(&v, b, sizeof(v)))
		return -EFAULT;
	if (v == ~0ULL)
		return -EINVAL;
	while (v > EFD_MAX - e->count) {
		int err = eventfd_wait(f, e);

		if (err)
			return err;
	}
	e->count += v;
	e->edges.in++;
	eventfd_changed(e);
	return sizeof(v);
}

/* Readable with a count, writable while 1 more still fits. */
static unsigned int eventfd_poll(struct file *f)
{
	struct eventfd *e = f->priv;
	unsigned int mask = 0;

	if (e->count)
		mask |= POLLIN | POLLRDNORM;
	if (e->count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct file *f)
{
	kfree(f->priv);
}

static struct poll_edges eventfd_edges(struct file *f)
{
	return ((struct eventfd *)f->priv)->edges;
}

static const struct file_ops eventfd_fops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.edges = eventfd_edges,
	.release = eventfd_release,
};

static long do_eventfd2(struct task *t, unsigned int initval, unsigned int flags)
{
	struct eventfd *e;

	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	waitq_init(&e->wq);
	return anon_file_install(t, &eventfd_fops, e, flags);
}

long sys_eventfd2(struct task *t, const struct syscall_args *a)
{
	return do_eventfd2(t, arg_uint(a, 0), arg_uint(a, 1));
}

long sys_eventfd(struct task *t, const struct syscall_args *a)
{
	return do_eventfd2(t, arg_uint(a, 0), 0);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * epoll.c: epoll_create/create1, epoll_ctl, epoll_wait/pwait/pwait2.
 *
 * An epoll file keeps its interest list: (fd, file, events, data). A wait
 * asks each file's poll op, and while nothing is ready sleeps until some
 * file in the sandbox changes (file_notify), the timeout or a signal.
 * An entry goes away when its fd is closed or now names another file (as
 * Linux drops it with the file's last reference).
 *
 * Edge-triggered (EPOLLET) entries report once per edge, as Linux does: a
 * readiness bit that appears, or a new event on the file (more data, more
 * room, a hang-up: its edges op) while the bit already holds; not every
 * wait while the file stays ready. Files without an edges op (signalfd,
 * sockets of the host) count any event in the sandbox as theirs.
 * EPOLLONESHOT disables an entry after one report until EPOLL_CTL_MOD.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/time.h"

#include "vfs_internal.h"

#define EPOLL_CLOEXEC	O_CLOEXEC
#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3
#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)
#define EPOLL_MAX_EVENTS (0x7fffffff / 12)
#define EPOLL_CHUNK	64

struct linux_epoll_event {
	uint32_t events;
	uint64_t data;
} __packed;

struct epitem {
	struct list_head node;
	int fd;
	struct file *file;	/* no reference: compared with the fd table's */
	uint32_t events;
	uint64_t data;
	uint32_t reported;	/* EPOLLET: bits reported and still holding */
	struct poll_edges seen;	/* EPOLLET: the file's edges at that report */
	bool disabled;		/* EPOLLONESHOT, after its report */
};

struct eventpoll {
	struct list_head items;
};

static const struct file_ops epoll_fops;

static struct eventpoll *ep_of(struct file *f)
{
	return f && f->ops == &epoll_fops ? f->priv : NULL;
}

static struct epitem *ep_find(struct eventpoll *ep, int fd)
{
	struct epitem *it;

	for (struct list_head *e = ep->items.next; e != &ep->items; e = e->next) {
		it = list_entry(e, struct epitem, node);
		if (it->fd == fd)
			return it;
	}
	return NULL;
}

static void ep_remove(struct epitem *it)
{
	list_del(&it->node);
	kfree(it);
}

#define EDGE_IN		(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | POLLHUP)
#define EDGE_OUT	(POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)

static struct poll_edges file_edges(struct file *f)
{
	if (f->ops && f->ops->edges)
		return f->ops->edges(f);
	return (struct poll_edges){ file_event_gen, file_event_gen };
}

/* EPOLLET: is @got (what holds of @f now) a new edge since the last report? */
static bool ep_new_edge(struct epitem *it, struct file *f, uint32_t got)
{
	struct poll_edges now = file_edges(f);
	bool edge = (got & ~it->reported) ||
		    (now.in != it->seen.in && (got & EDGE_IN)) ||
		    (now.out != it->seen.out && (got & EDGE_OUT));

	it->reported = got;
	if (edge)
		it->seen = now;
	return edge;
}

/* The events of @it that hold now (0 if it is not to report). */
static uint32_t ep_item_ready(struct task *t, struct epitem *it)
{
	uint32_t want = it->events | POLLERR | POLLHUP, got;
	struct file *f = fd_get(t->files, it->fd);

	if (f != it->file) {	/* closed, or the number reused: gone */
		if (f)
			file_put(f);
		ep_remove(it);
		return 0;
	}
	got = file_poll(f) & want & 0xffff;
	if (!it->disabled && (it->events & EPOLLET) && !ep_new_edge(it, f, got))
		got = 0;
	file_put(f);
	return it->disabled ? 0 : got;
}

struct ep_scan {
	struct task *t;
	struct eventpoll *ep;
	struct linux_epoll_event ev[EPOLL_CHUNK];
	int max, n;
	uaddr_t out;
};

/* Collect ready events into the app's array. Return: how many, or -EFAULT. */
static long ep_scan(void *arg)
{
	struct ep_scan *s = arg;
	struct list_head *e, *next;
	struct epitem *it;
	int total = 0, k = 0;
	uint32_t got;

	for (e = s->ep->items.next; e != &s->ep->items && total + k < s->max; e = next) {
		next = e->next;	/* ep_item_ready may drop the entry */
		it = list_entry(e, struct epitem, node);
		got = ep_item_ready(s->t, it);
		if (!got)
			continue;
		s->ev[k].events = got;
		s->ev[k].data = it->data;
		if (it->events & EPOLLONESHOT)
			it->disabled = true;
		if (++k == EPOLL_CHUNK) {
			if (copy_to_user(s->out + (uaddr_t)total * sizeof(s->ev[0]), s->ev,
					 sizeof(s->ev)))
				return -EFAULT;
			total += k;
			k = 0;
		}
	}
	if (k && copy_to_user(s->out + (uaddr_t)total * sizeof(s->ev[0]), s->ev,
			      (size_t)k * sizeof(s->ev[0])))
		return -EFAULT;
	return total + k;
}

/* The epoll file is readable while one of its entries is ready. */
static unsigned int epoll_poll(struct file *f)
{
	struct eventpoll *ep = f->priv;
	struct task *t = task_current();
	struct epitem *it;
	struct file *of;

	for (struct list_head *e = ep->items.next; e != &ep->items; e = e->next) {
		it = list_entry(e, struct epitem, node);
		of = it->disabled ? NULL : fd_get(t->files, it->fd);
		if (!of)
			continue;
		if (of == it->file && (file_poll(of) & (it->events | POLLERR | POLLHUP))) {
			file_put(of);
			return POLLIN | POLLRDNORM;
		}
		file_put(of);
	}
	return 0;
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->priv;

	while (!list_empty(&ep->items))
		ep_remove(list_entry(ep->items.next, struct epitem, node));
	kfree(ep);
}

static const struct file_ops epoll_fops = {
	.poll = epoll_poll,
	.release = epoll_release,
};

static long do_epoll_create(struct task *t, int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	f = ep ? file_alloc(&epoll_fops, O_RDWR) : NULL;
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	list_init(&ep->items);
	f->priv = ep;
	fd = fd_install(t->files, 0, f, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* epoll_create(size): size is only checked */
long sys_epoll_create(struct task *t, const struct syscall_args *a)
{
	return arg_int(a, 0) <= 0 ? -EINVAL : do_epoll_create(t, 0);
}

long sys_epoll_create1(struct task *t, const struct syscall_args *a)
{
	return do_epoll_create(t, arg_int(a, 0));
}

static long ep_ctl(struct task *t, struct eventpoll *ep, int op, int fd, struct file *tf,
		   const struct linux_epoll_event *ev)
{
	struct epitem *it = ep_find(ep, fd);

	if (it && it->file != tf) {	/* a stale entry for a reused number */
		ep_remove(it);
		it = NULL;
	}
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		it = kzalloc(sizeof(*it));
		if (!it)
			return -ENOMEM;
		it->fd = fd;
		it->file = tf;
		it->events = ev->events;
		it->data = ev->data;
		list_add_tail(&it->node, &ep->items);
		file_notify();	/* waiters on this epoll look again */
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (ev->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		it->events = ev->events;
		it->data = ev->data;
		it->reported = 0;
		it->disabled = false;
		file_notify();
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		ep_remove(it);
		return 0;
	default:
		return -EINVAL;
	}
}

/* epoll_ctl(epfd, op, fd, event) */
long sys_epoll_ctl(struct task *t, const struct syscall_args *a)
{
	int op = arg_int(a, 1), fd = arg_int(a, 2);
	struct file *ef = fd_get(t->files, arg_int(a, 0)), *tf = fd_get(t->files, fd);
	struct linux_epoll_event ev = { 0, 0 };
	struct eventpoll *ep = ep_of(ef);
	long ret;

	if (!ef || !tf)
		ret = -EBADF;
	else if (!ep || ef == tf)
		ret = -EINVAL;
	else if (tf->ops->poll == NULL && (tf->inode || tf->dentry))
		ret = -EPERM;	/* regular files and directories: always ready, Linux refuses */
	else if (op != EPOLL_CTL_DEL && copy_from_user(&ev, arg_uaddr(a, 3), sizeof(ev)))
		ret = -EFAULT;
	else
		ret = ep_ctl(t, ep, op, fd, tf, &ev);
	if (ef)
		file_put(ef);
	if (tf)
		file_put(tf);
	return ret;
}

/* Wait up to @ns (negative: for ever) for events on @epfd. */
static long do_epoll_wait(struct task *t, int epfd, uaddr_t events, int max, int64_t ns)
{
	struct file *ef;
	struct ep_scan *s;
	int64_t now = 0, deadline;
	long ret;
	int err;

	if (max <= 0 || max > EPOLL_MAX_EVENTS)
		return -EINVAL;
	ef = fd_get(t->files, epfd);
	if (!ef)
		return -EBADF;
	s = ep_of(ef) ? kzalloc(sizeof(*s)) : NULL;
	if (!s) {
		file_put(ef);
		return ep_of(ef) ? -ENOMEM : -EINVAL;
	}
	*s = (struct ep_scan){ .t = t, .ep = ep_of(ef), .max = max, .out = events };
	plat_clock_ns(CLOCK_MONOTONIC, &now);
	deadline = ns < 0 ? SCHED_FOREVER : now + ns;
	for (;;) {
		ret = ep_scan(s);
		if (ret || ns == 0)
			break;
		err = sched_wait(&file_event_wq, deadline);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			ret = err == -EINTR ? -EINTR : err;	/* never restarted, as in Linux */
			break;
		}
	}
	kfree(s);
	file_put(ef);
	return ret;
}

/* epoll_wait(epfd, events, maxevents, timeout_ms) */
long sys_epoll_wait(struct task *t, const struct syscall_args *a)
{
	int ms = arg_int(a, 3);

	return do_epoll_wait(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			     ms < 0 ? -1 : (int64_t)ms * 1000000);
}

/* epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize): the mask is checked, not applied */
long sys_epoll_pwait(struct task *t, const struct syscall_args *a)
{
	int ms = arg_int(a, 3);

	if (arg_uaddr(a, 4) && arg_size(a, 5) != sizeof(linux_sigset_t))
		return -EINVAL;
	return do_epoll_wait(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			     ms < 0 ? -1 : (int64_t)ms * 1000000);
}

/* epoll_pwait2(epfd, events, maxevents, timespec, sigmask, sigsetsize) */
long sys_epoll_pwait2(struct task *t, const struct syscall_args *a)
{
	struct linux_timespec ts;
	int64_t ns = -1;

	if (arg_uaddr(a, 4) && arg_size(a, 5) != sizeof(linux_sigset_t))
		return -EINVAL;
	if (arg_uaddr(a, 3)) {
		if (copy_from_user(&ts, arg_uaddr(a, 3), sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		ns = ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1 ? -1
							      : ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	}
	return do_epoll_wait(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2), ns);
}

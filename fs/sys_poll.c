// SPDX-License-Identifier: Apache-2.0
/*
 * sys_poll.c: poll, ppoll, select and pselect6. An fd's readiness is its
 * file's poll op (file_poll). A call looks at its fds, and while none is
 * ready waits for any file in the sandbox to change (file_notify), the
 * timeout, or a signal, and looks again. The signal masks of ppoll and
 * pselect6 are checked, not applied.
 */
#define pr_fmt(fmt) "poll: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

#include "vfs_internal.h"

#define POLL_CHUNK	64		/* pollfds copied in one go */
#define WAIT_FOREVER	(-1LL)
#define SIGSET_SIZE	8
#define SELECT_WORDS	(FDTABLE_DEFAULT_MAX / 64)
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	POLLPRI
#define USEC_PER_SEC	1000000LL
#define MAX_SEC		(INT64_MAX / NSEC_PER_SEC - 1)

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

/*
 * Run @scan until it finds something ready (or fails), @ns (relative;
 * WAIT_FOREVER: none) passes, or a signal is pending; *@ns is left with
 * the time that remains.
 */
static long wait_ready(long (*scan)(void *), void *arg, int64_t *ns)
{
	int64_t now = 0, deadline;
	bool waited = false;
	long ret;
	int err;

	plat_clock_ns(CLOCK_MONOTONIC, &now);
	deadline = *ns < 0 ? SCHED_FOREVER : now + *ns;
	for (;;) {
		ret = scan(arg);
		if (ret || *ns == 0)
			break;
		waited = true;
		err = sched_wait(&file_event_wq, deadline);
		if (err == -ETIMEDOUT)
			break;
		if (err) {
			ret = err == -EINTR ? -ERESTARTNOHAND : err;
			break;
		}
	}
	if (waited && deadline != SCHED_FOREVER) {	/* else no time passed to speak of */
		plat_clock_ns(CLOCK_MONOTONIC, &now);
		*ns = MAX(deadline - now, 0);
	}
	return ret;
}

struct poll_req {
	struct task *t;
	uaddr_t ufds;
	uint64_t nfds;
};

/* The pollfds at @ufds (@nfds of them) with their revents filled. */
static long scan_poll(void *arg)
{
	struct poll_req *r = arg;
	struct task *t = r->t;
	uaddr_t ufds = r->ufds;
	uint64_t nfds = r->nfds;
	struct linux_pollfd pfd[POLL_CHUNK];
	long ready = 0;

	for (uint64_t i = 0; i < nfds; i += POLL_CHUNK) {
		size_t n = MIN(nfds - i, (uint64_t)POLL_CHUNK);
		uaddr_t u = ufds + i * sizeof(pfd[0]);

		if (copy_from_user(pfd, u, n * sizeof(pfd[0])))
			return -EFAULT;
		for (size_t j = 0; j < n; j++) {
			unsigned int want = (uint16_t)pfd[j].events | POLLERR | POLLHUP;
			struct file *f;

			pfd[j].revents = 0;
			if (pfd[j].fd < 0)
				continue;
			f = fd_get_io(t->files, pfd[j].fd);
			pfd[j].revents = (int16_t)(f ? file_poll(f) & want : POLLNVAL);
			if (f)
				file_put(f);
			if (pfd[j].revents)
				ready++;
		}
		if (copy_to_user(u, pfd, n * sizeof(pfd[0])))
			return -EFAULT;
	}
	return ready;
}

static long do_poll(struct task *t, uaddr_t ufds, uint64_t nfds, int64_t *ns)
{
	struct poll_req r = { t, ufds, nfds };

	if (nfds > t->files->max)
		return -EINVAL;
	return wait_ready(scan_poll, &r, ns);
}

/* A timespec's nanoseconds; WAIT_FOREVER beyond what 64 bits hold. */
static int64_t timespec_ns(int64_t sec, int64_t nsec)
{
	return sec > MAX_SEC ? WAIT_FOREVER : sec * NSEC_PER_SEC + nsec;
}

/* Write back the time left of a timeout given at @u, as Linux does (not for
 * a zero timeout; a failed write is ignored: the call has happened). */
static void put_remaining(uaddr_t u, int64_t given, int64_t left, bool timeval)
{
	struct linux_timespec ts;
	struct linux_timeval tv;

	if (!u || given <= 0 || left < 0)
		return;
	ts.tv_sec = left / NSEC_PER_SEC;
	ts.tv_nsec = left % NSEC_PER_SEC;
	tv.tv_sec = ts.tv_sec;
	tv.tv_usec = ts.tv_nsec / 1000;
	if (timeval)
		(void)copy_to_user(u, &tv, sizeof(tv));
	else
		(void)copy_to_user(u, &ts, sizeof(ts));
}

/* A relative timespec at @u into *@ns (no @u: forever). */
static int get_timeout_ts(uaddr_t u, int64_t *ns)
{
	struct linux_timespec ts;

	*ns = WAIT_FOREVER;
	if (!u)
		return 0;
	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*ns = timespec_ns(ts.tv_sec, ts.tv_nsec);
	return 0;
}

/* poll(2): @timeout in milliseconds, negative for none. */
long sys_poll(struct task *t, const struct syscall_args *a)
{
	int timeout = arg_int(a, 2);
	int64_t ns = timeout < 0 ? WAIT_FOREVER : timeout * 1000000LL;

	return do_poll(t, arg_uaddr(a, 0), arg_uint(a, 1), &ns);
}

/* ppoll(2) */
long sys_ppoll(struct task *t, const struct syscall_args *a)
{
	uaddr_t uts = arg_uaddr(a, 2);
	int64_t given, ns;
	long ret = get_timeout_ts(uts, &ns);

	if (ret)
		return ret;
	if (arg_uaddr(a, 3) && arg_size(a, 4) != SIGSET_SIZE)
		return -EINVAL;
	given = ns;
	ret = do_poll(t, arg_uaddr(a, 0), arg_uint(a, 1), &ns);
	put_remaining(uts, given, ns, false);
	return ret;
}

/*
 * The fd_sets of select (@n bits at each of @u, any of them 0), replaced by
 * the fds ready for reading, writing and exceptions. An fd in a set that
 * is not open is -EBADF; an O_PATH one is never ready, as in Linux.
 */
struct select_req {
	struct task *t;
	int n;
	uint64_t in[3][SELECT_WORDS], out[3][SELECT_WORDS];
};

static long scan_select(void *arg)
{
	static const unsigned int sets[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
	struct select_req *r = arg;
	uint64_t (*in)[SELECT_WORDS] = r->in, (*out)[SELECT_WORDS] = r->out;
	long ready = 0;

	memset(r->out, 0, sizeof(r->out));
	for (int fd = 0; fd < r->n; fd++) {
		uint64_t bit = 1ULL << (fd % 64);
		int w = fd / 64;
		unsigned int mask;
		struct file *f;

		if (!((in[0][w] | in[1][w] | in[2][w]) & bit))
			continue;
		f = fd_get(r->t->files, fd);
		if (!f)
			return -EBADF;
		mask = f->flags & O_PATH ? POLLNVAL : file_poll(f);
		file_put(f);
		for (int k = 0; k < 3; k++) {
			if ((in[k][w] & bit) && (mask & sets[k])) {
				out[k][w] |= bit;
				ready++;
			}
		}
	}
	return ready;
}

static long do_select(struct task *t, int n, const uaddr_t u[3], int64_t *ns)
{
	struct select_req *r;
	size_t bytes;
	long ret;

	if (n < 0)
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->t = t;
	r->n = (int)MIN((unsigned int)n, MIN(t->files->max, (unsigned int)FDTABLE_DEFAULT_MAX));
	bytes = (size_t)(r->n + 63) / 64 * 8;
	ret = 0;
	for (int k = 0; k < 3 && !ret; k++)
		if (u[k] && copy_from_user(r->in[k], u[k], bytes))
			ret = -EFAULT;
	if (!ret)
		ret = wait_ready(scan_select, r, ns);
	for (int k = 0; k < 3 && ret >= 0; k++)
		if (u[k] && copy_to_user(u[k], r->out[k], bytes))
			ret = -EFAULT;
	kfree(r);
	return ret;
}

/* select(2): the timeval is a relative timeout (none: forever); microseconds
 * of a second or more are carried into seconds, as Linux does. */
long sys_select(struct task *t, const struct syscall_args *a)
{
	const uaddr_t u[3] = { arg_uaddr(a, 1), arg_uaddr(a, 2), arg_uaddr(a, 3) };
	uaddr_t utv = arg_uaddr(a, 4);
	struct linux_timeval tv;
	int64_t given = WAIT_FOREVER, ns;
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		if (tv.tv_sec > MAX_SEC - tv.tv_usec / USEC_PER_SEC)
			given = WAIT_FOREVER;
		else
			given = timespec_ns(tv.tv_sec + tv.tv_usec / USEC_PER_SEC,
					    tv.tv_usec % USEC_PER_SEC * 1000);
	}
	ns = given;
	ret = do_select(t, arg_int(a, 0), u, &ns);
	put_remaining(utv, given, ns, true);
	return ret;
}

/* pselect6(2): the 6th argument points at { sigset pointer, its size }. */
long sys_pselect6(struct task *t, const struct syscall_args *a)
{
	const uaddr_t u[3] = { arg_uaddr(a, 1), arg_uaddr(a, 2), arg_uaddr(a, 3) };
	uaddr_t uts = arg_uaddr(a, 4), usig = arg_uaddr(a, 5);
	struct { uint64_t set, size; } sig;
	int64_t given, ns;
	long ret = get_timeout_ts(uts, &ns);

	if (ret)
		return ret;
	if (usig) {
		if (copy_from_user(&sig, usig, sizeof(sig)))
			return -EFAULT;
		if (sig.set && sig.size != SIGSET_SIZE)
			return -EINVAL;
	}
	given = ns;
	ret = do_select(t, arg_int(a, 0), u, &ns);
	put_remaining(uts, given, ns, false);
	return ret;
}

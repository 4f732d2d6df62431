// SPDX-License-Identifier: Apache-2.0
/*
 * lock.c: advisory file locks, kept on the inode, core.
 *
 *   POSIX record locks (F_SETLK, F_SETLKW, F_GETLK): byte ranges owned by
 *     the process's fd table (Linux's files_struct), released when that
 *     process closes any fd of the file and when the table goes away.
 *   OFD locks (F_OFD_*): the same byte ranges, owned by the open file
 *     description, released with its last reference. They and POSIX locks
 *     conflict with each other.
 *   flock(2): one whole-file lock per open file description, a separate
 *     space that never conflicts with the byte-range locks.
 *
 * A lock conflicts with another owner's overlapping lock when either is a
 * write lock. Waiters sleep on one queue and look again after any release.
 * Files without an inode (pipes, sockets, stdio) keep no locks: setting
 * one succeeds and testing reports F_UNLCK.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/sched.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "vfs_internal.h"

#define OFFSET_MAX	INT64_MAX
#define DEADLOCK_DEPTH	10	/* owners followed looking for a wait cycle */

struct file_lock {
	struct file_lock *next;
	const void *owner;	/* fdtable (POSIX) or file (OFD, flock) */
	bool flock;		/* flock(2)'s space, not a byte range */
	bool ofd;
	int type;		/* F_RDLCK or F_WRLCK */
	int pid;		/* F_GETLK's l_pid: the setter's tgid, -1 for OFD */
	int64_t start, end;	/* bytes start..end inclusive */
};

/* A POSIX owner waiting for another's lock (for EDEADLK). */
struct lock_waiter {
	struct list_head node;
	const void *owner, *blocker;
};

static struct waitq lock_wq = WAITQ_INIT(lock_wq);
static struct list_head lock_waiters = LIST_HEAD_INIT(lock_waiters);

/* The app's struct flock (the same on x86_64 and arm64). */
struct linux_flock {
	int16_t type, whence;
	int32_t pad;
	int64_t start, len;
	int32_t pid, pad2;
};

static bool overlap(const struct file_lock *l, int64_t start, int64_t end)
{
	return l->start <= end && start <= l->end;
}

/* A lock of another owner in @l's space that @l cannot coexist with. */
static struct file_lock *find_conflict(struct inode *inode, const struct file_lock *l)
{
	for (struct file_lock *o = inode->locks; o; o = o->next) {
		if (o->flock != l->flock || o->owner == l->owner)
			continue;
		if (o->type != F_WRLCK && l->type != F_WRLCK)
			continue;
		if (overlap(o, l->start, l->end))
			return o;
	}
	return NULL;
}

static void unlink_lock(struct file_lock **pp)
{
	struct file_lock *l = *pp;

	*pp = l->next;
	kfree(l);
}

/*
 * Make @owner's range locks on @inode match @l over l->start..l->end:
 * type F_UNLCK removes them there, a lock type replaces them and merges
 * with the owner's touching locks of the same type. Ranges cut in two
 * need one more lock: -ENOLCK when there is no memory for it.
 */
static int apply_range(struct inode *inode, const struct file_lock *l)
{
	struct file_lock *nl = kmalloc(sizeof(*nl)), *split = kmalloc(sizeof(*split));
	int64_t start = l->start, end = l->end;
	struct file_lock **pp = &inode->locks;
	int err = 0;

	if (!nl || !split) {
		err = -ENOLCK;
		goto out;
	}
	while (*pp) {
		struct file_lock *o = *pp;
		bool touch = o->start <= (end == OFFSET_MAX ? end : end + 1) &&
			     start <= (o->end == OFFSET_MAX ? o->end : o->end + 1);

		if (o->flock != l->flock || o->owner != l->owner || !touch) {
			pp = &o->next;
			continue;
		}
		if (o->type == l->type) {	/* merge into the new lock */
			start = MIN(start, o->start);
			end = MAX(end, o->end);
			unlink_lock(pp);
			continue;
		}
		if (!overlap(o, start, end)) {
			pp = &o->next;
			continue;
		}
		if (o->start < start && o->end > end) {	/* cut in two */
			*split = *o;
			split->start = end + 1;
			split->next = o->next;
			o->next = split;
			o->end = start - 1;
			split = NULL;
			pp = &o->next->next;
		} else if (o->start < start) {
			o->end = start - 1;
			pp = &o->next;
		} else if (o->end > end) {
			o->start = end + 1;
			pp = &o->next;
		} else {
			unlink_lock(pp);
		}
	}
	if (l->type != F_UNLCK) {
		*nl = *l;
		nl->start = start;
		nl->end = end;
		nl->next = inode->locks;
		inode->locks = nl;
		nl = NULL;
	}
	waitq_wake_all(&lock_wq);
out:
	kfree(nl);
	kfree(split);
	return err;
}

/* Would waiting for @blocker close a cycle of POSIX owners back to @me? */
static bool would_deadlock(const void *me, const void *blocker)
{
	for (int depth = 0; depth < DEADLOCK_DEPTH; depth++) {
		struct lock_waiter *w = NULL;
		struct list_head *pos;

		if (blocker == me)
			return true;
		list_for_each(pos, &lock_waiters) {
			w = list_entry(pos, struct lock_waiter, node);
			if (w->owner == blocker)
				break;
			w = NULL;
		}
		if (!w)
			return false;
		blocker = w->blocker;
	}
	return false;
}

/*
 * Set @l (a lock, or F_UNLCK) on @inode, waiting while another owner's lock
 * conflicts if @wait. Return: 0, -EAGAIN, -EDEADLK, -ERESTARTSYS, -ENOLCK.
 */
static int set_lock(struct inode *inode, const struct file_lock *l, bool wait)
{
	struct lock_waiter w = { .owner = l->owner };
	struct file_lock *c, un = *l;
	int err;

	if (l->flock && l->type != F_UNLCK) {
		/* As Linux: a conversion lets the old lock go before it waits. */
		for (c = inode->locks; c && !(c->flock && c->owner == l->owner); c = c->next)
			;
		if (c && c->type == l->type)
			return 0;
		un.type = F_UNLCK;
		if (c && (err = apply_range(inode, &un)))
			return err;
	}
	for (;;) {
		c = l->type == F_UNLCK ? NULL : find_conflict(inode, l);
		if (!c)
			return apply_range(inode, l);
		if (!wait)
			return -EAGAIN;
		if (!l->flock && !l->ofd && !c->ofd && would_deadlock(l->owner, c->owner))
			return -EDEADLK;
		w.blocker = c->owner;
		list_add(&w.node, &lock_waiters);
		err = sched_wait(&lock_wq, SCHED_FOREVER);
		list_del(&w.node);
		if (err)
			return err == -EINTR ? -ERESTARTSYS : err;
	}
}

/* struct flock's whence/start/len as the inclusive range of @l. */
static int flock_range(struct file *f, const struct linux_flock *fl, struct file_lock *l)
{
	int64_t base;

	switch (fl->whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = (int64_t)f->inode->size; break;
	default: return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->start, &l->start))
		return -EOVERFLOW;
	if (fl->len > 0) {
		if (__builtin_add_overflow(l->start, fl->len - 1, &l->end))
			return -EOVERFLOW;
	} else if (fl->len < 0) {
		l->end = l->start - 1;
		l->start += fl->len;
	} else {
		l->end = OFFSET_MAX;
	}
	return l->start < 0 ? -EINVAL : 0;
}

/* F_GETLK: the first lock that would block @l, or F_UNLCK. */
static int get_lock(struct file *f, struct file_lock *l, struct linux_flock *fl)
{
	struct file_lock *c = find_conflict(f->inode, l);

	if (!c) {
		fl->type = F_UNLCK;
		return 0;
	}
	fl->type = (int16_t)c->type;
	fl->whence = SEEK_SET;
	fl->start = c->start;
	fl->len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
	fl->pid = c->pid;
	return 0;
}

long lock_fcntl(struct task *t, struct file *f, unsigned int cmd, uaddr_t arg)
{
	bool ofd = cmd >= F_OFD_GETLK;
	struct file_lock l = { .ofd = ofd };
	struct linux_flock fl;
	int err;

	if (f->flags & O_PATH)
		return -EBADF;
	if (copy_from_user(&fl, arg, sizeof(fl)))
		return -EFAULT;
	if (fl.type != F_RDLCK && fl.type != F_WRLCK && fl.type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl.pid)
		return -EINVAL;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (fl.type == F_UNLCK)
			return -EINVAL;
	} else if ((fl.type == F_RDLCK && !file_readable(f)) ||
		   (fl.type == F_WRLCK && !file_writable(f))) {
		return -EBADF;
	}
	if (!f->inode) {	/* nothing to lock: see the top of the file */
		fl.type = F_UNLCK;
		return cmd == F_GETLK || cmd == F_OFD_GETLK ?
		       (copy_to_user(arg, &fl, sizeof(fl)) ? -EFAULT : 0) : 0;
	}
	err = flock_range(f, &fl, &l);
	if (err)
		return err;
	l.type = fl.type;
	l.owner = ofd ? (const void *)f : (const void *)t->files;
	l.pid = ofd ? -1 : t->tgid;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		get_lock(f, &l, &fl);
		return copy_to_user(arg, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	return set_lock(f->inode, &l, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/* flock(2) */
long sys_flock(struct task *t, const struct syscall_args *a)
{
	unsigned int op = arg_uint(a, 1);
	struct file *f = fd_get(t->files, arg_int(a, 0));
	struct file_lock l = { .flock = true, .start = 0, .end = OFFSET_MAX };
	long ret;

	if (!f)
		return -EBADF;
	l.owner = f;
	l.pid = t->tgid;
	switch (op & ~LOCK_NB) {
	case LOCK_SH: l.type = F_RDLCK; break;
	case LOCK_EX: l.type = F_WRLCK; break;
	case LOCK_UN: l.type = F_UNLCK; break;
	default: l.type = -1; break;
	}
	if (l.type < 0)
		ret = -EINVAL;
	else if (f->flags & O_PATH)
		ret = -EBADF;
	else if (!f->inode)
		ret = 0;
	else
		ret = set_lock(f->inode, &l, !(op & LOCK_NB));
	file_put(f);
	return ret;
}

/* Drop the locks on @inode that @drop picks. */
static void release_where(struct inode *inode, bool (*drop)(const struct file_lock *, const void *),
			  const void *arg)
{
	struct file_lock **pp = &inode->locks;
	bool any = false;

	while (*pp) {
		if (drop(*pp, arg)) {
			unlink_lock(pp);
			any = true;
		} else {
			pp = &(*pp)->next;
		}
	}
	if (any)
		waitq_wake_all(&lock_wq);
}

static bool is_posix_of(const struct file_lock *l, const void *ft)
{
	return !l->flock && !l->ofd && l->owner == ft;
}

static bool is_owned_by(const struct file_lock *l, const void *f)
{
	return (l->flock || l->ofd) && l->owner == f;
}

void lock_release_posix(struct fdtable *ft, struct file *f)
{
	if (f && f->inode && f->inode->locks)
		release_where(f->inode, is_posix_of, ft);
}

void lock_release_file(struct file *f)
{
	if (f->inode && f->inode->locks)
		release_where(f->inode, is_owned_by, f);
}

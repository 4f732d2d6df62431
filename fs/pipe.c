// SPDX-License-Identifier: Apache-2.0
/*
 * pipe.c: pipe(2), pipe2(2) and memfd_create(2). A pipe is a 64 KiB ring
 * shared by a read end and a write end. Reading an empty pipe that has a
 * writer and writing a full one that has a reader wait (or -EAGAIN with
 * O_NONBLOCK); writes of up to PIPE_BUF bytes are atomic. Writing with no
 * reader is -EPIPE and SIGPIPE.
 */
#define pr_fmt(fmt) "pipe: " fmt

#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define PIPE_SIZE	(64 * 1024)
#define PIPE_BUF	4096	/* writes up to this size are never split */
#define PIPEFS_DEV	12	/* makedev(0, 12) */
#define FIONREAD	0x541B
#define MFD_CLOEXEC	1U
#define MFD_ALLOW_SEALING 2U
#define MFD_NAME_MAX	249

struct pipe {
	uint8_t *buf;
	size_t head, len;		/* data: len bytes from head, wrapping */
	unsigned int readers, writers;	/* open ends */
	uint64_t ino;
	uint32_t uid, gid;
	int64_t sec;
	uint32_t nsec;
	struct waitq wq;		/* readers and writers waiting for a change */
	struct poll_edges edges;	/* in: written or hung up; out: room after full */
};

static uint64_t next_pipe_ino = 1;

/* Something changed in @p: whoever waits on it, or polls, looks again. */
static void pipe_changed(struct pipe *p)
{
	waitq_wake_all(&p->wq);
	file_notify();
}

/* Wait for a change of @p unless @f is non-blocking. Return: 0 or -errno. */
static int pipe_wait(struct file *f, struct pipe *p)
{
	int err;

	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	err = sched_wait(&p->wq, SCHED_FOREVER);
	return err == -EINTR ? -ERESTARTSYS : err;
}

static ssize_t pipe_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pipe *p = f->priv;
	size_t start = b->count;
	int err = 0;

	if (!b->count)
		return 0;
	while (!p->len) {
		if (!p->writers)
			return 0;
		err = pipe_wait(f, p);
		if (err)
			return err;
	}
	while (b->count && p->len && !err) {
		size_t n = MIN(p->len, PIPE_SIZE - p->head), before = b->count;

		err = copy_to_iobuf(b, p->buf + p->head, n);
		n = before - b->count;
		p->head = (p->head + n) % PIPE_SIZE;
		p->len -= n;
	}
	if (!p->len)
		p->head = 0;
	if (p->len + (start - b->count) == PIPE_SIZE)	/* was full: room now */
		p->edges.out++;
	pipe_changed(p);
	return start != b->count ? (ssize_t)(start - b->count) : err;
}

/* Copy what fits of @b into @p. Return: 0 or -EFAULT. */
static int pipe_fill(struct pipe *p, struct iobuf *b)
{
	int err = 0;

	while (b->count && p->len < PIPE_SIZE && !err) {
		size_t tail = (p->head + p->len) % PIPE_SIZE, before = b->count;
		size_t n = MIN(PIPE_SIZE - p->len, PIPE_SIZE - tail);

		err = copy_from_iobuf(p->buf + tail, b, n);
		p->len += before - b->count;
	}
	return err;
}

static ssize_t pipe_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pipe *p = f->priv;
	size_t start = b->count;
	bool atomic = b->count <= PIPE_BUF;
	int err = 0;

	if (!b->count)
		return p->readers ? 0 : -EPIPE;
	while (b->count) {
		if (!p->readers) {
			task_signal_thread(task_current(), SIGPIPE);
			err = -EPIPE;
			break;
		}
		if (PIPE_SIZE - p->len < (atomic ? b->count : 1)) {
			err = pipe_wait(f, p);
			if (err)
				break;
			continue;
		}
		err = pipe_fill(p, b);
		p->edges.in++;
		pipe_changed(p);
		if (err)
			break;
	}
	return start != b->count ? (ssize_t)(start - b->count) : err;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, uaddr_t arg)
{
	struct pipe *p = f->priv;
	int n = (int)p->len;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
}

/* Read end: data, or end of file (no writer: POLLHUP). Write end: room,
 * or no reader (POLLERR, as a write would be -EPIPE). */
static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned int mask = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers)
			mask |= POLLHUP;
	} else {
		if (p->len < PIPE_SIZE)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

static int pipe_fstat(struct file *f, struct linux_stat *st)
{
	struct pipe *p = f->priv;

	memset(st, 0, sizeof(*st));
	st->st_dev = PIPEFS_DEV;
	st->st_ino = p->ino;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_uid = p->uid;
	st->st_gid = p->gid;
	st->st_blksize = VFS_BLKSIZE;
	st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = (uint64_t)p->sec;
	st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = p->nsec;
	return 0;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	if (!p->readers && !p->writers) {
		kfree(p->buf);
		kfree(p);
		return;
	}
	p->edges.in++;
	p->edges.out++;
	pipe_changed(p);
}

static struct poll_edges pipe_edges(struct file *f)
{
	return ((struct pipe *)f->priv)->edges;
}

static const struct file_ops pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.edges = pipe_edges,
	.fstat = pipe_fstat,
	.release = pipe_release,
};

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_fops;
}

int pipe_create(struct task *t, unsigned int flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof(*p));

	*rd = *wr = NULL;
	if (p)
		p->buf = kmalloc(PIPE_SIZE);
	if (p && p->buf) {
		*rd = file_alloc(&pipe_fops, O_RDONLY | (flags & O_NONBLOCK));
		*wr = file_alloc(&pipe_fops, O_WRONLY | (flags & O_NONBLOCK));
	}
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		if (p)
			kfree(p->buf);
		kfree(p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	waitq_init(&p->wq);
	p->ino = next_pipe_ino++;
	p->uid = t->euid;
	p->gid = t->egid;
	vfs_now(&p->sec, &p->nsec);
	(*rd)->priv = (*wr)->priv = p;
	return 0;
}

static long do_pipe2(struct task *t, uaddr_t ufds, unsigned int flags)
{
	struct file *rd, *wr;
	int fds[2], err;
	bool cloexec = flags & O_CLOEXEC;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (flags & O_DIRECT)
		return -EINVAL;		/* packet mode: not yet */
	err = pipe_create(t, flags, &rd, &wr);
	if (err)
		return err;
	fds[0] = fd_install(t->files, 0, rd, cloexec);
	if (fds[0] < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(t->files, 0, wr, cloexec);
	if (fds[1] < 0) {
		file_put(wr);
		fd_close(t->files, fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(t->files, fds[0]);
		fd_close(t->files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(struct task *t, const struct syscall_args *a)
{
	return do_pipe2(t, arg_uaddr(a, 0), 0);
}

long sys_pipe2(struct task *t, const struct syscall_args *a)
{
	return do_pipe2(t, arg_uaddr(a, 0), arg_uint(a, 1));
}

/* memfd_create(2): a tmpfs file with no name; seals are not supported. */
long sys_memfd_create(struct task *t, const struct syscall_args *a)
{
	unsigned int flags = arg_uint(a, 1);
	struct tmpfs *fs = vfs_anon_fs();
	struct tmpfs_inode *ino;
	struct file *f;
	char name[MFD_NAME_MAX + 1];
	long n;
	int fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	n = strncpy_from_user(name, arg_uaddr(a, 0), sizeof(name));
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	if (!fs)
		return -ENOMEM;
	ino = tmpfs_new_inode(fs, S_IFREG | 0777, t->euid, t->egid);
	f = ino ? file_alloc(&tmpfs_file_fops, O_RDWR | O_LARGEFILE) : NULL;
	if (!f)
		return -ENOMEM;	/* an inode with no link and no file holds no data */
	f->inode = &ino->i;
	ino->opens++;
	fd = fd_install(t->files, 0, f, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

// SPDX-License-Identifier: Apache-2.0
/* sys_rw.c: read, write, readv, writev, pread64, pwrite64, lseek. */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "vfs_internal.h"

/* Read or write @b at @fd's position, or at @off when @positional. */
static long do_io(struct task *t, int fd, struct iobuf *b, bool write,
		  bool positional, loff_t off)
{
	struct file *f;
	loff_t *pos;
	long ret;

	if (positional && off < 0)
		return -EINVAL;
	f = fd_get_io(t->files, fd);
	if (!f)
		return -EBADF;
	pos = positional ? &off : &f->pos;
	if (positional && !f->ops->llseek)
		ret = -ESPIPE;
	else if (write)
		ret = file_write(f, b, pos);
	else
		ret = file_read(f, b, pos);
	file_put(f);
	return ret;
}

static long do_rw(struct task *t, const struct syscall_args *a, bool write,
		  bool positional)
{
	struct iobuf b;

	iobuf_init_user(&b, arg_uaddr(a, 1), MIN(arg_size(a, 2), (size_t)MAX_RW_COUNT));
	return do_io(t, arg_int(a, 0), &b, write, positional,
		     positional ? arg_long(a, 3) : 0);
}

/* read(2) */
long sys_read(struct task *t, const struct syscall_args *a)
{
	return do_rw(t, a, false, false);
}

/* write(2) */
long sys_write(struct task *t, const struct syscall_args *a)
{
	return do_rw(t, a, true, false);
}

/* pread64(2) */
long sys_pread64(struct task *t, const struct syscall_args *a)
{
	return do_rw(t, a, false, true);
}

/* pwrite64(2) */
long sys_pwrite64(struct task *t, const struct syscall_args *a)
{
	return do_rw(t, a, true, true);
}

/*
 * readv/writev: one read or write op over all segments, so a pipe or tty
 * read returns what is there (as Linux) and a write stays one write.
 */
static long do_rwv(struct task *t, const struct syscall_args *a, bool write)
{
	uint64_t vlen = arg_u64(a, 2);
	struct linux_iovec fast[8], *iov = fast;
	size_t i, total = 0;
	struct iobuf b;
	long ret;

	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	if (vlen > ARRAY_SIZE(fast)) {
		iov = kmalloc(vlen * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
	}
	ret = copy_from_user(iov, arg_uaddr(a, 1), vlen * sizeof(*iov)) ? -EFAULT : 0;
	for (i = 0; !ret && i < vlen; i++) {
		if (iov[i].len > (uint64_t)INT64_MAX)
			ret = -EINVAL;
		else	/* the total is clamped to MAX_RW_COUNT, as Linux does */
			total += MIN(iov[i].len, (uint64_t)MAX_RW_COUNT - total);
	}
	if (!ret) {
		iobuf_init_iov(&b, iov, vlen, total);
		ret = do_io(t, arg_int(a, 0), &b, write, false, 0);
	}
	if (iov != fast)
		kfree(iov);
	return ret;
}

/* readv(2) */
long sys_readv(struct task *t, const struct syscall_args *a)
{
	return do_rwv(t, a, false);
}

/* writev(2) */
long sys_writev(struct task *t, const struct syscall_args *a)
{
	return do_rwv(t, a, true);
}

/* lseek(2) */
long sys_lseek(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	long ret;

	if (!f)
		return -EBADF;
	if (f->ops->llseek)
		ret = f->ops->llseek(f, arg_long(a, 1), arg_int(a, 2));
	else
		ret = -ESPIPE;
	file_put(f);
	return ret;
}

// SPDX-License-Identifier: Apache-2.0
/* sys_mmap.c: brk, mmap, munmap, mprotect and madvise: argument unpacking over mm_*. */
/* First: sentry/types.h defines __unused, a field name in struct linux_stat. */
#include "abi/linux/stat.h"

#include "sentry/err.h"
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

/*
 * fd_get() and file_readable() are fs/'s (vfs_internal.h). Until vfs.h
 * exports an fd lookup for the rest of the core, this is the one place
 * outside fs/ that reaches into it.
 */
#include "../../fs/vfs_internal.h"

/* brk(2): the new break, or the current one when it cannot move (never -errno). */
long sys_brk(struct task *t, const struct syscall_args *a)
{
	return (long)mm_brk(t->mm, arg_uaddr(a, 0));
}

/* The file behind @fd for a private mapping, with a reference, or ERR_PTR. */
static struct file *mmap_file(struct task *t, int fd)
{
	struct linux_stat st;
	struct file *f = fd_get(t->files, fd);
	int err;

	if (!f)
		return ERR_PTR(-EBADF);
	err = file_readable(f) ? vfs_fstat(f, &st) : -EACCES;
	if (!err && !S_ISREG(st.st_mode))
		err = -ENODEV;	/* pipes, ttys, directories: nothing to map */
	if (err) {
		file_put(f);
		return ERR_PTR(err);
	}
	return f;
}

/* mmap(2) */
long sys_mmap(struct task *t, const struct syscall_args *a)
{
	uaddr_t addr = arg_uaddr(a, 0);
	size_t len = arg_size(a, 1);
	unsigned int prot = arg_uint(a, 2);
	unsigned int flags = arg_uint(a, 3);
	int fd = arg_int(a, 4);
	loff_t off = (loff_t)arg_u64(a, 5);
	struct file *f = NULL;
	long ret;

	/* checks Linux makes before it looks at the fd */
	if (off & (loff_t)(PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = mmap_file(t, fd);
		if (IS_ERR(f))
			return PTR_ERR(f);
	}
	ret = mm_mmap(t->mm, addr, len, prot, flags, f, off);
	if (f)
		file_put(f);
	return ret;
}

/* munmap(2) */
long sys_munmap(struct task *t, const struct syscall_args *a)
{
	return mm_munmap(t->mm, arg_uaddr(a, 0), arg_size(a, 1));
}

/* mprotect(2) */
long sys_mprotect(struct task *t, const struct syscall_args *a)
{
	return mm_mprotect(t->mm, arg_uaddr(a, 0), arg_size(a, 1), arg_uint(a, 2));
}

/* madvise(2) */
long sys_madvise(struct task *t, const struct syscall_args *a)
{
	return mm_madvise(t->mm, arg_uaddr(a, 0), arg_size(a, 1), arg_int(a, 2));
}

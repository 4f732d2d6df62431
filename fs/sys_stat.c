// SPDX-License-Identifier: Apache-2.0
/* sys_stat.c: stat, lstat, fstat, newfstatat, statx. */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "vfs_internal.h"

#define AT_STATX_SYNC_TYPE	0x6000
#define STATX__RESERVED		0x80000000U

/* stat of @fd itself (AT_EMPTY_PATH; AT_FDCWD: the cwd). */
static int stat_fd(struct task *t, int fd, struct linux_stat *st)
{
	struct file *f;
	int err;

	if (fd == AT_FDCWD) {
		inode_stat(t->fs->cwd->inode, st);
		return 0;
	}
	f = fd_get(t->files, fd);
	if (!f)
		return -EBADF;
	err = vfs_fstat(f, st);
	file_put(f);
	return err;
}

static int stat_at(struct task *t, int dirfd, uaddr_t upath, int flags,
		   struct linux_stat *st)
{
	struct dentry *d;
	char *path;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (!upath && (flags & AT_EMPTY_PATH))	/* allowed since Linux 6.11 */
		return stat_fd(t, dirfd, st);
	err = getname(upath, &path);
	if (err)
		return err;
	if (!*path) {
		err = (flags & AT_EMPTY_PATH) ? stat_fd(t, dirfd, st) : -ENOENT;
	} else {
		err = vfs_walk_at(t, dirfd, path,
				  flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &d);
		if (!err)
			inode_stat(d->inode, st);
	}
	kfree(path);
	return err;
}

static long put_stat(uaddr_t ubuf, int err, const struct linux_stat *st)
{
	if (err)
		return err;
	return copy_to_user(ubuf, st, sizeof(*st)) ? -EFAULT : 0;
}

/* stat(2) */
long sys_stat(struct task *t, const struct syscall_args *a)
{
	struct linux_stat st;

	int err = stat_at(t, AT_FDCWD, arg_uaddr(a, 0), 0, &st);

	return put_stat(arg_uaddr(a, 1), err, &st);
}

/* lstat(2) */
long sys_lstat(struct task *t, const struct syscall_args *a)
{
	struct linux_stat st;
	int err = stat_at(t, AT_FDCWD, arg_uaddr(a, 0), AT_SYMLINK_NOFOLLOW, &st);

	return put_stat(arg_uaddr(a, 1), err, &st);
}

/* fstat(2) */
long sys_fstat(struct task *t, const struct syscall_args *a)
{
	int fd = arg_int(a, 0);
	struct linux_stat st;

	int err = fd == AT_FDCWD ? -EBADF : stat_fd(t, fd, &st);

	return put_stat(arg_uaddr(a, 1), err, &st);
}

/* newfstatat(2) */
long sys_newfstatat(struct task *t, const struct syscall_args *a)
{
	struct linux_stat st;
	int err = stat_at(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 3), &st);

	return put_stat(arg_uaddr(a, 2), err, &st);
}

/* dev_t halves, Linux's encoding (new_decode_dev) */
static uint32_t dev_major(uint64_t dev)
{
	return (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL));
}

static uint32_t dev_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffULL));
}

static void stat_to_statx(const struct linux_stat *st, struct linux_statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st->st_blksize;
	sx->stx_nlink = (uint32_t)st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = (uint16_t)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = (uint64_t)st->st_size;
	sx->stx_blocks = (uint64_t)st->st_blocks;
	sx->stx_atime.tv_sec = (int64_t)st->st_atime_sec;
	sx->stx_atime.tv_nsec = (uint32_t)st->st_atime_nsec;
	sx->stx_mtime.tv_sec = (int64_t)st->st_mtime_sec;
	sx->stx_mtime.tv_nsec = (uint32_t)st->st_mtime_nsec;
	sx->stx_ctime.tv_sec = (int64_t)st->st_ctime_sec;
	sx->stx_ctime.tv_nsec = (uint32_t)st->st_ctime_nsec;
	sx->stx_rdev_major = dev_major(st->st_rdev);
	sx->stx_rdev_minor = dev_minor(st->st_rdev);
	sx->stx_dev_major = dev_major(st->st_dev);
	sx->stx_dev_minor = dev_minor(st->st_dev);
}

/* statx(2): every basic field, from the same data as stat */
long sys_statx(struct task *t, const struct syscall_args *a)
{
	int flags = arg_int(a, 2);
	struct linux_statx sx;
	struct linux_stat st;
	int err;

	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (arg_uint(a, 3) & STATX__RESERVED))
		return -EINVAL;
	err = stat_at(t, arg_int(a, 0), arg_uaddr(a, 1), flags & ~AT_STATX_SYNC_TYPE,
		      &st);
	if (err)
		return err;
	stat_to_statx(&st, &sx);
	return copy_to_user(arg_uaddr(a, 4), &sx, sizeof(sx)) ? -EFAULT : 0;
}

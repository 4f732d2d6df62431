// SPDX-License-Identifier: Apache-2.0
/*
 * sys_attr.c: the syscalls that change a file's attributes or size or ask
 * about its filesystem: chmod, chown, truncate, utimensat, fsync, fadvise64,
 * statfs
 * (and their f* / *at forms), and the umask.
 */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"
#include "abi/linux/time.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define UTIME_NOW	((1L << 30) - 1L)
#define UTIME_OMIT	((1L << 30) - 2L)
#define TMPFS_MAGIC	0x01021994
#define PIPEFS_MAGIC	0x50495045
#define POSIX_FADV_NOREUSE 5	/* the last advice: NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED */

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

#define ST_RDONLY	1

unsigned int fs_umask(struct task *t, unsigned int mask)
{
	unsigned int old = t->fs->umask;

	t->fs->umask = mask & 0777;
	return old;
}

/*
 * The inode @path names (AT_EMPTY_PATH with ""; @path 0 with @null_is_fd:
 * @dirfd itself, as utimensat allows). Return: 0 with *@out or -errno.
 */
static int attr_target(struct task *t, int dirfd, uaddr_t upath, int flags,
		       bool null_is_fd, struct inode **out)
{
	struct dentry *d;
	struct file *f;
	char *path = NULL;
	int err = 0;

	if (upath || !null_is_fd) {
		err = getname(upath, &path);
		if (err)
			return err;
	}
	if (path && *path) {
		err = vfs_walk_at(t, dirfd, path,
				  flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &d);
		kfree(path);
		if (!err)
			*out = d->inode;
		return err;
	}
	kfree(path);
	if (path && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (dirfd == AT_FDCWD) {
		*out = t->fs->cwd->inode;
		return 0;
	}
	f = fd_get(t->files, dirfd);
	if (!f)
		return -EBADF;
	*out = f->inode;
	file_put(f);
	return *out ? 0 : -EBADF;	/* stdio and pipes: not changed here */
}

static int may_setattr(struct task *t, struct inode *inode)
{
	if (inode_is_rofs(inode))
		return -EROFS;
	if (!is_tmpfs_inode(inode))
		return -EPERM;
	return 0;
}

static long do_chmod(struct task *t, struct inode *inode, unsigned int mode)
{
	int err = may_setattr(t, inode);

	if (err)
		return err;
	if (t->euid && t->euid != inode->uid)
		return -EPERM;
	if (t->euid && !S_ISDIR(inode->mode) && t->egid != inode->gid)
		mode &= ~S_ISGID;	/* as Linux: not in the group, no setgid */
	inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
	tmpfs_touch(inode, TMPFS_CTIME);
	return 0;
}

long sys_chmod(struct task *t, const struct syscall_args *a)
{
	struct inode *inode;
	int err = attr_target(t, AT_FDCWD, arg_uaddr(a, 0), 0, false, &inode);

	return err ? err : do_chmod(t, inode, arg_uint(a, 1));
}

long sys_fchmodat(struct task *t, const struct syscall_args *a)
{
	struct inode *inode;
	int err = attr_target(t, arg_int(a, 0), arg_uaddr(a, 1), 0, false, &inode);

	return err ? err : do_chmod(t, inode, arg_uint(a, 2));
}

long sys_fchmod(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	long err;

	if (!f)
		return -EBADF;
	err = f->inode ? do_chmod(t, f->inode, arg_uint(a, 1)) : -EPERM;
	file_put(f);
	return err;
}

static long do_chown(struct task *t, struct inode *inode, uint32_t uid, uint32_t gid)
{
	int err = may_setattr(t, inode);

	if (err)
		return err;
	/* only root gives files away; an owner may change the group to its own */
	if (t->euid && (uid != (uint32_t)-1 && uid != inode->uid))
		return -EPERM;
	if (t->euid && gid != (uint32_t)-1 &&
	    (t->euid != inode->uid || gid != t->egid) && gid != inode->gid)
		return -EPERM;
	if (uid != (uint32_t)-1)
		inode->uid = uid;
	if (gid != (uint32_t)-1)
		inode->gid = gid;
	if (!S_ISDIR(inode->mode))
		inode->mode &= ~(uint32_t)(S_ISUID | ((inode->mode & 010) ? S_ISGID : 0));
	tmpfs_touch(inode, TMPFS_CTIME);
	return 0;
}

static long chown_at(struct task *t, int dirfd, uaddr_t upath, int flags,
		     uint32_t uid, uint32_t gid)
{
	struct inode *inode;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = attr_target(t, dirfd, upath, flags, false, &inode);
	return err ? err : do_chown(t, inode, uid, gid);
}

long sys_chown(struct task *t, const struct syscall_args *a)
{
	return chown_at(t, AT_FDCWD, arg_uaddr(a, 0), 0, arg_uint(a, 1), arg_uint(a, 2));
}

long sys_lchown(struct task *t, const struct syscall_args *a)
{
	return chown_at(t, AT_FDCWD, arg_uaddr(a, 0), AT_SYMLINK_NOFOLLOW,
			arg_uint(a, 1), arg_uint(a, 2));
}

long sys_fchownat(struct task *t, const struct syscall_args *a)
{
	return chown_at(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 4),
			arg_uint(a, 2), arg_uint(a, 3));
}

long sys_fchown(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	long err;

	if (!f)
		return -EBADF;
	err = f->inode ? do_chown(t, f->inode, arg_uint(a, 1), arg_uint(a, 2)) : -EPERM;
	file_put(f);
	return err;
}

static long do_truncate(struct inode *inode, long len)
{
	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (inode_is_rofs(inode))
		return -EROFS;
	if (!is_tmpfs_inode(inode))
		return -EINVAL;
	return tmpfs_truncate(TMPFS_I(inode), (uint64_t)len);
}

long sys_truncate(struct task *t, const struct syscall_args *a)
{
	struct inode *inode;
	int err = attr_target(t, AT_FDCWD, arg_uaddr(a, 0), 0, false, &inode);

	if (!err && !S_ISDIR(inode->mode))
		err = inode_permission(inode, t->euid, t->egid, MAY_WRITE);
	return err ? err : do_truncate(inode, arg_long(a, 1));
}

long sys_ftruncate(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	long err;

	if (!f)
		return -EBADF;
	if (!f->inode || !file_writable(f))
		err = -EINVAL;
	else
		err = do_truncate(f->inode, arg_long(a, 1));
	file_put(f);
	return err;
}

/* One timestamp from @ts (UTIME_NOW: now; UTIME_OMIT: unchanged). */
static int set_time(const struct linux_timespec *ts, int64_t *sec, uint32_t *nsec)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return 0;
	if (ts->tv_nsec == UTIME_NOW) {
		vfs_now(sec, nsec);
		return 0;
	}
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	*sec = ts->tv_sec;
	*nsec = (uint32_t)ts->tv_nsec;
	return 0;
}

long sys_utimensat(struct task *t, const struct syscall_args *a)
{
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	uaddr_t utimes = arg_uaddr(a, 2);
	int flags = arg_int(a, 3), err;
	bool explicit = false;
	struct inode *inode;
	int64_t asec, msec;
	uint32_t ans, mns;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes && copy_from_user(ts, utimes, sizeof(ts)))
		return -EFAULT;
	err = attr_target(t, arg_int(a, 0), arg_uaddr(a, 1), flags, true, &inode);
	if (err)
		return err;
	asec = inode->atime, ans = inode->atime_nsec;
	msec = inode->mtime, mns = inode->mtime_nsec;
	if (set_time(&ts[0], &asec, &ans) || set_time(&ts[1], &msec, &mns))
		return -EINVAL;
	if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	err = may_setattr(t, inode);
	if (err)
		return err;
	explicit = (ts[0].tv_nsec != UTIME_NOW && ts[0].tv_nsec != UTIME_OMIT) ||
		   (ts[1].tv_nsec != UTIME_NOW && ts[1].tv_nsec != UTIME_OMIT);
	/* times of one's choosing: the owner; "now": anyone who may write */
	if (t->euid && t->euid != inode->uid &&
	    (explicit || inode_permission(inode, t->euid, t->egid, MAY_WRITE)))
		return explicit ? -EPERM : -EACCES;
	inode->atime = asec;
	inode->atime_nsec = ans;
	inode->mtime = msec;
	inode->mtime_nsec = mns;
	tmpfs_touch(inode, TMPFS_CTIME);
	return 0;
}

/* Everything is in memory: syncing is checking the fd. */
static long sync_fd(struct task *t, int fd)
{
	struct file *f = fd_get_io(t->files, fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

long sys_fsync(struct task *t, const struct syscall_args *a)
{
	return sync_fd(t, arg_int(a, 0));
}

long sys_fdatasync(struct task *t, const struct syscall_args *a)
{
	return sync_fd(t, arg_int(a, 0));
}

long sys_syncfs(struct task *t, const struct syscall_args *a)
{
	return sync_fd(t, arg_int(a, 0));
}

long sys_sync(struct task *t, const struct syscall_args *a)
{
	return 0;
}

/* fadvise64(2): advice about caching, which has nothing to act on here. */
long sys_fadvise64(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	bool fifo;

	if (!f)
		return -EBADF;
	fifo = file_is_pipe(f) || (f->inode && S_ISFIFO(f->inode->mode));
	file_put(f);
	if (fifo)
		return -ESPIPE;
	if (arg_long(a, 2) < 0 || arg_uint(a, 3) > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

/* statfs of @inode's filesystem; NULL: a file outside the tree (stdio, pipes). */
static long put_statfs(struct inode *inode, uaddr_t ubuf)
{
	const uint64_t total = 1ULL << 20;	/* 4 GiB of 4 KiB blocks, nominally */
	struct linux_statfs sf;
	uint64_t used = 0;

	memset(&sf, 0, sizeof(sf));
	if (inode && is_tmpfs_inode(inode))
		used = ((struct tmpfs *)inode->sb)->bytes / VFS_BLKSIZE;
	sf.f_type = inode ? TMPFS_MAGIC : PIPEFS_MAGIC;
	sf.f_bsize = sf.f_frsize = VFS_BLKSIZE;
	sf.f_blocks = total;
	sf.f_bfree = sf.f_bavail = used < total ? total - used : 0;
	sf.f_files = sf.f_ffree = 1 << 20;
	sf.f_fsid[0] = inode ? (int32_t)inode->dev : 0;
	sf.f_namelen = LINUX_NAME_MAX;
	sf.f_flags = inode && (inode->flags & I_RDONLY) ? ST_RDONLY : 0;
	return copy_to_user(ubuf, &sf, sizeof(sf)) ? -EFAULT : 0;
}

long sys_statfs(struct task *t, const struct syscall_args *a)
{
	struct inode *inode;
	int err = attr_target(t, AT_FDCWD, arg_uaddr(a, 0), 0, false, &inode);

	return err ? err : put_statfs(inode, arg_uaddr(a, 1));
}

long sys_fstatfs(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get(t->files, arg_int(a, 0));
	long err;

	if (!f)
		return -EBADF;
	err = put_statfs(f->inode, arg_uaddr(a, 1));	/* no inode: stdio, pipes */
	file_put(f);
	return err;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * sys_file.c: open, close, ioctl, fcntl, dup*, getdents64, readlink*,
 * access*, getcwd, chdir, fchdir.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/misc.h"
#include "abi/linux/stat.h"

#include "vfs_internal.h"

#define FIONCLEX	0x5450
/* the largest linux_dirent64 record: a 255-byte name */
#define DIRENT_MAX	ALIGN_UP(offsetof(struct linux_dirent64, d_name) + LINUX_NAME_MAX + 1, 8)

static long do_open(struct task *t, int dirfd, uaddr_t upath, int flags,
		    unsigned int mode)
{
	struct file *f;
	char *path;
	int err, fd;

	err = getname(upath, &path);
	if (err)
		return err;
	f = vfs_open(t, dirfd, path, flags, mode);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install(t->files, 0, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* open(2) */
long sys_open(struct task *t, const struct syscall_args *a)
{
	return do_open(t, AT_FDCWD, arg_uaddr(a, 0), arg_int(a, 1), arg_uint(a, 2));
}

/* creat(2): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode) */
long sys_creat(struct task *t, const struct syscall_args *a)
{
	return do_open(t, AT_FDCWD, arg_uaddr(a, 0), O_CREAT | O_WRONLY | O_TRUNC, arg_uint(a, 1));
}

/* openat(2) */
long sys_openat(struct task *t, const struct syscall_args *a)
{
	return do_open(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2), arg_uint(a, 3));
}

/* close(2) */
long sys_close(struct task *t, const struct syscall_args *a)
{
	return fd_close(t->files, arg_int(a, 0));
}

/* ioctl(2): the fd-level requests here, the rest to the file. */
long sys_ioctl(struct task *t, const struct syscall_args *a)
{
	int fd = arg_int(a, 0), on;
	unsigned int cmd = arg_uint(a, 1);
	uaddr_t arg = arg_uaddr(a, 2);
	struct file *f = fd_get_io(t->files, fd);
	long ret;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		ret = fd_set_cloexec(t->files, fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		ret = copy_from_user(&on, arg, sizeof(on)) ? -EFAULT : 0;
		if (!ret)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		break;
	default:
		ret = f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
		break;
	}
	file_put(f);
	return ret;
}

static long do_fcntl(struct task *t, int fd, struct file *f, unsigned int cmd,
		     uint64_t arg)
{
	const unsigned int setfl = O_APPEND | O_NONBLOCK;
	int ret;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= t->files->max)
			return -EINVAL;
		ret = fd_install(t->files, (int)arg, file_get(f),
				 cmd == F_DUPFD_CLOEXEC);
		if (ret < 0)
			file_put(f);
		return ret;
	case F_GETFD:
		ret = fd_get_cloexec(t->files, fd);
		return ret > 0 ? FD_CLOEXEC : ret;
	case F_SETFD:
		return fd_set_cloexec(t->files, fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		if (f->flags & O_PATH)
			return -EBADF;
		f->flags = (f->flags & ~setfl) | ((unsigned int)arg & setfl);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return lock_fcntl(t, f, cmd, (uaddr_t)arg);
	default:
		return -EINVAL;
	}
}

/* fcntl(2) */
long sys_fcntl(struct task *t, const struct syscall_args *a)
{
	int fd = arg_int(a, 0);
	struct file *f = fd_get(t->files, fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = do_fcntl(t, fd, f, arg_uint(a, 1), arg_u64(a, 2));
	file_put(f);
	return ret;
}

/* dup(2) */
long sys_dup(struct task *t, const struct syscall_args *a)
{
	struct file *f = fd_get(t->files, arg_int(a, 0));
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(t->files, 0, f, false);
	if (fd < 0)
		file_put(f);
	return fd;
}

static long do_dup3(struct task *t, int oldfd, int newfd, int flags)
{
	struct file *f = fd_get(t->files, oldfd);
	long ret;

	if (!f)
		return -EBADF;
	if (oldfd == newfd)
		ret = newfd;
	else
		ret = fd_install_at(t->files, newfd, f, flags & O_CLOEXEC);
	file_put(f);
	return ret;
}

/* dup2(2) */
long sys_dup2(struct task *t, const struct syscall_args *a)
{
	return do_dup3(t, arg_int(a, 0), arg_int(a, 1), 0);
}

/* dup3(2) */
long sys_dup3(struct task *t, const struct syscall_args *a)
{
	int flags = arg_int(a, 2);

	if ((flags & ~O_CLOEXEC) || arg_int(a, 0) == arg_int(a, 1))
		return -EINVAL;
	return do_dup3(t, arg_int(a, 0), arg_int(a, 1), flags);
}

struct getdents_buf {
	struct dir_context ctx;
	uaddr_t buf;
	size_t size, used;
	int err;
};

/* One struct linux_dirent64, 8-byte aligned, straight into app memory. */
static bool filldir64(struct dir_context *ctx, const char *name, size_t len,
		      uint64_t ino, unsigned int dtype)
{
	struct getdents_buf *g = container_of(ctx, struct getdents_buf, ctx);
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	uint64_t rec[DIRENT_MAX / 8];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	if (reclen > sizeof(rec) || reclen > g->size - g->used) {
		if (!g->used)
			g->err = -EINVAL;
		return false;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = ctx->pos + 1;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)dtype;
	memcpy(d->d_name, name, len);
	if (copy_to_user(g->buf + g->used, rec, reclen)) {
		g->err = -EFAULT;
		return false;
	}
	g->used += reclen;
	return true;
}

/* getdents64(2): positions are the file's, so a directory reads on where it stopped. */
long sys_getdents64(struct task *t, const struct syscall_args *a)
{
	struct getdents_buf g = {
		.ctx.emit = filldir64,
		.buf = arg_uaddr(a, 1),
		.size = arg_uint(a, 2),
	};
	struct file *f = fd_get_io(t->files, arg_int(a, 0));
	int err;

	if (!f)
		return -EBADF;
	g.ctx.pos = f->pos;
	err = file_iterate(f, &g.ctx);
	f->pos = g.ctx.pos;
	file_put(f);
	if (g.used)
		return (long)g.used;
	return err ? err : g.err;
}

/*
 * The dentry of @dirfd itself (AT_EMPTY_PATH; AT_FDCWD: the cwd). Return: 0
 * with *@out (NULL for a file outside the tree, such as stdio), or -EBADF.
 */
static int fd_dentry(struct task *t, int dirfd, struct dentry **out)
{
	struct file *f;

	if (dirfd == AT_FDCWD) {
		*out = t->fs->cwd;
		return 0;
	}
	f = fd_get(t->files, dirfd);
	if (!f)
		return -EBADF;
	*out = f->dentry;
	file_put(f);
	return 0;
}

static long do_readlink(struct task *t, int dirfd, uaddr_t upath, uaddr_t ubuf,
			int bufsiz)
{
	struct dentry *d = NULL;
	const char *target;
	bool empty;
	size_t len;
	char *path;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = getname(upath, &path);
	if (err)
		return err;
	empty = !*path;
	if (!empty)
		err = vfs_walk_at(t, dirfd, path, 0, &d);
	else	/* an empty path names @dirfd itself (an O_PATH|O_NOFOLLOW symlink) */
		err = fd_dentry(t, dirfd, &d);
	kfree(path);
	if (err)
		return err;
	if (!d || !S_ISLNK(d->inode->mode))
		return empty ? -ENOENT : -EINVAL;
	target = d->inode->iops->get_link(d->inode, &len);
	len = MIN(len, (size_t)bufsiz);
	return copy_to_user(ubuf, target, len) ? -EFAULT : (long)len;
}

/* readlink(2) */
long sys_readlink(struct task *t, const struct syscall_args *a)
{
	return do_readlink(t, AT_FDCWD, arg_uaddr(a, 0), arg_uaddr(a, 1), arg_int(a, 2));
}

/* readlinkat(2) */
long sys_readlinkat(struct task *t, const struct syscall_args *a)
{
	return do_readlink(t, arg_int(a, 0), arg_uaddr(a, 1), arg_uaddr(a, 2),
			   arg_int(a, 3));
}

/* access(2) family: the real ids unless AT_EACCESS; W_OK on the image is -EROFS. */
static long do_faccessat(struct task *t, int dirfd, uaddr_t upath, int mode, int flags)
{
	bool eff = flags & AT_EACCESS;
	uint32_t uid = eff ? t->euid : t->uid, gid = eff ? t->egid : t->gid;
	struct nameidata nd;
	struct dentry *d;
	char *path;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = getname(upath, &path);
	if (err)
		return err;
	if (!*path) {
		err = (flags & AT_EMPTY_PATH) ? fd_dentry(t, dirfd, &d) : -ENOENT;
	} else {
		err = nd_init(t, dirfd, path, &nd);
		nd.uid = uid;
		nd.gid = gid;
		if (!err)
			err = path_walk(&nd, path,
					flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &d);
	}
	kfree(path);
	if (err || mode == F_OK || !d)
		return err;
	if ((mode & W_OK) && inode_is_rofs(d->inode))
		return -EROFS;
	return inode_permission(d->inode, uid, gid, mode);
}

/* access(2) */
long sys_access(struct task *t, const struct syscall_args *a)
{
	return do_faccessat(t, AT_FDCWD, arg_uaddr(a, 0), arg_int(a, 1), 0);
}

/* faccessat(2): no flags argument in the raw syscall */
long sys_faccessat(struct task *t, const struct syscall_args *a)
{
	return do_faccessat(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2), 0);
}

/* faccessat2(2) */
long sys_faccessat2(struct task *t, const struct syscall_args *a)
{
	return do_faccessat(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			    arg_int(a, 3));
}

/* getcwd(2): the length with the NUL. */
long sys_getcwd(struct task *t, const struct syscall_args *a)
{
	uaddr_t ubuf = arg_uaddr(a, 0);
	size_t size = arg_size(a, 1), len;
	char *buf = kmalloc(LINUX_PATH_MAX), *p;
	long ret;

	if (!buf)
		return -ENOMEM;
	p = dentry_path(t->fs->root, t->fs->cwd, buf, LINUX_PATH_MAX);
	len = p ? strlen(p) + 1 : 0;
	if (!p)
		ret = -ENAMETOOLONG;
	else if (len > size)
		ret = -ERANGE;
	else
		ret = copy_to_user(ubuf, p, len) ? -EFAULT : (long)len;
	kfree(buf);
	return ret;
}

static long set_cwd(struct task *t, struct dentry *d)
{
	int err;

	if (!d || !S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	err = inode_permission(d->inode, t->euid, t->egid, MAY_EXEC);
	if (!err)
		t->fs->cwd = d;
	return err;
}

/* chdir(2) */
long sys_chdir(struct task *t, const struct syscall_args *a)
{
	struct dentry *d;
	char *path;
	int err;

	err = getname(arg_uaddr(a, 0), &path);
	if (err)
		return err;
	err = vfs_walk_at(t, AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d);
	kfree(path);
	return err ? err : set_cwd(t, d);
}

/* fchdir(2) */
long sys_fchdir(struct task *t, const struct syscall_args *a)
{
	int fd = arg_int(a, 0);
	struct dentry *d;
	int err = fd == AT_FDCWD ? -EBADF : fd_dentry(t, fd, &d);

	return err ? err : set_cwd(t, d);
}

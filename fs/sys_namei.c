// SPDX-License-Identifier: Apache-2.0
/*
 * sys_namei.c: the syscalls that change names: mkdir, unlink, rmdir,
 * rename, link, symlink and their *at forms.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4

/* A path from the app and its parent directory and last name. */
struct parent {
	struct dentry *dir;
	struct tmpfs_dentry *child;	/* the last name's entry, or NULL */
	bool trailing;
	char last[LINUX_NAME_MAX + 1];
};

static int get_parent(struct task *t, int dirfd, uaddr_t upath, struct parent *p)
{
	char *path;
	int err = getname(upath, &path);

	if (err)
		return err;
	err = vfs_walk_parent(t, dirfd, path, &p->dir, p->last, &p->trailing);
	kfree(path);
	if (err)
		return err;
	p->child = NULL;
	if (is_tmpfs_inode(p->dir->inode))
		p->child = tmpfs_find(p->dir->inode->sb, p->dir->inode, p->last,
				      strlen(p->last));
	return 0;
}

/* The sticky bit: only the owner of the file or directory (or root) removes. */
static int sticky_check(struct task *t, struct dentry *dir, struct inode *victim)
{
	if (!(dir->inode->mode & S_ISVTX) || !t->euid || t->euid == victim->uid ||
	    t->euid == dir->inode->uid)
		return 0;
	return -EPERM;
}

static long do_mkdirat(struct task *t, int dirfd, uaddr_t upath, unsigned int mode)
{
	struct parent p;
	struct dentry *d;
	int err = get_parent(t, dirfd, upath, &p);

	if (err == -EINVAL || err == -EBUSY)
		return -EEXIST;
	if (err)
		return err;
	if (p.child)
		return -EEXIST;
	err = may_change_dir(t, p.dir);
	if (err)
		return err;
	d = vfs_create(t, p.dir, p.last, S_IFDIR | (mode & 07777), NULL);
	return IS_ERR(d) ? PTR_ERR(d) : 0;
}

long sys_mkdir(struct task *t, const struct syscall_args *a)
{
	return do_mkdirat(t, AT_FDCWD, arg_uaddr(a, 0), arg_uint(a, 1));
}

long sys_mkdirat(struct task *t, const struct syscall_args *a)
{
	return do_mkdirat(t, arg_int(a, 0), arg_uaddr(a, 1), arg_uint(a, 2));
}

static bool is_ancestor(struct dentry *a, struct dentry *d)
{
	for (;; d = d->parent) {
		if (d == a)
			return true;
		if (d->parent == d)
			return false;
	}
}

static int check_remove(struct task *t, struct parent *p, bool dir)
{
	struct inode *inode;
	int err;

	if (inode_is_rofs(p->dir->inode))
		return -EROFS;
	if (!p->child)
		return -ENOENT;
	inode = p->child->d.inode;
	if (dir && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (!dir && S_ISDIR(inode->mode))
		return -EISDIR;
	if (!dir && p->trailing)
		return -ENOTDIR;
	err = may_change_dir(t, p->dir);
	if (!err)
		err = sticky_check(t, p->dir, inode);
	if (!err && dir && TMPFS_I(inode)->dir.nentries)
		err = -ENOTEMPTY;
	if (!err && dir && (&p->child->d == t->fs->root))
		err = -EBUSY;
	return err;
}

static long do_unlinkat(struct task *t, int dirfd, uaddr_t upath, bool dir)
{
	struct parent p;
	int err = get_parent(t, dirfd, upath, &p);

	if (err == -EINVAL && dir)
		return -EINVAL;		/* rmdir(".") */
	if (err == -EINVAL)
		return -EISDIR;
	if (!err)
		err = check_remove(t, &p, dir);
	if (err)
		return err;
	tmpfs_remove(p.dir->inode->sb, p.child);
	return 0;
}

long sys_unlink(struct task *t, const struct syscall_args *a)
{
	return do_unlinkat(t, AT_FDCWD, arg_uaddr(a, 0), false);
}

long sys_rmdir(struct task *t, const struct syscall_args *a)
{
	return do_unlinkat(t, AT_FDCWD, arg_uaddr(a, 0), true);
}

long sys_unlinkat(struct task *t, const struct syscall_args *a)
{
	int flags = arg_int(a, 2);

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_unlinkat(t, arg_int(a, 0), arg_uaddr(a, 1), flags & AT_REMOVEDIR);
}

static long do_renameat2(struct task *t, int odfd, uaddr_t oldp, int ndfd,
			 uaddr_t newp, unsigned int flags)
{
	struct parent o, n;
	struct inode *src, *dst;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;		/* RENAME_EXCHANGE, RENAME_WHITEOUT: not yet */
	err = get_parent(t, odfd, oldp, &o);
	if (!err)
		err = get_parent(t, ndfd, newp, &n);
	if (err)
		return err == -EINVAL ? -EBUSY : err;
	if (!o.child)
		return -ENOENT;
	src = o.child->d.inode;
	if ((o.trailing || n.trailing) && !S_ISDIR(src->mode))
		return -ENOTDIR;
	if (o.dir->inode->sb != n.dir->inode->sb ||
	    (o.dir->inode->flags & I_RDONLY) != (n.dir->inode->flags & I_RDONLY))
		return -EXDEV;	/* a read-only root and /tmp are two "mounts" */
	err = may_change_dir(t, o.dir);
	if (!err)
		err = may_change_dir(t, n.dir);
	if (!err)
		err = sticky_check(t, o.dir, src);
	if (err)
		return err;
	if (n.child == o.child)
		return 0;	/* the same name: nothing to do */
	if (S_ISDIR(src->mode) && is_ancestor(&o.child->d, n.dir))
		return -EINVAL;	/* into its own subtree */
	if (n.child) {
		dst = n.child->d.inode;
		if (flags & RENAME_NOREPLACE)
			return -EEXIST;
		if (dst == src)
			return 0;	/* two links of one file: Linux does nothing */
		if (S_ISDIR(src->mode) && !S_ISDIR(dst->mode))
			return -ENOTDIR;
		if (!S_ISDIR(src->mode) && S_ISDIR(dst->mode))
			return -EISDIR;
		if (S_ISDIR(dst->mode) && TMPFS_I(dst)->dir.nentries)
			return -ENOTEMPTY;
		err = sticky_check(t, n.dir, dst);
		if (err)
			return err;
		tmpfs_remove(n.dir->inode->sb, n.child);
	}
	return tmpfs_move(o.dir->inode->sb, o.child, TMPFS_D(n.dir), n.last,
			  strlen(n.last));
}

long sys_rename(struct task *t, const struct syscall_args *a)
{
	return do_renameat2(t, AT_FDCWD, arg_uaddr(a, 0), AT_FDCWD, arg_uaddr(a, 1), 0);
}

long sys_renameat(struct task *t, const struct syscall_args *a)
{
	return do_renameat2(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			    arg_uaddr(a, 3), 0);
}

long sys_renameat2(struct task *t, const struct syscall_args *a)
{
	return do_renameat2(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			    arg_uaddr(a, 3), arg_uint(a, 4));
}

static long do_linkat(struct task *t, int odfd, uaddr_t oldp, int ndfd,
		      uaddr_t newp, int flags)
{
	struct inode *src;
	struct dentry *d;
	struct parent n;
	char *path;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = getname(oldp, &path);
	if (err)
		return err;
	err = vfs_walk_at(t, odfd, path, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0, &d);
	kfree(path);
	if (err)
		return err;
	src = d->inode;
	if (S_ISDIR(src->mode))
		return -EPERM;
	err = get_parent(t, ndfd, newp, &n);
	if (err)
		return err == -EINVAL ? -EEXIST : err;
	if (n.child)
		return -EEXIST;
	err = may_change_dir(t, n.dir);
	if (err)
		return err;
	if (!is_tmpfs_inode(src) || src->sb != n.dir->inode->sb ||
	    (src->flags & I_RDONLY) != (n.dir->inode->flags & I_RDONLY))
		return -EXDEV;	/* a read-only root and /tmp are two "mounts" */
	if (!src->nlink)
		return -ENOENT;
	if (!tmpfs_add(n.dir->inode->sb, TMPFS_D(n.dir), n.last, strlen(n.last),
		       TMPFS_I(src)))
		return -ENOMEM;
	tmpfs_touch(src, TMPFS_CTIME);
	return 0;
}

long sys_link(struct task *t, const struct syscall_args *a)
{
	return do_linkat(t, AT_FDCWD, arg_uaddr(a, 0), AT_FDCWD, arg_uaddr(a, 1), 0);
}

long sys_linkat(struct task *t, const struct syscall_args *a)
{
	return do_linkat(t, arg_int(a, 0), arg_uaddr(a, 1), arg_int(a, 2),
			 arg_uaddr(a, 3), arg_int(a, 4));
}

static long do_symlinkat(struct task *t, uaddr_t utarget, int ndfd, uaddr_t newp)
{
	struct dentry *d;
	struct parent n;
	char *target;
	int err;

	err = getname(utarget, &target);
	if (err)
		return err;
	err = get_parent(t, ndfd, newp, &n);
	if (err == -EINVAL || err == -EBUSY)
		err = -EEXIST;
	if (!err && n.child)
		err = -EEXIST;
	if (!err && !*target)
		err = -ENOENT;
	if (!err)
		err = may_change_dir(t, n.dir);
	if (!err) {
		d = vfs_create(t, n.dir, n.last, S_IFLNK | 0777, target);
		err = IS_ERR(d) ? (int)PTR_ERR(d) : 0;
	}
	kfree(target);
	return err;
}

long sys_symlink(struct task *t, const struct syscall_args *a)
{
	return do_symlinkat(t, arg_uaddr(a, 0), AT_FDCWD, arg_uaddr(a, 1));
}

long sys_symlinkat(struct task *t, const struct syscall_args *a)
{
	return do_symlinkat(t, arg_uaddr(a, 0), arg_int(a, 1), arg_uaddr(a, 2));
}

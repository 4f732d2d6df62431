// SPDX-License-Identifier: Apache-2.0
/*
 * namei_ops.c: what changes the tree needs from path resolution: the parent
 * directory and last name of a path, the checks for changing a directory,
 * and creating files, directories and symlinks (umask applied).
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/string.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

int vfs_walk_parent(struct task *t, int dirfd, const char *path,
		    struct dentry **dir, char *last, bool *trailing)
{
	size_t len = strlen(path), start, n;
	struct nameidata nd;
	char *prefix;
	int err;

	*dir = NULL;
	*trailing = false;
	if (!len)
		return -ENOENT;
	if (len >= LINUX_PATH_MAX)
		return -ENAMETOOLONG;
	while (len > 1 && path[len - 1] == '/') {
		len--;
		*trailing = true;
	}
	if (len == 1 && path[0] == '/')
		return -EBUSY;
	for (start = len; start && path[start - 1] != '/'; start--)
		;
	n = len - start;
	if (n > LINUX_NAME_MAX)
		return -ENAMETOOLONG;
	if ((n == 1 && path[start] == '.') ||
	    (n == 2 && path[start] == '.' && path[start + 1] == '.'))
		return -EINVAL;
	memcpy(last, path + start, n);
	last[n] = '\0';
	err = nd_init(t, dirfd, path, &nd);
	if (err)
		return err;
	if (!start) {
		*dir = nd.start;
		if (!S_ISDIR((*dir)->inode->mode))
			return -ENOTDIR;
		return inode_permission((*dir)->inode, nd.uid, nd.gid, MAY_EXEC);
	}
	prefix = kmalloc(start + 1);
	if (!prefix)
		return -ENOMEM;
	memcpy(prefix, path, start);
	prefix[start] = '\0';
	err = path_walk(&nd, prefix, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, dir);
	kfree(prefix);
	if (!err)
		err = inode_permission((*dir)->inode, nd.uid, nd.gid, MAY_EXEC);
	if (err)
		*dir = NULL;
	return err;
}

int may_change_dir(struct task *t, struct dentry *dir)
{
	struct inode *inode = dir->inode;

	if (inode_is_rofs(inode))
		return -EROFS;
	if (!is_tmpfs_inode(inode))
		return -EROFS;
	if (!inode->nlink)
		return -ENOENT;		/* removed while it was a cwd */
	return inode_permission(inode, t->euid, t->egid, MAY_WRITE | MAY_EXEC);
}

struct dentry *vfs_create(struct task *t, struct dentry *dir, const char *name,
			  uint32_t mode, const char *target)
{
	struct tmpfs *fs = dir->inode->sb;
	struct tmpfs_dentry *d;
	struct tmpfs_inode *ino;
	uint32_t gid = t->egid;

	if (!S_ISLNK(mode))
		mode = (mode & S_IFMT) | (mode & 07777 & ~t->fs->umask);
	if (dir->inode->mode & S_ISGID) {	/* BSD group semantics */
		gid = dir->inode->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	if (S_ISLNK(mode))
		ino = tmpfs_new_symlink(fs, target, strlen(target), t->euid, gid);
	else
		ino = tmpfs_new_inode(fs, mode, t->euid, gid);
	if (!ino)
		return ERR_PTR(-ENOMEM);
	d = tmpfs_add(fs, TMPFS_D(dir), name, strlen(name), ino);
	if (!d)
		return ERR_PTR(-ENOMEM);
	return &d->d;
}

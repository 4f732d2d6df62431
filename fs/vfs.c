// SPDX-License-Identifier: Apache-2.0
/*
 * vfs.c: the root filesystem, open(2) semantics, permissions, stat, and the
 * rest of the vfs.h contract.
 */
#define pr_fmt(fmt) "vfs: " fmt

#include "sentry/err.h"
#include "sentry/kconfig.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/string.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tarfs/tarfs.h"
#include "vfs_internal.h"

static struct tarfs *image_fs;

struct dentry *vfs_root(void)
{
	return image_fs ? &image_fs->root->d : NULL;
}

int vfs_init(const void *image, size_t len)
{
	struct tarfs *fs;
	int err;

	if (!IS_ENABLED(CONFIG_FS_TARFS))
		return -ENODEV;
	err = tarfs_index(image, len, &fs);
	if (err)
		return err;
	tarfs_free(image_fs);	/* a second vfs_init only happens in unit tests */
	image_fs = fs;
	pr_debug("image: %zu entries in %zu bytes", fs->nentries, len);
	return 0;
}

int inode_permission(const struct inode *inode, uint32_t uid, uint32_t gid,
		     int mask)
{
	uint32_t mode = inode->mode, bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (uid == 0) {
		/* root reads and writes anything; executing needs an x bit */
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (uid == inode->uid)
		bits = mode >> 6;
	else if (gid == inode->gid)
		bits = mode >> 3;
	else
		bits = mode;
	return (bits & mask) == (uint32_t)mask ? 0 : -EACCES;
}

bool inode_is_rofs(const struct inode *inode)
{
	return (inode->flags & I_RDONLY) &&
	       (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode));
}

/* Flags that act at open and are not kept (F_GETFL does not show them). */
#define OPEN_ONLY_FLAGS	(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)
/* What an O_PATH open keeps. */
#define O_PATH_FLAGS	(O_PATH | O_DIRECTORY | O_NOFOLLOW)

/* O_PATH files: fstat, fchdir, *at() and dup, nothing else. */
static const struct file_ops path_fops = { 0 };

struct file *dentry_open(struct task *t, struct dentry *d, int flags)
{
	struct inode *inode = d->inode;
	unsigned int acc = (unsigned int)flags & O_ACCMODE;
	bool write = acc != O_RDONLY || (flags & O_TRUNC);
	int mask = (acc != O_WRONLY ? MAY_READ : 0) | (write ? MAY_WRITE : 0);
	struct file *f;
	int err;

	if (flags & O_PATH) {
		f = file_alloc(&path_fops, (unsigned int)flags & O_PATH_FLAGS);
		goto bind;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return ERR_PTR(-EEXIST);
	if (S_ISLNK(inode->mode))
		return ERR_PTR(-ELOOP);		/* O_NOFOLLOW */
	if (S_ISDIR(inode->mode) && (write || (flags & O_CREAT)))
		return ERR_PTR(-EISDIR);
	if (write && inode_is_rofs(inode))
		return ERR_PTR(-EROFS);
	err = inode_permission(inode, t->euid, t->egid, mask);
	if (err)
		return ERR_PTR(err);
	if (!inode->fops)
		return ERR_PTR(-ENXIO);		/* device nodes of the image */
	f = file_alloc(inode->fops, ((unsigned int)flags & ~OPEN_ONLY_FLAGS) | O_LARGEFILE);
bind:
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->dentry = d;
	f->inode = inode;
	if (!(flags & O_PATH) && inode->iops->open) {
		err = inode->iops->open(inode, f);
		if (err) {
			file_put(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

struct file *vfs_open(struct task *t, int dirfd, const char *path, int flags,
		      unsigned int mode)
{
	unsigned int lookup = 0;
	struct dentry *d;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS | O_CLOEXEC;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	if (!(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	if (flags & O_CREAT)
		lookup |= LOOKUP_CREATE;
	err = vfs_walk_at(t, dirfd, path, lookup, &d);
	if (err == -ENOENT && d)
		return ERR_PTR(-EROFS);		/* a new file in the read-only image */
	if (err)
		return ERR_PTR(err);
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return ERR_PTR(-EROFS);
	return dentry_open(t, d, flags);
}

void inode_stat(const struct inode *inode, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->dev;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (int64_t)inode->size;
	st->st_blksize = VFS_BLKSIZE;
	st->st_blocks = (int64_t)((inode->size + 511) / 512);
	st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = (uint64_t)inode->mtime;
	st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = inode->mtime_nsec;
}

int vfs_fstat(struct file *f, struct linux_stat *st)
{
	if (f->ops && f->ops->fstat)
		return f->ops->fstat(f, st);
	if (!f->inode)
		return -EBADF;
	inode_stat(f->inode, st);
	return 0;
}

bool vfs_is_executable(struct file *f)
{
	return f->inode && S_ISREG(f->inode->mode) && (f->inode->mode & 0111);
}

char *vfs_file_path(struct file *f)
{
	char *buf, *p;

	if (!f->dentry || !vfs_root())
		return NULL;
	buf = kmalloc(LINUX_PATH_MAX);
	if (!buf)
		return NULL;
	p = dentry_path(vfs_root(), f->dentry, buf, LINUX_PATH_MAX);
	if (!p) {
		kfree(buf);
		return NULL;
	}
	memmove(buf, p, strlen(p) + 1);
	return buf;
}

int fs_context_create(const char *cwd, struct fs_context **out)
{
	struct nameidata nd = { .root = vfs_root(), .start = vfs_root() };
	struct fs_context *fs;
	struct dentry *d;
	int err;

	if (!nd.root)
		return -ENOENT;
	err = path_walk(&nd, cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d);
	if (err)
		return err;
	fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->refcount = 1;
	fs->root = nd.root;
	fs->cwd = d;
	*out = fs;
	return 0;
}

void fs_context_put(struct fs_context *fs)
{
	if (fs && --fs->refcount == 0)
		kfree(fs);
}

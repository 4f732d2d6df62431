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
#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define ANON_DEV	44	/* st_dev of memfds: makedev(0, 44) */

static struct tmpfs *root_fs, *anon_fs;
static bool root_writable;

struct dentry *vfs_root(void)
{
	return root_fs ? &root_fs->root->d : NULL;
}

struct tmpfs *vfs_anon_fs(void)
{
	return anon_fs;
}

void vfs_set_root_writable(bool on)
{
	root_writable = on;
}

int vfs_init(const void *image, size_t len)
{
	struct tmpfs *root, *anon;
	struct tarfs *img;
	int err;

	if (!IS_ENABLED(CONFIG_FS_TARFS))
		return -ENODEV;
	err = tarfs_index(image, len, &img);
	if (err)
		return err;
	pr_debug("image: %zu entries in %zu bytes", img->nentries, len);
	err = rootfs_build(img, root_writable, &root);
	tarfs_free(img);	/* the tree keeps pointers into the image, not the index */
	if (err)
		return err;
	anon = tmpfs_create(ANON_DEV, 0700);
	if (!anon) {
		tmpfs_free(root);
		return -ENOMEM;
	}
	/* a second vfs_init only happens in unit tests */
	tmpfs_free(root_fs);
	tmpfs_free(anon_fs);
	root_fs = root;
	anon_fs = anon;
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

static struct file *do_dentry_open(struct task *t, struct dentry *d, int flags,
				   bool created);

struct file *dentry_open(struct task *t, struct dentry *d, int flags)
{
	return do_dentry_open(t, d, flags, false);
}

static struct file *dentry_open_new(struct task *t, struct dentry *d, int flags)
{
	return do_dentry_open(t, d, flags & ~(O_EXCL | O_TRUNC), true);
}

static struct file *do_dentry_open(struct task *t, struct dentry *d, int flags,
				   bool created)
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
	err = created ? 0 : inode_permission(inode, t->euid, t->egid, mask);
	if (err)
		return ERR_PTR(err);
	if (!inode->fops)
		return ERR_PTR(-ENXIO);		/* device nodes of the image */
	if ((flags & O_TRUNC) && S_ISREG(inode->mode) && is_tmpfs_inode(inode)) {
		err = tmpfs_truncate(TMPFS_I(inode), 0);
		if (err)
			return ERR_PTR(err);
	}
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
	char last[LINUX_NAME_MAX + 1];
	unsigned int lookup = 0;
	struct nameidata nd;
	struct dentry *d;
	size_t plen;
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
	if (!*path)
		return ERR_PTR(-ENOENT);
	err = nd_init(t, dirfd, path, &nd);
	if (err)
		return ERR_PTR(err);
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return ERR_PTR(-EOPNOTSUPP);
	err = path_walk_create(&nd, path, lookup & ~LOOKUP_CREATE, &d, last);
	if (err == -ENOENT && d && (flags & O_CREAT)) {
		plen = strlen(path);
		if (path[plen - 1] == '/')
			return ERR_PTR(-EISDIR);
		err = may_change_dir(t, d);
		if (err)
			return ERR_PTR(err);
		d = vfs_create(t, d, last, S_IFREG | (mode & 07777), NULL);
		if (IS_ERR(d))
			return ERR_PTR(PTR_ERR(d));
		/* a new file opens with the access asked, whatever its mode says */
		return dentry_open_new(t, d, flags);
	}
	if (err)
		return ERR_PTR(err);
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
	st->st_atime_sec = (uint64_t)inode->atime;
	st->st_atime_nsec = inode->atime_nsec;
	st->st_mtime_sec = (uint64_t)inode->mtime;
	st->st_mtime_nsec = inode->mtime_nsec;
	st->st_ctime_sec = (uint64_t)inode->ctime;
	st->st_ctime_nsec = inode->ctime_nsec;
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
	fs->umask = 022;
	*out = fs;
	return 0;
}

int fs_context_clone(struct fs_context *fs, bool share, struct fs_context **out)
{
	struct fs_context *c;

	if (share) {
		fs->refcount++;
		*out = fs;
		return 0;
	}
	c = kmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = *fs;	/* dentries live as long as the filesystem: no references */
	c->refcount = 1;
	*out = c;
	return 0;
}

void fs_context_put(struct fs_context *fs)
{
	if (fs && --fs->refcount == 0)
		kfree(fs);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * namei.c: path resolution. One loop walks the components; a symlink
 * replaces the rest of the walk by its target followed by what was left, so
 * links nest without recursion. Everything stays inside the walk's root: an
 * absolute path or target starts there and ".." there stays there, as under
 * chroot(2); that is what confines the image's absolute symlinks.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "vfs_internal.h"

int getname(uaddr_t upath, char **out)
{
	char *p = kmalloc(LINUX_PATH_MAX);
	long n;

	if (!p)
		return -ENOMEM;
	n = strncpy_from_user(p, upath, LINUX_PATH_MAX);
	if (n < 0) {
		kfree(p);
		return (int)n;
	}
	*out = p;
	return 0;
}

/*
 * Make the rest of the walk symlink @link's target, then "/" and @rest (or
 * a lone "/" when the link was named with a trailing slash). The new path
 * goes into *@buf (PATH_MAX bytes, allocated on first use; @rest may
 * already point into it) and *@p points at it.
 */
static int follow_link(struct inode *link, const char *rest, bool trailing,
		       unsigned int *links, char **buf, const char **p)
{
	size_t tlen, rlen = strlen(rest);
	const char *target;

	if (++*links > MAXSYMLINKS)
		return -ELOOP;
	target = link->iops->get_link(link, &tlen);
	if (!tlen)
		return -ENOENT;
	if (tlen + 1 + rlen + 1 > LINUX_PATH_MAX)
		return -ENAMETOOLONG;
	if (!*buf) {
		*buf = kmalloc(LINUX_PATH_MAX);
		if (!*buf)
			return -ENOMEM;
	}
	memmove(*buf + tlen + 1, rest, rlen + 1);
	memcpy(*buf, target, tlen);
	(*buf)[tlen] = (rlen || trailing) ? '/' : '\0';
	*p = *buf;
	return 0;
}

static int walk(const struct nameidata *nd, const char *path, unsigned int flags,
		struct dentry **out, char *lastname)
{
	struct dentry *cur, *d;
	const char *p = path;
	unsigned int links = 0;
	bool trailing = false;
	char *buf = NULL;
	int err = 0;

	*out = NULL;
	if (!*p)
		return -ENOENT;
	if (strnlen(path, LINUX_PATH_MAX) >= LINUX_PATH_MAX)
		return -ENAMETOOLONG;
	cur = *p == '/' ? nd->root : nd->start;
	for (;;) {
		const char *name, *rest;
		size_t len;
		bool last;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (name = p; *p && *p != '/'; p++)
			;
		len = (size_t)(p - name);
		for (rest = p; *rest == '/'; rest++)
			;
		last = !*rest;
		trailing = last && rest != p;
		if (len > LINUX_NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(cur->inode->mode)) {
			err = -ENOTDIR;
			break;
		}
		err = inode_permission(cur->inode, nd->uid, nd->gid, MAY_EXEC);
		if (err)
			break;
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (cur != nd->root)
				cur = cur->parent;
			continue;
		}
		d = cur->inode->iops->lookup(cur, name, len);
		if (IS_ERR_OR_NULL(d)) {
			err = d ? (int)PTR_ERR(d) : -ENOENT;
			if (!d && last && (flags & LOOKUP_CREATE)) {
				*out = cur;
				if (lastname) {
					memcpy(lastname, name, len);
					lastname[len] = '\0';
				}
			}
			break;
		}
		if (S_ISLNK(d->inode->mode) &&
		    (!last || trailing || (flags & LOOKUP_FOLLOW))) {
			err = follow_link(d->inode, rest, trailing, &links, &buf, &p);
			if (err)
				break;
			if (*p == '/')
				cur = nd->root;
			continue;	/* a relative target starts in cur */
		}
		cur = d;
	}
	kfree(buf);
	if (err)
		return err;
	if ((trailing || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->inode->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int path_walk(const struct nameidata *nd, const char *path, unsigned int flags,
	      struct dentry **out)
{
	return walk(nd, path, flags, out, NULL);
}

int path_walk_create(const struct nameidata *nd, const char *path,
		     unsigned int flags, struct dentry **out, char *last)
{
	return walk(nd, path, flags | LOOKUP_CREATE, out, last);
}

int nd_init(struct task *t, int dirfd, const char *path, struct nameidata *nd)
{
	struct file *f;
	int err = 0;

	nd->root = t->fs->root;
	nd->start = t->fs->cwd;
	nd->uid = t->euid;
	nd->gid = t->egid;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	f = fd_get(t->files, dirfd);
	if (!f)
		return -EBADF;
	if (!f->dentry || !S_ISDIR(f->dentry->inode->mode))
		err = -ENOTDIR;
	else
		nd->start = f->dentry;	/* dentries outlive files */
	file_put(f);
	return err;
}

int vfs_walk_at(struct task *t, int dirfd, const char *path, unsigned int flags,
		struct dentry **out)
{
	struct nameidata nd;
	int err;

	*out = NULL;
	if (!*path)
		return -ENOENT;
	err = nd_init(t, dirfd, path, &nd);
	if (err)
		return err;
	return path_walk(&nd, path, flags, out);
}

char *dentry_path(struct dentry *root, struct dentry *d, char *buf, size_t size)
{
	char *p = buf + size;

	if (size < 2)
		return NULL;
	*--p = '\0';
	if (d == root || d->parent == d) {
		*--p = '/';
		return p;
	}
	for (; d != root && d->parent != d; d = d->parent) {
		if ((size_t)(p - buf) < d->namelen + 1)
			return NULL;
		p -= d->namelen;
		memcpy(p, d->name, d->namelen);
		*--p = '/';
	}
	return p;
}

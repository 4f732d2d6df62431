// SPDX-License-Identifier: Apache-2.0
/*
 * node.c: tmpfs inodes and names: the (directory, name) hash, directory
 * lists in creation order, the graveyard of unlinked names, symlinks, times.
 */
#include "sentry/kmalloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"
#include "abi/linux/time.h"

#include "tmpfs.h"

#define HASH_MIN	256

void vfs_now(int64_t *sec, uint32_t *nsec)
{
	int64_t ns = 0;

	if (plat_clock_ns(CLOCK_REALTIME, &ns) || ns < 0)
		ns = 0;
	*sec = ns / 1000000000;
	*nsec = (uint32_t)(ns % 1000000000);
}

void tmpfs_touch(struct inode *inode, unsigned int which)
{
	int64_t sec;
	uint32_t nsec;

	vfs_now(&sec, &nsec);
	if (which & TMPFS_ATIME) {
		inode->atime = sec;
		inode->atime_nsec = nsec;
	}
	if (which & TMPFS_MTIME) {
		inode->mtime = sec;
		inode->mtime_nsec = nsec;
	}
	if (which & TMPFS_CTIME) {
		inode->ctime = sec;
		inode->ctime_nsec = nsec;
	}
}

static struct tmpfs_dentry **bucket(struct tmpfs *fs, const struct inode *dir,
				    const char *name, size_t len)
{
	return &fs->hash[vfs_name_hash(dir, name, len) & (fs->hash_size - 1)];
}

static void hash_grow(struct tmpfs *fs)
{
	size_t i, size = fs->hash_size * 2;
	struct tmpfs_dentry **h = kzalloc(size * sizeof(*h));

	if (!h)
		return;		/* longer chains, still correct */
	for (i = 0; i < fs->hash_size; i++) {
		struct tmpfs_dentry *d, *next;

		for (d = fs->hash[i]; d; d = next) {
			size_t b = vfs_name_hash(d->d.parent->inode, d->d.name, d->d.namelen);

			next = d->hnext;
			d->hnext = h[b & (size - 1)];
			h[b & (size - 1)] = d;
		}
	}
	kfree(fs->hash);
	fs->hash = h;
	fs->hash_size = size;
}

static void hash_unlink(struct tmpfs *fs, struct tmpfs_dentry *d)
{
	struct tmpfs_dentry **p = bucket(fs, d->d.parent->inode, d->d.name, d->d.namelen);

	for (; *p; p = &(*p)->hnext) {
		if (*p == d) {
			*p = d->hnext;
			d->hnext = NULL;
			fs->nnames--;
			return;
		}
	}
}

static void hash_link(struct tmpfs *fs, struct tmpfs_dentry *d)
{
	struct tmpfs_dentry **b;

	if (fs->nnames >= fs->hash_size)
		hash_grow(fs);
	b = bucket(fs, d->d.parent->inode, d->d.name, d->d.namelen);
	d->hnext = *b;
	*b = d;
	fs->nnames++;
}

struct tmpfs_dentry *tmpfs_find(struct tmpfs *fs, struct inode *dir, const char *name,
				size_t len)
{
	struct tmpfs_dentry *d = *bucket(fs, dir, name, len);

	for (; d; d = d->hnext)
		if (d->d.parent->inode == dir && d->d.namelen == len &&
		    !memcmp(d->d.name, name, len))
			return d;
	return NULL;
}

bool is_tmpfs_inode(const struct inode *inode)
{
	return inode->iops == &tmpfs_dir_iops || inode->iops == &tmpfs_file_iops ||
	       inode->iops == &tmpfs_symlink_iops;
}

struct tmpfs_inode *tmpfs_new_inode(struct tmpfs *fs, uint32_t mode, uint32_t uid,
				    uint32_t gid)
{
	struct tmpfs_inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	ino->i.sb = fs;
	ino->i.ino = fs->next_ino++;
	ino->i.dev = fs->dev;
	ino->i.mode = mode;
	ino->i.uid = uid;
	ino->i.gid = gid;
	ino->i.iops = &tmpfs_file_iops;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		ino->i.iops = &tmpfs_dir_iops;
		ino->i.fops = &tmpfs_dir_fops;
		ino->i.size = VFS_BLKSIZE;
		break;
	case S_IFREG:
		ino->i.fops = &tmpfs_file_fops;
		break;
	case S_IFLNK:
		ino->i.iops = &tmpfs_symlink_iops;
		break;
	}
	tmpfs_touch(&ino->i, TMPFS_ATIME | TMPFS_MTIME | TMPFS_CTIME);
	ino->all = fs->inodes;
	fs->inodes = ino;
	return ino;
}

struct tmpfs_inode *tmpfs_new_symlink(struct tmpfs *fs, const char *target,
				      size_t len, uint32_t uid, uint32_t gid)
{
	struct tmpfs_inode *ino = tmpfs_new_inode(fs, S_IFLNK | 0777, uid, gid);
	char *t = kmalloc(len + 1);

	if (!ino || !t) {
		kfree(t);
		return NULL;	/* an unlinked inode stays on the all list */
	}
	memcpy(t, target, len);
	t[len] = '\0';
	ino->target = t;
	ino->i.size = len;
	return ino;
}

static char *name_dup(const char *name, size_t len)
{
	char *p = kmalloc(len + 1);

	if (p) {
		memcpy(p, name, len);
		p[len] = '\0';
	}
	return p;
}

/* Append @d to the list of @dir with the next cookie. */
static void dir_list_add(struct tmpfs_inode *dir, struct tmpfs_dentry *d)
{
	d->cookie = dir->dir.next_cookie++;
	d->next = NULL;
	d->prev = dir->dir.last;
	if (dir->dir.last)
		dir->dir.last->next = d;
	else
		dir->dir.first = d;
	dir->dir.last = d;
	dir->dir.nentries++;
}

static void dir_list_del(struct tmpfs_inode *dir, struct tmpfs_dentry *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->dir.first = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->dir.last = d->prev;
	d->prev = d->next = NULL;
	dir->dir.nentries--;
}

struct tmpfs_dentry *tmpfs_add(struct tmpfs *fs, struct tmpfs_dentry *dir,
			       const char *name, size_t len, struct tmpfs_inode *ino)
{
	struct tmpfs_inode *pdir = TMPFS_I(dir->d.inode);
	struct tmpfs_dentry *d = kzalloc(sizeof(*d));
	char *n = name_dup(name, len);

	if (!d || !n) {
		kfree(d);
		kfree(n);
		return NULL;
	}
	d->d.name = n;
	d->d.namelen = len;
	d->d.parent = &dir->d;
	d->d.inode = &ino->i;
	ino->i.nlink += S_ISDIR(ino->i.mode) ? 2 : 1;
	if (S_ISDIR(ino->i.mode))
		pdir->i.nlink++;
	hash_link(fs, d);
	dir_list_add(pdir, d);
	tmpfs_touch(&pdir->i, TMPFS_MTIME | TMPFS_CTIME);
	return d;
}

void tmpfs_maybe_free_data(struct tmpfs_inode *ino)
{
	if (!ino->i.nlink && !ino->opens && S_ISREG(ino->i.mode))
		tmpfs_free_pages(ino);
}

void tmpfs_remove(struct tmpfs *fs, struct tmpfs_dentry *d)
{
	struct tmpfs_inode *pdir = TMPFS_I(d->d.parent->inode);
	struct inode *inode = d->d.inode;

	hash_unlink(fs, d);
	dir_list_del(pdir, d);
	d->next = fs->graveyard;
	fs->graveyard = d;
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		pdir->i.nlink--;
	} else if (inode->nlink) {
		inode->nlink--;
	}
	tmpfs_touch(&pdir->i, TMPFS_MTIME | TMPFS_CTIME);
	tmpfs_touch(inode, TMPFS_CTIME);
	tmpfs_maybe_free_data(TMPFS_I(inode));
}

int tmpfs_move(struct tmpfs *fs, struct tmpfs_dentry *d, struct tmpfs_dentry *dir,
	       const char *name, size_t len)
{
	struct tmpfs_inode *from = TMPFS_I(d->d.parent->inode);
	struct tmpfs_inode *to = TMPFS_I(dir->d.inode);
	char *n = name_dup(name, len);

	if (!n)
		return -ENOMEM;
	hash_unlink(fs, d);
	dir_list_del(from, d);
	kfree((char *)d->d.name);
	d->d.name = n;
	d->d.namelen = len;
	d->d.parent = &dir->d;
	hash_link(fs, d);
	dir_list_add(to, d);
	if (S_ISDIR(d->d.inode->mode) && from != to) {
		from->i.nlink--;
		to->i.nlink++;
	}
	tmpfs_touch(&from->i, TMPFS_MTIME | TMPFS_CTIME);
	tmpfs_touch(&to->i, TMPFS_MTIME | TMPFS_CTIME);
	tmpfs_touch(d->d.inode, TMPFS_CTIME);
	return 0;
}

struct tmpfs *tmpfs_create(uint64_t dev, uint32_t mode)
{
	struct tmpfs *fs = kzalloc(sizeof(*fs));
	struct tmpfs_inode *ino;
	struct tmpfs_dentry *d;

	if (!fs)
		return NULL;
	fs->dev = dev;
	fs->next_ino = 1;
	fs->hash_size = HASH_MIN;
	fs->hash = kzalloc(HASH_MIN * sizeof(*fs->hash));
	ino = fs->hash ? tmpfs_new_inode(fs, S_IFDIR | (mode & 07777), 0, 0) : NULL;
	d = kzalloc(sizeof(*d));
	if (!ino || !d) {
		kfree(d);
		tmpfs_free(fs);
		return NULL;
	}
	d->d.parent = &d->d;
	d->d.inode = &ino->i;
	d->d.name = name_dup("/", 1);
	d->d.namelen = 1;
	ino->i.nlink = 2;
	fs->root = d;
	if (!d->d.name) {
		tmpfs_free(fs);
		return NULL;
	}
	return fs;
}

static void free_dentries(struct tmpfs_dentry *d)
{
	struct tmpfs_dentry *next;

	for (; d; d = next) {
		next = d->next;
		kfree((char *)d->d.name);
		kfree(d);
	}
}

void tmpfs_free(struct tmpfs *fs)
{
	struct tmpfs_inode *ino, *next;
	size_t i;

	if (!fs)
		return;
	/* live names are in the hash; the root and the graveyard are not */
	for (i = 0; fs->hash && i < fs->hash_size; i++) {
		struct tmpfs_dentry *d, *dn;

		for (d = fs->hash[i]; d; d = dn) {
			dn = d->hnext;
			kfree((char *)d->d.name);
			kfree(d);
		}
	}
	free_dentries(fs->graveyard);
	if (fs->root) {
		kfree((char *)fs->root->d.name);
		kfree(fs->root);
	}
	for (ino = fs->inodes; ino; ino = next) {
		next = ino->all;
		if (S_ISREG(ino->i.mode))
			tmpfs_free_pages(ino);
		else if (S_ISLNK(ino->i.mode))
			kfree(ino->target);
		kfree(ino);
	}
	kfree(fs->hash);
	kfree(fs);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * tree.c: the index's tree: an arena for nodes and names (freed at once),
 * the (directory, name) hash every lookup uses, and the final pass that
 * turns child lists into arrays for getdents.
 */
#include "sentry/kmalloc.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tarfs.h"

#define CHUNK_SIZE	(64 * 1024)
#define HASH_MIN	256

struct tarfs_chunk {
	struct tarfs_chunk *next;
	size_t used, size;
	uint64_t data[];
};

/* --- the arena: nodes and names, freed all at once --------------------- */

void *tarfs_alloc(struct tarfs *fs, size_t n)
{
	struct tarfs_chunk *c = fs->chunks;
	void *p;

	n = ALIGN_UP(n, sizeof(uint64_t));
	if (n > CHUNK_SIZE / 4) {
		/* big (a long name list): a chunk of its own, behind the current one */
		c = kmalloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->used = c->size = n;
		if (fs->chunks) {
			c->next = fs->chunks->next;
			fs->chunks->next = c;
		} else {
			c->next = NULL;
			fs->chunks = c;
		}
		return memset(c->data, 0, n);
	}
	if (!c || c->size - c->used < n) {
		c = kmalloc(sizeof(*c) + CHUNK_SIZE);
		if (!c)
			return NULL;
		c->next = fs->chunks;
		c->used = 0;
		c->size = CHUNK_SIZE;
		fs->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return memset(p, 0, n);
}

char *tarfs_strndup(struct tarfs *fs, const char *s, size_t n)
{
	char *p = tarfs_alloc(fs, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* --- the name hash: (directory inode, name) -> dentry ------------------ */

struct tarfs_dentry *tarfs_lookup(const struct tarfs *fs, const struct inode *dir,
				  const char *name, size_t len)
{
	struct tarfs_dentry *d;

	d = fs->hash[vfs_name_hash(dir, name, len) & (fs->hash_size - 1)];
	for (; d; d = d->hnext)
		if (d->dir == dir && d->d.namelen == len &&
		    !memcmp(d->d.name, name, len))
			return d;
	return NULL;
}

struct tarfs_dentry *tarfs_lookup_path(const struct tarfs *fs, const char *path,
				       size_t len)
{
	struct tarfs_dentry *d = fs->root;
	size_t i = 0;

	while (i < len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t n = slash ? (size_t)(slash - path) - i : len - i;

		if (!S_ISDIR(d->d.inode->mode))
			return NULL;
		d = tarfs_lookup(fs, d->d.inode, path + i, n);
		if (!d)
			return NULL;
		i += n + 1;
	}
	return d;
}

static int hash_grow(struct tarfs *fs)
{
	size_t i, size = fs->hash_size * 2;
	struct tarfs_dentry **h = kzalloc(size * sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (i = 0; i < fs->hash_size; i++) {
		struct tarfs_dentry *d, *next;

		for (d = fs->hash[i]; d; d = next) {
			size_t b = vfs_name_hash(d->dir, d->d.name, d->d.namelen);

			b &= size - 1;

			next = d->hnext;
			d->hnext = h[b];
			h[b] = d;
		}
	}
	kfree(fs->hash);
	fs->hash = h;
	fs->hash_size = size;
	return 0;
}

/* --- nodes ------------------------------------------------------------- */

struct tarfs_inode *tarfs_new_inode(struct tarfs *fs, uint32_t mode)
{
	struct tarfs_inode *ino = tarfs_alloc(fs, sizeof(*ino));

	if (!ino)
		return NULL;
	ino->i.sb = fs;
	ino->i.ino = fs->next_ino++;
	ino->i.dev = TARFS_DEV;
	ino->i.flags = I_RDONLY;
	ino->i.mode = mode;
	ino->i.iops = &tarfs_file_iops;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		ino->i.iops = &tarfs_dir_iops;
		ino->i.fops = &tarfs_dir_fops;
		ino->i.size = VFS_BLKSIZE;
		ino->dir.next_dir = fs->dirs;
		fs->dirs = ino;
		break;
	case S_IFREG:
		ino->i.fops = &tarfs_file_fops;
		break;
	case S_IFLNK:
		ino->i.iops = &tarfs_symlink_iops;
		break;
	}
	return ino;
}

/* A new name @name in directory @parent for @ino. */
struct tarfs_dentry *tarfs_new_dentry(struct tarfs *fs, struct tarfs_dentry *parent,
				      const char *name, size_t len,
				      struct tarfs_inode *ino)
{
	struct tarfs_inode *dir = TARFS_I(parent->d.inode);
	struct tarfs_dentry *d = tarfs_alloc(fs, sizeof(*d));
	size_t b;

	if (!d || (fs->nentries >= fs->hash_size && hash_grow(fs)))
		return NULL;
	d->d.name = tarfs_strndup(fs, name, len);
	if (!d->d.name)
		return NULL;
	d->d.namelen = len;
	d->d.parent = &parent->d;
	d->d.inode = &ino->i;
	d->dir = &dir->i;
	ino->i.nlink++;
	b = vfs_name_hash(d->dir, name, len) & (fs->hash_size - 1);
	d->hnext = fs->hash[b];
	fs->hash[b] = d;
	if (dir->dir.last)
		dir->dir.last->sibling = d;
	else
		dir->dir.first = d;
	dir->dir.last = d;
	fs->nentries++;
	return d;
}

/* Children lists become arrays (getdents by position); directory nlink. */
int tarfs_finish(struct tarfs *fs)
{
	struct tarfs_inode *dir;

	for (dir = fs->dirs; dir; dir = dir->dir.next_dir) {
		struct tarfs_dentry *c;
		uint32_t n = 0, subdirs = 0;

		for (c = dir->dir.first; c; c = c->sibling, n++)
			subdirs += S_ISDIR(c->d.inode->mode);
		dir->i.nlink = 2 + subdirs;
		dir->dir.nkids = n;
		if (!n)
			continue;
		dir->dir.kids = tarfs_alloc(fs, n * sizeof(*dir->dir.kids));
		if (!dir->dir.kids)
			return -ENOMEM;
		for (c = dir->dir.first, n = 0; c; c = c->sibling)
			dir->dir.kids[n++] = c;
	}
	return 0;
}

struct tarfs *tarfs_create(const void *image, size_t len)
{
	struct tarfs *fs = kzalloc(sizeof(*fs));
	struct tarfs_inode *ino;
	struct tarfs_dentry *d;

	if (!fs)
		return NULL;
	fs->image = image;
	fs->len = len;
	fs->next_ino = 2;	/* the root's, as on ext4 */
	fs->hash = kzalloc(HASH_MIN * sizeof(*fs->hash));
	fs->hash_size = HASH_MIN;
	ino = tarfs_new_inode(fs, S_IFDIR | 0755);
	d = tarfs_alloc(fs, sizeof(*d));
	if (!fs->hash || !ino || !d) {
		tarfs_free(fs);
		return NULL;
	}
	d->d.parent = &d->d;
	d->d.inode = &ino->i;
	d->d.name = "/";
	d->d.namelen = 1;
	ino->i.nlink = 1;
	fs->root = d;
	return fs;
}

void tarfs_free(struct tarfs *fs)
{
	struct tarfs_chunk *c, *next;

	if (!fs)
		return;
	for (c = fs->chunks; c; c = next) {
		next = c->next;
		kfree(c);
	}
	kfree(fs->hash);
	kfree(fs);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * rootfs.c: the root tree. The image's index (tarfs) is mirrored into a
 * tmpfs once at boot: every name and inode gets a tmpfs twin, and regular
 * files keep reading the image until their first write or truncate copies
 * them up (fs/tmpfs/data.c). The result behaves as an overlay of a tmpfs
 * upper over the image: deletions just drop the twin's name (no whiteout
 * is needed), a directory's entries are one list, and the image is never
 * written. With a read-only root the twins carry I_RDONLY. /tmp (1777) and
 * /dev (fs/devfs.c) are always new, writable directories, and /proc
 * (fs/procfs.c) a new read-only one, as a container runtime mounts them
 * whatever the image has: the image's own /tmp, /dev and /proc are hidden,
 * as mounts over them would be.
 */
#define pr_fmt(fmt) "rootfs: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tarfs/tarfs.h"
#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

struct mirror {
	struct tmpfs *fs;
	struct tmpfs_inode **map;	/* tarfs ino -> twin (hard links share it) */
	struct { struct tarfs_dentry *from; struct tmpfs_dentry *to; } *stack;
	size_t depth, cap;
	uint32_t flags;
};

static void copy_times(struct inode *to, const struct inode *from)
{
	to->atime = to->ctime = to->mtime = from->mtime;
	to->atime_nsec = to->ctime_nsec = to->mtime_nsec = from->mtime_nsec;
}

static struct tmpfs_inode *twin(struct mirror *m, const struct inode *src)
{
	struct tmpfs_inode *ino = m->map[src->ino];
	const struct tarfs_inode *t = TARFS_I(src);

	if (ino)
		return ino;
	if (S_ISLNK(src->mode)) {
		ino = tmpfs_new_symlink(m->fs, t->target, src->size, src->uid, src->gid);
		if (ino)
			ino->i.mode = src->mode;
	} else {
		ino = tmpfs_new_inode(m->fs, src->mode, src->uid, src->gid);
	}
	if (!ino)
		return NULL;
	if (S_ISREG(src->mode)) {
		ino->reg.lower = t->data;
		ino->i.size = src->size;
	}
	if (!S_ISREG(src->mode) && !S_ISDIR(src->mode) && !S_ISLNK(src->mode))
		ino->i.fops = NULL;	/* the image's devices and FIFOs: -ENXIO */
	ino->i.rdev = src->rdev;
	ino->i.flags = m->flags;
	copy_times(&ino->i, src);
	m->map[src->ino] = ino;
	return ino;
}

static int push(struct mirror *m, struct tarfs_dentry *from, struct tmpfs_dentry *to)
{
	if (m->depth == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		void *p = kmalloc(cap * sizeof(*m->stack));

		if (!p)
			return -ENOMEM;
		if (m->depth)
			memcpy(p, m->stack, m->depth * sizeof(*m->stack));
		kfree(m->stack);
		m->stack = p;
		m->cap = cap;
	}
	m->stack[m->depth].from = from;
	m->stack[m->depth].to = to;
	m->depth++;
	return 0;
}

static bool hidden(struct tarfs_dentry *parent, const struct dentry *d)
{
	return parent->d.parent == &parent->d &&
	       ((d->namelen == 3 && (!memcmp(d->name, "tmp", 3) || !memcmp(d->name, "dev", 3))) ||
		(d->namelen == 4 && !memcmp(d->name, "proc", 4)));
}

/* Every directory of the image, depth first, without recursion. */
static int mirror_tree(struct mirror *m, struct tarfs *img)
{
	int err = push(m, img->root, m->fs->root);

	while (!err && m->depth) {
		struct tarfs_dentry *from = m->stack[m->depth - 1].from;
		struct tmpfs_dentry *to = m->stack[m->depth - 1].to;
		const struct tarfs_inode *dir = TARFS_I(from->d.inode);
		uint32_t i;

		m->depth--;
		for (i = 0; !err && i < dir->dir.nkids; i++) {
			struct tarfs_dentry *kid = dir->dir.kids[i];
			struct tmpfs_inode *ino;
			struct tmpfs_dentry *d;

			if (hidden(from, &kid->d))
				continue;
			ino = twin(m, kid->d.inode);
			d = ino ? tmpfs_add(m->fs, to, kid->d.name, kid->d.namelen, ino) : NULL;
			if (!d)
				err = -ENOMEM;
			else if (S_ISDIR(ino->i.mode))
				err = push(m, kid, d);
		}
		copy_times(to->d.inode, from->d.inode);	/* adding names touched it */
	}
	return err;
}

static int add_dir(struct tmpfs *fs, const char *name, uint32_t mode,
		   struct tmpfs_dentry **out)
{
	struct tmpfs_inode *ino = tmpfs_new_inode(fs, S_IFDIR | mode, 0, 0);

	*out = ino ? tmpfs_add(fs, fs->root, name, strlen(name), ino) : NULL;
	return *out ? 0 : -ENOMEM;
}

int rootfs_build(struct tarfs *img, bool writable, struct tmpfs **out)
{
	struct mirror m = { .flags = writable ? 0 : I_RDONLY };
	const struct inode *root = img->root->d.inode;
	struct tmpfs_dentry *tmp, *dev, *proc;
	int err;

	m.fs = tmpfs_create(TARFS_DEV, root->mode);	/* the image's st_dev */
	m.map = kzalloc((size_t)img->next_ino * sizeof(*m.map));
	if (!m.fs || !m.map) {
		err = -ENOMEM;
		goto out;
	}
	m.fs->root->d.inode->flags = m.flags;
	err = mirror_tree(&m, img);
	if (!err)
		err = add_dir(m.fs, "tmp", 01777, &tmp);
	if (!err)
		err = add_dir(m.fs, "dev", 0755, &dev);
	if (!err)
		err = devfs_populate(m.fs, &dev->d);
	/* /proc always, as a container runtime mounts it whatever the image has */
	if (!err)
		err = add_dir(m.fs, "proc", 0555, &proc);
	if (!err)
		err = procfs_populate(m.fs, &proc->d);
	if (!err)
		copy_times(m.fs->root->d.inode, root);
out:
	kfree(m.map);
	kfree(m.stack);
	if (err) {
		pr_err("building the root tree: error %d", err);
		tmpfs_free(m.fs);
		return err;
	}
	*out = m.fs;
	return 0;
}

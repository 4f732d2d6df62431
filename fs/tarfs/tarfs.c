// SPDX-License-Identifier: Apache-2.0
/*
 * tarfs.c: the image's inodes and files: directory lookup, symlink targets,
 * reads straight from the mapped tar, getdents in archive order.
 */
#include "abi/linux/errno.h"

#include "tarfs.h"

static struct dentry *tarfs_dir_lookup(struct dentry *dir, const char *name,
				       size_t len)
{
	struct tarfs_dentry *d = tarfs_lookup(dir->inode->sb, dir->inode, name, len);

	return d ? &d->d : NULL;
}

static const char *tarfs_get_link(struct inode *inode, size_t *len)
{
	*len = inode->size;
	return TARFS_I(inode)->target;
}

const struct inode_ops tarfs_dir_iops = { .lookup = tarfs_dir_lookup };
const struct inode_ops tarfs_symlink_iops = { .get_link = tarfs_get_link };
const struct inode_ops tarfs_file_iops = { 0 };

static ssize_t tarfs_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	const struct tarfs_inode *ino = TARFS_I(f->inode);
	size_t n, start = b->count;
	int err;

	if ((uint64_t)*pos >= ino->i.size)
		return 0;
	n = MIN(b->count, ino->i.size - (uint64_t)*pos);
	err = copy_to_iobuf(b, ino->data + *pos, n);
	n = start - b->count;
	*pos += (loff_t)n;
	return n ? (ssize_t)n : err;
}

static loff_t tarfs_file_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, (loff_t)f->inode->size);
}

const struct file_ops tarfs_file_fops = {
	.read = tarfs_file_read,
	.llseek = tarfs_file_llseek,
};

static ssize_t tarfs_dir_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	return -EISDIR;
}

/* Positions: 0 ".", 1 "..", 2 + i the i-th entry in archive order. */
static int tarfs_dir_iterate(struct file *f, struct dir_context *ctx)
{
	const struct tarfs_inode *dir = TARFS_I(f->inode);

	while (ctx->pos >= 2 && (uint64_t)ctx->pos - 2 < dir->dir.nkids) {
		const struct dentry *d = &dir->dir.kids[ctx->pos - 2]->d;

		if (!ctx->emit(ctx, d->name, d->namelen, d->inode->ino,
			       mode_to_dtype(d->inode->mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static loff_t tarfs_dir_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, 2 + (loff_t)TARFS_I(f->inode)->dir.nkids);
}

const struct file_ops tarfs_dir_fops = {
	.read = tarfs_dir_read,
	.llseek = tarfs_dir_llseek,
	.iterate = tarfs_dir_iterate,
};

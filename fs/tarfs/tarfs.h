/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tarfs.h: the image tar as a read-only filesystem, indexed in place (fs/tarfs),
 * core. Used by fs/vfs.c and test/unit/fs.
 *
 * tarfs_index() reads the archive once and builds a tree of dentries and
 * inodes in an arena; file data and nothing else stays in the image, which
 * is never copied or written. Lookups afterwards are one hash probe per
 * path component.
 */
#ifndef FS_TARFS_TARFS_H
#define FS_TARFS_TARFS_H

#include "sentry/types.h"

#include "../vfs_internal.h"

#define TARFS_DEV	42	/* st_dev of the image: makedev(0, 42) */

struct tarfs_dentry {
	struct dentry d;		/* parent, inode, name */
	const struct inode *dir;	/* hash key: the parent's inode when added */
	struct tarfs_dentry *hnext;	/* hash chain */
	struct tarfs_dentry *sibling;	/* next in the parent's list, archive order */
};

struct tarfs_inode {
	struct inode i;
	union {
		const uint8_t *data;	/* regular file: i.size bytes in the image */
		const char *target;	/* symlink: NUL-terminated, i.size bytes */
		struct {
			struct tarfs_dentry *first, *last;	/* children, indexing */
			struct tarfs_dentry **kids;		/* then as an array */
			uint32_t nkids;
			struct tarfs_inode *next_dir;		/* all directories */
		} dir;
	};
};

struct tarfs_chunk;

struct tarfs {
	const uint8_t *image;
	size_t len;
	struct tarfs_dentry *root;
	struct tarfs_dentry **hash;	/* key: (parent inode, name) */
	size_t hash_size;		/* a power of two */
	size_t nentries;
	struct tarfs_inode *dirs;	/* every directory inode, for the final pass */
	struct tarfs_chunk *chunks;	/* the arena all nodes and names live in */
	uint64_t next_ino;
};

/*
 * tarfs_index() - index the uncompressed tar at @image (@len bytes, which
 * must stay mapped and unchanged while the result is used).
 * Return: 0 and *@out, -EINVAL after a pr_err() naming the bad entry, or
 * -ENOMEM.
 */
int tarfs_index(const void *image, size_t len, struct tarfs **out);

/* Free the index (not the image). No file may still refer to it. */
void tarfs_free(struct tarfs *fs);

/* The entry @name (@len bytes) of directory @dir, or NULL. */
struct tarfs_dentry *tarfs_lookup(const struct tarfs *fs, const struct inode *dir,
				  const char *name, size_t len);

/* The entry at the normalized @path ("" is the root; no ".", "..", or
 * repeated slashes), symlinks not followed, or NULL. */
struct tarfs_dentry *tarfs_lookup_path(const struct tarfs *fs, const char *path,
				       size_t len);

static inline struct tarfs_inode *TARFS_I(const struct inode *inode)
{
	return container_of(inode, struct tarfs_inode, i);
}

static inline struct tarfs_dentry *TARFS_D(const struct dentry *d)
{
	return container_of(d, struct tarfs_dentry, d);
}

/* --- indexer internals (index.c, tree.c, pax.c) ---------------------- */

/* What pax 'x' and GNU 'L'/'K' headers say about the next entry. */
struct tar_ext {
	const char *path, *link;	/* in the image, not NUL-terminated */
	size_t pathlen, linklen;
	uint64_t size, uid, gid;
	int64_t mtime;
	uint32_t mtime_nsec;
	bool has_path, has_link, has_size, has_uid, has_gid, has_mtime;
};

/*
 * tar_pax_parse() - apply the records of a pax header (@data, @size bytes)
 * to @x; with @x NULL (a global header) only check them.
 * Return: 0, or -EINVAL with the reason in @why.
 */
int tar_pax_parse(const char *data, size_t size, struct tar_ext *x, char *why,
		  size_t whylen);

/* tree.c: the index's memory and nodes. NULL: out of memory. */
struct tarfs *tarfs_create(const void *image, size_t len);	/* with its root */
void *tarfs_alloc(struct tarfs *fs, size_t n);			/* zeroed, arena */
char *tarfs_strndup(struct tarfs *fs, const char *s, size_t n);	/* arena */
struct tarfs_inode *tarfs_new_inode(struct tarfs *fs, uint32_t mode);
/* Add the name @name (@len bytes) for @ino to the directory @parent. */
struct tarfs_dentry *tarfs_new_dentry(struct tarfs *fs, struct tarfs_dentry *parent,
				      const char *name, size_t len,
				      struct tarfs_inode *ino);
/* After the last entry: directory arrays and nlink. Return: 0 or -ENOMEM. */
int tarfs_finish(struct tarfs *fs);

/* tarfs.c: the operations of its inodes and files. */
extern const struct inode_ops tarfs_dir_iops, tarfs_symlink_iops, tarfs_file_iops;
extern const struct file_ops tarfs_dir_fops, tarfs_file_fops;

#endif /* FS_TARFS_TARFS_H */

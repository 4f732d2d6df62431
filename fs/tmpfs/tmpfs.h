/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tmpfs.h: an in-memory filesystem (fs/tmpfs), core. Used by fs/ (the root
 * tree, /tmp, /dev, memfd) and test/unit/fs.
 *
 * Regular files keep their data in 4 KiB pages (kmalloc'd, NULL for a hole,
 * which reads as zeros), or, for a file mirrored from the image and never
 * written, in the image itself ("lower" data): the first write or truncate
 * copies it up into pages, so the image is never written.
 *
 * Names: one hash of (directory, name) for lookups, and per directory a list
 * in creation order for getdents, each entry with a cookie (its position).
 * Lifetimes: an unlinked dentry or inode may still be an open file's, a cwd
 * or an fd's start of walk, so it is never freed before the filesystem:
 * only the data of an inode with no links and no open file is freed.
 */
#ifndef FS_TMPFS_TMPFS_H
#define FS_TMPFS_TMPFS_H

#include "sentry/types.h"

#include "../vfs_internal.h"

#define TMPFS_DEV	43	/* st_dev: makedev(0, 43) */
#define TMPFS_PAGE	4096
#define TMPFS_MAX_SIZE	(1ULL << 40)	/* s_maxbytes: larger is -EFBIG */

struct tmpfs_dentry {
	struct dentry d;		/* name kmalloc'd (rename replaces it) */
	struct tmpfs_dentry *hnext;	/* hash chain */
	struct tmpfs_dentry *prev, *next;	/* the parent's list; the graveyard */
	uint64_t cookie;		/* getdents position - 2 in the parent */
};

struct tmpfs_inode {
	struct inode i;
	struct tmpfs_inode *all;	/* every inode of the sb, to free them */
	uint32_t opens;			/* open files (data freed at 0 links, 0 opens) */
	union {
		struct {
			paddr_t *pages;		/* npages slots of physical pages
						 * (page_alloc); 0: a hole */
			size_t npages;
			const uint8_t *lower;	/* image data until the first change */
			paddr_t *cache;		/* while @lower: copies of its pages that
						 * private mappings map; 0: none yet */
		} reg;
		struct {
			struct tmpfs_dentry *first, *last;
			uint64_t next_cookie;
			uint32_t nentries;
		} dir;
		char *target;		/* symlink, NUL-terminated, i.size bytes */
	};
};

struct tmpfs {
	struct tmpfs_dentry *root;
	struct tmpfs_dentry **hash;	/* key: (parent inode, name) */
	size_t hash_size, nnames;	/* hash_size: a power of two */
	struct tmpfs_inode *inodes;	/* every inode (the all list) */
	struct tmpfs_dentry *graveyard;	/* unlinked dentries */
	uint64_t next_ino;
	uint64_t dev;
	uint64_t bytes;			/* in data pages, for statfs */
};

static inline struct tmpfs_inode *TMPFS_I(const struct inode *inode)
{
	return container_of(inode, struct tmpfs_inode, i);
}

static inline struct tmpfs_dentry *TMPFS_D(const struct dentry *d)
{
	return container_of(d, struct tmpfs_dentry, d);
}

/* node.c */
/* A filesystem whose root directory has @mode and is owned by root. NULL: no memory. */
struct tmpfs *tmpfs_create(uint64_t dev, uint32_t mode);
void tmpfs_free(struct tmpfs *fs);
/* Whether @inode is a tmpfs inode (its ops are tmpfs's). */
bool is_tmpfs_inode(const struct inode *inode);
/* A new inode of @fs with @mode (S_IF* | bits), owner @uid/@gid, time now, no links. */
struct tmpfs_inode *tmpfs_new_inode(struct tmpfs *fs, uint32_t mode, uint32_t uid,
				    uint32_t gid);
/* The entry @name of directory @dir, or NULL. */
struct tmpfs_dentry *tmpfs_find(struct tmpfs *fs, struct inode *dir, const char *name,
				size_t len);
/* Add the name @name for @ino in @dir (not present). NULL: no memory. */
struct tmpfs_dentry *tmpfs_add(struct tmpfs *fs, struct tmpfs_dentry *dir,
			       const char *name, size_t len, struct tmpfs_inode *ino);
/* Remove @d from its directory (to the graveyard) and drop a link. */
void tmpfs_remove(struct tmpfs *fs, struct tmpfs_dentry *d);
/* Move @d to @dir under @name (the target name must be free). Return: 0 or -ENOMEM. */
int tmpfs_move(struct tmpfs *fs, struct tmpfs_dentry *d, struct tmpfs_dentry *dir,
	       const char *name, size_t len);
/* A symlink inode whose target is a copy of @target. */
struct tmpfs_inode *tmpfs_new_symlink(struct tmpfs *fs, const char *target,
				      size_t len, uint32_t uid, uint32_t gid);
/* Set times of @inode to now: TMPFS_{A,M,C}TIME. */
#define TMPFS_ATIME	1
#define TMPFS_MTIME	2
#define TMPFS_CTIME	4
void tmpfs_touch(struct inode *inode, unsigned int which);
/* The current realtime clock as (sec, nsec). */
void vfs_now(int64_t *sec, uint32_t *nsec);
/* An inode lost a link or an open file: free its data when both are gone. */
void tmpfs_maybe_free_data(struct tmpfs_inode *ino);

/* data.c */
/* Resize a regular file (holes read as zeros). Return: 0, -EFBIG, -ENOMEM. */
int tmpfs_truncate(struct tmpfs_inode *ino, uint64_t size);
/* Free a regular file's pages. */
void tmpfs_free_pages(struct tmpfs_inode *ino);
extern const struct inode_ops tmpfs_dir_iops, tmpfs_file_iops, tmpfs_symlink_iops;
extern const struct file_ops tmpfs_dir_fops, tmpfs_file_fops;

#endif /* FS_TMPFS_TMPFS_H */

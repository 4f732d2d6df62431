// SPDX-License-Identifier: Apache-2.0
/*
 * devfs.c: the synthetic /dev: null, zero, full, random, urandom and tty
 * (character devices with Linux's numbers), the stdio and fd symlinks into
 * /proc/self/fd, and shm/ (a 1777 directory of the same tmpfs).
 */
#include "sentry/host.h"
#include "sentry/kmalloc.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define MKDEV(ma, mi)	((uint64_t)(((ma) << 8) | ((mi) & 0xff)))

static ssize_t null_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t n = b->count;

	b->count = 0;
	return (ssize_t)n;
}

/* Reading zeros: chunks of a static page. */
static ssize_t zero_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	static const uint8_t zeros[512];
	size_t start = b->count;
	int err = 0;

	while (b->count && !err)
		err = copy_to_iobuf(b, zeros, MIN(b->count, sizeof(zeros)));
	return start != b->count ? (ssize_t)(start - b->count) : err;
}

static ssize_t full_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	return b->count ? -ENOSPC : 0;
}

static ssize_t random_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	uint8_t buf[256];
	size_t start = b->count;
	int err = 0;

	while (b->count && !err) {
		size_t n = MIN(b->count, sizeof(buf));
		long got = host_getrandom(buf, n);

		if (got <= 0) {
			err = got ? (int)got : -EIO;
			break;
		}
		err = copy_to_iobuf(b, buf, (size_t)got);
	}
	memset(buf, 0, sizeof(buf));
	return start != b->count ? (ssize_t)(start - b->count) : err;
}

/* Devices ignore the position: lseek succeeds and stays at 0. */
static loff_t dev_llseek(struct file *f, loff_t off, int whence)
{
	f->pos = 0;
	return 0;
}

static const struct file_ops null_fops = {
	.read = null_read, .write = null_write, .llseek = dev_llseek,
};
static const struct file_ops zero_fops = {
	.read = zero_read, .write = null_write, .llseek = dev_llseek,
};
static const struct file_ops full_fops = {
	.read = zero_read, .write = full_write, .llseek = dev_llseek,
};
static const struct file_ops random_fops = {
	.read = random_read, .write = null_write, .llseek = dev_llseek,
};

static const struct {
	const char *name;
	uint32_t major, minor, mode;
	const struct file_ops *fops;	/* NULL: open is -ENXIO (tty: no terminal yet) */
} devices[] = {
	{ "null", 1, 3, 0666, &null_fops },
	{ "zero", 1, 5, 0666, &zero_fops },
	{ "full", 1, 7, 0666, &full_fops },
	{ "random", 1, 8, 0666, &random_fops },
	{ "urandom", 1, 9, 0666, &random_fops },
	{ "tty", 5, 0, 0666, NULL },
};

static const struct {
	const char *name, *target;
} links[] = {
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "fd", "/proc/self/fd" },
};

static int add(struct tmpfs *fs, struct dentry *dev, const char *name,
	       struct tmpfs_inode *ino)
{
	if (!ino || !tmpfs_add(fs, TMPFS_D(dev), name, strlen(name), ino))
		return -ENOMEM;
	return 0;
}

int devfs_populate(struct tmpfs *fs, struct dentry *dev)
{
	struct tmpfs_inode *ino;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(devices); i++) {
		ino = tmpfs_new_inode(fs, S_IFCHR | devices[i].mode, 0, 0);
		if (ino) {
			ino->i.rdev = MKDEV(devices[i].major, devices[i].minor);
			ino->i.fops = devices[i].fops;
		}
		err = add(fs, dev, devices[i].name, ino);
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(links); i++) {
		ino = tmpfs_new_symlink(fs, links[i].target, strlen(links[i].target), 0, 0);
		err = add(fs, dev, links[i].name, ino);
		if (err)
			return err;
	}
	return add(fs, dev, "shm", tmpfs_new_inode(fs, S_IFDIR | 01777, 0, 0));
}

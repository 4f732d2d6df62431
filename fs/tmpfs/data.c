// SPDX-License-Identifier: Apache-2.0
/*
 * data.c: tmpfs file data (sparse 4 KiB pages, copy-up of image data) and
 * the operations of tmpfs inodes and files: read, write, lseek with holes,
 * MAP_SHARED pages, getdents by cookie, lookup, symlink targets. The data
 * pages are physical pages, so that a shared mapping maps the file's own
 * pages: a store through it is what read(2) sees, and the reverse.
 */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "tmpfs.h"

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/*
 * Private mappings of image data map one copy of each page (the cache),
 * shared read-only by every process and copied on write (mm's
 * copy-on-write), instead of a copy per mapping: an exec of a binary
 * maps the pages the last exec of it made. Not counted as tmpfs data;
 * the cache lets go of them when the file changes (copy-up) or goes.
 */
static void cache_drop(struct tmpfs_inode *ino)
{
	size_t n = (size_t)div_up(ino->i.size, TMPFS_PAGE);

	if (!ino->reg.cache)
		return;
	for (size_t i = 0; i < n; i++)
		if (ino->reg.cache[i])
			page_free(ino->reg.cache[i]);	/* mappings keep their references */
	kfree(ino->reg.cache);
	ino->reg.cache = NULL;
}

#define CACHE_WINDOW	64	/* pages filled at once: the neighbours come next */

/* Cache the missing pages of [@i, @end) from the image, a physical run at a time. */
static int cache_fill(struct tmpfs_inode *ino, size_t i, size_t end)
{
	size_t j, got, bytes;
	paddr_t run;

	while (i < end) {
		if (ino->reg.cache[i]) {
			i++;
			continue;
		}
		for (j = i; j < end && !ino->reg.cache[j]; j++)
			;
		run = page_alloc_run_uninit(j - i, &got);
		if (!run)
			return -ENOMEM;
		bytes = (size_t)MIN((uint64_t)got * TMPFS_PAGE, ino->i.size - i * TMPFS_PAGE);
		plat_image_read(plat_phys_to_virt(run), ino->reg.lower + i * TMPFS_PAGE, bytes);
		memset((uint8_t *)plat_phys_to_virt(run) + bytes, 0, got * TMPFS_PAGE - bytes);
		for (size_t k = 0; k < got; k++)
			ino->reg.cache[i + k] = run + k * TMPFS_PAGE;
		i += got;
	}
	return 0;
}

/* The cached copy of image page @idx, made with its window on first use. */
static int cache_page(struct tmpfs_inode *ino, size_t idx, paddr_t *pa)
{
	size_t n = (size_t)div_up(ino->i.size, TMPFS_PAGE);
	size_t lo = idx & ~(size_t)(CACHE_WINDOW - 1);

	if (idx >= n)
		return -ENXIO;
	if (!ino->reg.cache) {
		ino->reg.cache = kzalloc(n * sizeof(paddr_t));
		if (!ino->reg.cache)
			return -ENOMEM;
	}
	if (!ino->reg.cache[idx] && cache_fill(ino, lo, MIN(n, lo + CACHE_WINDOW)) &&
	    cache_fill(ino, idx, idx + 1))
		return -ENOMEM;	/* not even the one page */
	*pa = ino->reg.cache[idx];
	return page_ref_get(*pa);
}

void tmpfs_free_pages(struct tmpfs_inode *ino)
{
	struct tmpfs *fs = ino->i.sb;
	size_t i;

	cache_drop(ino);
	for (i = 0; i < ino->reg.npages; i++) {
		if (ino->reg.pages[i]) {
			page_free(ino->reg.pages[i]);
			fs->bytes -= TMPFS_PAGE;
		}
	}
	kfree(ino->reg.pages);
	ino->reg.pages = NULL;
	ino->reg.npages = 0;
	ino->reg.lower = NULL;
}

/* Make the page array hold @n slots. */
static int pages_resize(struct tmpfs_inode *ino, size_t n)
{
	paddr_t *p;

	if (n <= ino->reg.npages)
		return 0;
	p = kzalloc(n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (ino->reg.npages)
		memcpy(p, ino->reg.pages, ino->reg.npages * sizeof(*p));
	kfree(ino->reg.pages);
	ino->reg.pages = p;
	ino->reg.npages = n;
	return 0;
}

/* The sentry's view of data page @pa. */
static uint8_t *page_data(paddr_t pa)
{
	return plat_phys_to_virt(pa);
}

/* The page of index @idx, allocated (zeroed) if it is a hole; NULL: no memory. */
static uint8_t *page_get(struct tmpfs_inode *ino, size_t idx)
{
	struct tmpfs *fs = ino->i.sb;

	if (!ino->reg.pages[idx]) {
		ino->reg.pages[idx] = page_alloc();
		if (!ino->reg.pages[idx])
			return NULL;
		fs->bytes += TMPFS_PAGE;
	}
	return page_data(ino->reg.pages[idx]);
}

/* The image's data becomes pages of our own (before any change). */
static int copy_up(struct tmpfs_inode *ino)
{
	const uint8_t *lower = ino->reg.lower;
	size_t i, n = (size_t)div_up(ino->i.size, TMPFS_PAGE);

	if (!lower)
		return 0;
	if (pages_resize(ino, n))
		return -ENOMEM;
	cache_drop(ino);
	for (i = 0; i < n; i++) {
		size_t chunk = (size_t)MIN((uint64_t)TMPFS_PAGE, ino->i.size - i * TMPFS_PAGE);
		uint8_t *pg = page_get(ino, i);

		if (!pg)
			return -ENOMEM;	/* pages so far stay; lower still read */
		plat_image_read(pg, lower + i * TMPFS_PAGE, chunk);
	}
	ino->reg.lower = NULL;
	return 0;
}

int tmpfs_truncate(struct tmpfs_inode *ino, uint64_t size)
{
	uint64_t old = ino->i.size;
	size_t i, n = (size_t)div_up(size, TMPFS_PAGE);
	int err;

	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	err = copy_up(ino);
	if (err)
		return err;
	if (size < old) {
		for (i = n; i < ino->reg.npages; i++) {
			if (ino->reg.pages[i]) {
				page_free(ino->reg.pages[i]);
				ino->reg.pages[i] = 0;
				((struct tmpfs *)ino->i.sb)->bytes -= TMPFS_PAGE;
			}
		}
		/* the tail of the last page must read as zeros if the file grows again */
		if (size % TMPFS_PAGE && n - 1 < ino->reg.npages && ino->reg.pages[n - 1])
			memset(page_data(ino->reg.pages[n - 1]) + size % TMPFS_PAGE, 0,
			       TMPFS_PAGE - size % TMPFS_PAGE);
		mm_file_shrunk(&ino->i, size);	/* and mappings let go of the rest */
	} else if (pages_resize(ino, n)) {
		return -ENOMEM;
	}
	ino->i.size = size;
	if (size != old)
		tmpfs_touch(&ino->i, TMPFS_MTIME | TMPFS_CTIME);
	return 0;
}

static ssize_t tmpfs_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct tmpfs_inode *ino = TMPFS_I(f->inode);
	static const uint8_t zeros[TMPFS_PAGE];
	size_t start = b->count;
	int err = 0;

	while (b->count && (uint64_t)*pos < ino->i.size) {
		uint64_t p = (uint64_t)*pos;
		size_t off = p % TMPFS_PAGE, idx = p / TMPFS_PAGE;
		size_t n = (size_t)MIN((uint64_t)(TMPFS_PAGE - off), ino->i.size - p);
		const uint8_t *src;
		size_t before = b->count;

		if (ino->reg.lower)
			src = ino->reg.lower + p - off;
		else if (idx < ino->reg.npages && ino->reg.pages[idx])
			src = page_data(ino->reg.pages[idx]);
		else
			src = zeros;
		err = copy_to_iobuf(b, src + off, n);
		*pos += (loff_t)(before - b->count);
		if (err)
			break;
	}
	if (start != b->count)
		return (ssize_t)(start - b->count);
	return err;
}

static ssize_t tmpfs_file_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct tmpfs_inode *ino = TMPFS_I(f->inode);
	size_t start = b->count;
	uint64_t end;
	int err;

	if (f->flags & O_APPEND)
		*pos = (loff_t)ino->i.size;
	if (!b->count)
		return 0;
	if ((uint64_t)*pos >= TMPFS_MAX_SIZE)
		return -EFBIG;
	end = MIN((uint64_t)*pos + b->count, TMPFS_MAX_SIZE);
	err = copy_up(ino);
	if (!err)
		err = pages_resize(ino, (size_t)div_up(end, TMPFS_PAGE));
	while (!err && b->count && (uint64_t)*pos < end) {
		uint64_t p = (uint64_t)*pos;
		size_t off = p % TMPFS_PAGE, before = b->count;
		size_t n = (size_t)MIN((uint64_t)(TMPFS_PAGE - off), end - p);
		uint8_t *pg = page_get(ino, p / TMPFS_PAGE);

		if (!pg) {
			err = -ENOMEM;
			break;
		}
		err = copy_from_iobuf(pg + off, b, n);
		*pos += (loff_t)(before - b->count);
		if ((uint64_t)*pos > ino->i.size)
			ino->i.size = (uint64_t)*pos;
	}
	if (start == b->count)
		return err;
	tmpfs_touch(&ino->i, TMPFS_MTIME | TMPFS_CTIME);
	return (ssize_t)(start - b->count);
}

/* Holes are whole missing pages; image data has none. */
static bool page_is_data(struct tmpfs_inode *ino, uint64_t p)
{
	size_t idx = p / TMPFS_PAGE;

	return ino->reg.lower || (idx < ino->reg.npages && ino->reg.pages[idx]);
}

static loff_t tmpfs_file_llseek(struct file *f, loff_t off, int whence)
{
	struct tmpfs_inode *ino = TMPFS_I(f->inode);
	uint64_t size = ino->i.size, p;
	bool data = whence == SEEK_DATA;

	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_llseek(f, off, whence, (loff_t)size);
	if (off < 0 || (uint64_t)off >= size)
		return -ENXIO;
	for (p = (uint64_t)off; p < size; p = (p / TMPFS_PAGE + 1) * TMPFS_PAGE)
		if (page_is_data(ino, p) == data)
			break;
	if (p >= size) {
		if (data)
			return -ENXIO;
		p = size;
	}
	f->pos = (loff_t)MAX(p, (uint64_t)off);
	return f->pos;
}

static int tmpfs_file_open(struct inode *inode, struct file *f)
{
	if (S_ISREG(inode->mode) && inode->fops == &tmpfs_file_fops)
		TMPFS_I(inode)->opens++;
	return 0;
}

static void tmpfs_file_release(struct file *f)
{
	struct tmpfs_inode *ino;

	if (!f->inode || f->flags & O_PATH)
		return;
	ino = TMPFS_I(f->inode);
	if (ino->opens)
		ino->opens--;
	tmpfs_maybe_free_data(ino);
}

static int tmpfs_file_map_page(struct file *f, loff_t off, paddr_t *pa)
{
	struct tmpfs_inode *ino = TMPFS_I(f->inode);
	size_t idx = (size_t)((uint64_t)off / TMPFS_PAGE);
	int err;

	if (off < 0 || (uint64_t)off >= div_up(ino->i.size, TMPFS_PAGE) * TMPFS_PAGE)
		return -ENXIO;	/* past the end of the file: SIGBUS */
	err = copy_up(ino);
	if (!err)
		err = pages_resize(ino, idx + 1);
	if (!err && !page_get(ino, idx))
		err = -ENOMEM;
	if (!err)
		err = page_ref_get(ino->reg.pages[idx]);
	if (err)
		return err;
	*pa = ino->reg.pages[idx];
	return 0;
}

/* A private mapping's page: only image data has one to share (-ENODEV: copy it). */
static int tmpfs_file_map_private(struct file *f, loff_t off, paddr_t *pa)
{
	struct tmpfs_inode *ino = TMPFS_I(f->inode);

	if (!ino->reg.lower || off < 0)
		return -ENODEV;
	return cache_page(ino, (size_t)((uint64_t)off / TMPFS_PAGE), pa);
}

const struct file_ops tmpfs_file_fops = {
	.read = tmpfs_file_read,
	.write = tmpfs_file_write,
	.llseek = tmpfs_file_llseek,
	.map_page = tmpfs_file_map_page,
	.map_private = tmpfs_file_map_private,
	.release = tmpfs_file_release,
};

/* --- directories and symlinks ------------------------------------------ */

static struct dentry *tmpfs_dir_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct tmpfs_dentry *d = tmpfs_find(dir->inode->sb, dir->inode, name, len);

	return d ? &d->d : NULL;
}

static const char *tmpfs_get_link(struct inode *inode, size_t *len)
{
	*len = inode->size;
	return TMPFS_I(inode)->target;
}

const struct inode_ops tmpfs_dir_iops = { .lookup = tmpfs_dir_lookup };
const struct inode_ops tmpfs_symlink_iops = { .get_link = tmpfs_get_link };
const struct inode_ops tmpfs_file_iops = { .open = tmpfs_file_open };

static ssize_t tmpfs_dir_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	return -EISDIR;
}

/* Positions: 2 + cookie of the next entry, so removals and additions
 * while reading neither repeat nor skip the entries that stay. */
static int tmpfs_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct tmpfs_dentry *d = TMPFS_I(f->inode)->dir.first;

	for (; d; d = d->next) {
		if (d->cookie + 2 < (uint64_t)ctx->pos)
			continue;
		ctx->pos = (loff_t)d->cookie + 2;
		if (!ctx->emit(ctx, d->d.name, d->d.namelen, d->d.inode->ino,
			       mode_to_dtype(d->d.inode->mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static loff_t tmpfs_dir_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence,
			      2 + (loff_t)TMPFS_I(f->inode)->dir.next_cookie);
}

const struct file_ops tmpfs_dir_fops = {
	.read = tmpfs_dir_read,
	.llseek = tmpfs_dir_llseek,
	.iterate = tmpfs_dir_iterate,
};

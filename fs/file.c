// SPDX-License-Identifier: Apache-2.0
/*
 * file.c: open file descriptions (reference counting, the access-mode checks
 * of read and write, lseek for sized files, getdents' "." and "..") and the
 * iobuf copies every read and write op goes through.
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

/* --- iobuf ------------------------------------------------------------- */

void iobuf_init_user(struct iobuf *b, uaddr_t addr, size_t len)
{
	b->one.base = addr;
	b->one.len = len;
	iobuf_init_iov(b, &b->one, 1, len);
}

void iobuf_init_kernel(struct iobuf *b, void *p, size_t len)
{
	iobuf_init_user(b, (uaddr_t)(uintptr_t)p, len);
	b->user = false;
}

void iobuf_init_iov(struct iobuf *b, const struct linux_iovec *iov,
		    unsigned long nr_segs, size_t count)
{
	b->iov = iov;
	b->nr_segs = nr_segs;
	b->seg = 0;
	b->seg_off = 0;
	b->count = count;
	b->user = true;
}

/*
 * Walk @n bytes of @b (n <= b->count) segment by segment; @to: copy @mem
 * into the buffer, else out of it into @mem.
 */
static int iobuf_copy(struct iobuf *b, void *mem, size_t n, bool to)
{
	char *m = mem;

	while (n && b->seg < b->nr_segs) {
		const struct linux_iovec *v = &b->iov[b->seg];
		size_t chunk = MIN(n, v->len - b->seg_off);
		uint64_t addr = v->base + b->seg_off;
		int err = 0;

		if (!chunk) {
			b->seg++;
			b->seg_off = 0;
			continue;
		}
		if (!b->user && to)
			memcpy((void *)(uintptr_t)addr, m, chunk);
		else if (!b->user)
			memcpy(m, (const void *)(uintptr_t)addr, chunk);
		else if (to)
			err = copy_to_user(addr, m, chunk);
		else
			err = copy_from_user(m, addr, chunk);
		if (err)
			return -EFAULT;
		m += chunk;
		n -= chunk;
		b->count -= chunk;
		b->seg_off += chunk;
	}
	return 0;
}

int copy_to_iobuf(struct iobuf *b, const void *src, size_t n)
{
	return iobuf_copy(b, (void *)src, MIN(n, b->count), true);
}

int copy_from_iobuf(void *dst, struct iobuf *b, size_t n)
{
	return iobuf_copy(b, dst, MIN(n, b->count), false);
}

/* --- files ------------------------------------------------------------- */

struct file *file_alloc(const struct file_ops *ops, unsigned int flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->refcount = 1;
	f->ops = ops;
	f->flags = flags;
	return f;
}

int anon_file_install(struct task *t, const struct file_ops *ops, void *priv,
		      unsigned int flags)
{
	struct file *f = file_alloc(ops, O_RDWR | (flags & O_NONBLOCK));
	int fd;

	if (!f) {
		kfree(priv);
		return -ENOMEM;
	}
	f->priv = priv;
	fd = fd_install(t->files, 0, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);	/* its release frees @priv */
	return fd;
}

struct file *file_get(struct file *f)
{
	f->refcount++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refcount > 0)
		return;
	lock_release_file(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	kfree(f);
}

bool file_readable(const struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

bool file_writable(const struct file *f)
{
	unsigned int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

ssize_t file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	if (!file_readable(f))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, b, pos);
}

ssize_t file_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	if (!file_writable(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, b, pos);
}

const struct inode *vfs_file_inode(const struct file *f)
{
	return f->inode;
}

bool vfs_shareable(const struct file *f, bool write)
{
	return f->ops->map_page && (!write || file_writable(f));
}

int vfs_map_page(struct file *f, loff_t off, paddr_t *pa)
{
	if (!f->ops->map_page)
		return -ENODEV;
	return f->ops->map_page(f, off, pa);
}

int vfs_map_private(struct file *f, loff_t off, paddr_t *pa)
{
	if (!f->ops->map_private)
		return -ENODEV;
	return f->ops->map_private(f, off, pa);
}

ssize_t vfs_kread(struct file *f, void *buf, size_t len, loff_t off)
{
	struct iobuf b;

	if (off < 0)
		return -EINVAL;
	iobuf_init_kernel(&b, buf, MIN(len, (size_t)MAX_RW_COUNT));
	return file_read(f, &b, &off);
}

loff_t generic_llseek(struct file *f, loff_t off, int whence, loff_t size)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(off, f->pos, &off))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(off, size, &off))
			return -EINVAL;
		break;
	case SEEK_DATA:		/* no holes: data is everywhere before the end */
		if (off < 0 || off >= size)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		off = size;
		break;
	default:
		return -EINVAL;
	}
	if (off < 0)
		return -EINVAL;
	f->pos = off;
	return off;
}

unsigned int file_poll(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : DEFAULT_POLLMASK;
}

int file_iterate(struct file *f, struct dir_context *ctx)
{
	struct dentry *d = f->dentry;

	if (!f->ops->iterate || !d)
		return -ENOTDIR;
	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, d->inode->ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->emit(ctx, "..", 2, d->parent->inode->ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	return f->ops->iterate(f, ctx);
}

struct waitq file_event_wq = WAITQ_INIT(file_event_wq);
uint64_t file_event_gen;

void file_notify(void)
{
	file_event_gen++;
	waitq_wake_all(&file_event_wq);
}

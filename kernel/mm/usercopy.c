// SPDX-License-Identifier: Apache-2.0
/*
 * usercopy.c: copies between the sentry and app memory. They go through
 * the VMA's page record and the direct map (plat_phys_to_virt), never
 * through the app's page tables: the same on every platform, and a bad app
 * pointer is an -EFAULT here, never a fault in the sentry.
 */
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#include "internal.h"

enum walk_how {
	WALK_READ,
	WALK_WRITE,
	WALK_FORCE,	/* write whatever the protection (the loader) */
};

/*
 * One page-sized piece of a walk: @kaddr is the sentry's view of @n app
 * bytes. Return 0 to go on, 1 to stop early with success, or -errno.
 */
struct walk {
	int (*piece)(struct walk *w, char *kaddr, size_t n);
	char *buf;		/* sentry side, advanced by each piece */
	const char *cbuf;
	size_t done;
};

static int walk(struct mm *mm, uaddr_t addr, size_t len, enum walk_how how,
		struct walk *w)
{
	struct vma *v = NULL;
	paddr_t pa;
	size_t n;
	int ret;

	for (; len; addr += n, len -= n) {
		n = MIN(len, PAGE_SIZE - (addr & ~PAGE_MASK));
		if (!v || addr >= v->end) {
			v = mm_find_vma(mm, addr);
			if (!v)
				return -EFAULT;
			if (how != WALK_FORCE && !vma_allows(v, how == WALK_WRITE, false))
				return -EFAULT;
		}
		pa = vma_page(v, addr & PAGE_MASK);
		if (!pa) {
			if (vma_fault_in(mm, v, addr))
				return -EFAULT;
			pa = vma_page(v, addr & PAGE_MASK);
		}
		if (how != WALK_READ && page_shared(pa)) {
			/* copy-on-write: the sentry writes as the app would */
			if (vma_fault_write(mm, v, addr))
				return -EFAULT;
			pa = vma_page(v, addr & PAGE_MASK);
		}
		ret = w->piece(w, (char *)plat_phys_to_virt(pa) + (addr & ~PAGE_MASK), n);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return 0;
}

static int piece_from(struct walk *w, char *kaddr, size_t n)
{
	memcpy(w->buf + w->done, kaddr, n);
	w->done += n;
	return 0;
}

static int piece_to(struct walk *w, char *kaddr, size_t n)
{
	memcpy(kaddr, w->cbuf + w->done, n);
	w->done += n;
	return 0;
}

static int piece_zero(struct walk *w, char *kaddr, size_t n)
{
	memset(kaddr, 0, n);
	return 0;
}

static int piece_str(struct walk *w, char *kaddr, size_t n)
{
	const char *nul = memchr(kaddr, 0, n);

	if (nul)
		n = (size_t)(nul - kaddr) + 1;
	memcpy(w->buf + w->done, kaddr, n);
	w->done += n;
	return nul ? 1 : 0;
}

int mm_copy_from(struct mm *mm, void *dst, uaddr_t src, size_t len)
{
	struct walk w = { .piece = piece_from, .buf = dst };

	return walk(mm, src, len, WALK_READ, &w);
}

int mm_copy_to(struct mm *mm, uaddr_t dst, const void *src, size_t len)
{
	struct walk w = { .piece = piece_to, .cbuf = src };

	return walk(mm, dst, len, WALK_WRITE, &w);
}

int mm_zero(struct mm *mm, uaddr_t dst, size_t len)
{
	struct walk w = { .piece = piece_zero };

	return walk(mm, dst, len, WALK_FORCE, &w);
}

static struct mm *current_mm(void)
{
	struct task *t = task_current();

	return t ? t->mm : NULL;
}

int copy_from_user(void *dst, uaddr_t src, size_t len)
{
	return mm_copy_from(current_mm(), dst, src, len);
}

int copy_to_user(uaddr_t dst, const void *src, size_t len)
{
	return mm_copy_to(current_mm(), dst, src, len);
}

int clear_user(uaddr_t dst, size_t len)
{
	struct walk w = { .piece = piece_zero };

	return walk(current_mm(), dst, len, WALK_WRITE, &w);
}

long strncpy_from_user(char *dst, uaddr_t src, size_t max)
{
	struct walk w = { .piece = piece_str, .buf = dst };
	int err;

	err = walk(current_mm(), src, max, WALK_READ, &w);
	if (err)
		return err;
	if (!w.done || dst[w.done - 1] != '\0') {
		if (max)
			dst[max - 1] = '\0';
		return -ENAMETOOLONG;
	}
	return (long)w.done - 1;
}

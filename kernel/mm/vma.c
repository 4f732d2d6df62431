// SPDX-License-Identifier: Apache-2.0
/*
 * vma.c: the VMA list of an mm, sorted by address and non-overlapping.
 * A plain list: a sandbox has tens of mappings, not thousands. Adjacent
 * VMAs are not merged; the program break grows its own VMA in place.
 */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "internal.h"

struct vma *vma_new(uaddr_t start, uaddr_t end, unsigned int prot,
		    unsigned int flags, struct file *f, loff_t off)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->file = f ? file_get(f) : NULL;
	v->off = off;
	return v;
}

void vma_free(struct vma *v)
{
	uaddr_t lo = 0, hi = 0;

	vma_drop_pages(v, v->start, v->end, &lo, &hi);
	if (v->file)
		file_put(v->file);
	kfree(v->pages);
	kfree(v);
}

int vma_alloc_pages(struct vma *v)
{
	if (!v->pages)
		v->pages = kzalloc(vma_npages(v) * sizeof(paddr_t));
	return v->pages ? 0 : -ENOMEM;
}

int vma_split(struct vma *v, uaddr_t addr)
{
	struct vma *n = vma_new(addr, v->end, v->prot, v->flags, v->file,
				v->file ? v->off + (loff_t)(addr - v->start) : 0);

	if (!n)
		return -ENOMEM;
	if (v->pages) {
		if (vma_alloc_pages(n)) {
			vma_free(n);
			return -ENOMEM;
		}
		/* @v keeps its (now oversized) array; only the head is used */
		memcpy(n->pages, v->pages + vma_index(v, addr),
		       vma_npages(n) * sizeof(paddr_t));
	}
	v->end = addr;
	n->next = v->next;
	v->next = n;
	return 0;
}

int vma_extend(struct vma *v, uaddr_t end)
{
	size_t old = vma_npages(v), n = (end - v->start) >> PAGE_SHIFT;
	paddr_t *pages;

	if (v->pages) {
		pages = kzalloc(n * sizeof(*pages));
		if (!pages)
			return -ENOMEM;
		memcpy(pages, v->pages, old * sizeof(*pages));
		kfree(v->pages);
		v->pages = pages;
	}
	v->end = end;
	return 0;
}

void vma_insert(struct mm *mm, struct vma *v)
{
	struct vma **pp = &mm->vmas;

	while (*pp && (*pp)->start < v->start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
}

struct vma *mm_find_vma(struct mm *mm, uaddr_t addr)
{
	for (struct vma *v = mm ? mm->vmas : NULL; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

int mm_split_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
		if (v->start < start && start < v->end && vma_split(v, start))
			return -ENOMEM;
		if (v->start < end && end < v->end && vma_split(v, end))
			return -ENOMEM;
	}
	return 0;
}

int mm_remove_range(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uaddr_t lo = end, hi = start;
	struct vma **pp = &mm->vmas;
	struct vma *v;
	int err;

	err = mm_split_range(mm, start, end);
	if (err)
		return err;
	while ((v = *pp) && v->start < end) {
		if (v->end <= start) {
			pp = &v->next;
			continue;
		}
		*pp = v->next;
		vma_drop_pages(v, v->start, v->end, &lo, &hi);
		vma_free(v);
	}
	/* one call for the whole range: under ptrace each is an injected munmap */
	if (lo < hi)
		return plat_as_unmap(mm->as, lo, hi - lo);
	return 0;
}

bool mm_range_free(const struct mm *mm, uaddr_t start, uaddr_t end)
{
	for (const struct vma *v = mm->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return false;
	return true;
}

bool mm_range_mapped(const struct mm *mm, uaddr_t start, uaddr_t end)
{
	for (const struct vma *v = mm->vmas; v && start < end; v = v->next) {
		if (v->end <= start)
			continue;
		if (v->start > start)
			return false;
		start = v->end;
	}
	return start >= end;
}

uaddr_t mm_find_gap(const struct mm *mm, size_t len, uaddr_t lo, uaddr_t hi)
{
	uaddr_t prev_end = lo, best = 0;
	const struct vma *v;

	for (v = mm->vmas; prev_end < hi; v = v->next) {
		uaddr_t gap_end = MIN(v ? v->start : hi, hi);

		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;	/* the highest fit so far */
		if (!v)
			break;
		prev_end = MAX(prev_end, v->end);
	}
	return best;
}

bool vma_allows(const struct vma *v, bool write, bool exec)
{
	if (write)
		return v->prot & PROT_WRITE;
	if (exec)
		return v->prot & PROT_EXEC;
	return v->prot & PROT_RWX;
}

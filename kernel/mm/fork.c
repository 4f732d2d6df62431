// SPDX-License-Identifier: Apache-2.0
/*
 * fork.c: sharing address spaces (clone with CLONE_VM) and forking them.
 * A fork copies no page: parent and child map the same physical pages
 * (page_ref_get), read-only where the mapping is private and writable, and
 * the first write to such a page copies it (fault.c: vma_fault_write).
 * A small writable mapping is copied at once (MM_FORK_COPY_PAGES).
 * MAP_SHARED anonymous pages stay shared and writable in both.
 */
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"

#include "internal.h"

struct mm *mm_get(struct mm *mm)
{
	mm->users++;
	return mm;
}

void mm_put(struct mm *mm)
{
	if (mm && --mm->users == 0)
		mm_destroy(mm);
}

/*
 * Give @c (a copy of @v) every page @v has populated, shared: a private
 * page is then copy-on-write in both (page_shared() says so to
 * vma_remap()). A page with too many sharers already is copied now.
 */
static int cow_pages(const struct vma *v, struct vma *c)
{
	size_t n = vma_npages(v);
	paddr_t pa;
	int err;

	if (!v->pages)
		return 0;
	if (vma_alloc_pages(c))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!v->pages[i])
			continue;	/* PROT_NONE parts stay unpopulated */
		err = page_ref_get(v->pages[i]);
		if (!err) {
			c->pages[i] = v->pages[i];
			continue;
		}
		if (err != -EAGAIN || !vma_private(v))
			return err;
		pa = page_alloc_run_uninit(1, &(size_t){ 0 });
		if (!pa)
			return -ENOMEM;
		memcpy(plat_phys_to_virt(pa), plat_phys_to_virt(v->pages[i]), PAGE_SIZE);
		c->pages[i] = pa;
	}
	return 0;
}

/* Give @c (a copy of @v) its own copy of every page @v has populated. */
static int copy_pages(const struct vma *v, struct vma *c)
{
	size_t n = vma_npages(v), i = 0, j, got;
	paddr_t pa;

	if (!v->pages)
		return 0;
	if (vma_alloc_pages(c))
		return -ENOMEM;
	while (i < n) {
		if (!v->pages[i]) {
			i++;
			continue;
		}
		for (j = i; j < n && v->pages[j]; j++)
			;
		pa = page_alloc_run_uninit(j - i, &got);
		if (!pa)
			return -ENOMEM;
		for (size_t k = 0; k < got; k++) {
			c->pages[i + k] = pa + (k << PAGE_SHIFT);
			memcpy(plat_phys_to_virt(c->pages[i + k]),
			       plat_phys_to_virt(v->pages[i + k]), PAGE_SIZE);
		}
		i += got;
	}
	return 0;
}

static size_t resident_pages(const struct vma *v)
{
	size_t n = 0;

	for (size_t i = 0; v->pages && i < vma_npages(v); i++)
		n += v->pages[i] != 0;
	return n;
}

/*
 * Is @v's memory copied at the fork rather than shared copy-on-write? When
 * it is writable and small (MM_FORK_COPY_PAGES): its first write would cost
 * a fault, more than copying it now.
 */
static bool copy_at_fork(const struct vma *v)
{
	return (v->prot & PROT_WRITE) && resident_pages(v) <= MM_FORK_COPY_PAGES;
}

/*
 * MAP_SHARED|MAP_ANONYMOUS: @c gets @v's very pages, all of them (populated
 * now in the parent, so that no page appears later in one process only).
 */
static int share_pages(struct mm *mm, struct vma *v, struct vma *c)
{
	int err;

	/* a shared file mapping has the file: the pages not there yet come from it */
	if (vma_file_shared(v))
		return cow_pages(v, c);
	err = vma_populate(mm, v, v->start, v->end);
	if (err)
		return err;
	return cow_pages(v, c);
}

int mm_fork(struct mm *mm, struct mm **out)
{
	struct vma *v, *c, **tail;
	struct mm *n;
	bool cow, copied;
	int err;

	err = mm_create(&n);
	if (err)
		return err;
	n->brk_start = mm->brk_start;
	n->brk = mm->brk;
	n->mmap_base = mm->mmap_base;
	n->stack_top = mm->stack_top;
	n->arg_start = mm->arg_start;
	n->arg_end = mm->arg_end;
	n->env_start = mm->env_start;
	n->env_end = mm->env_end;
	tail = &n->vmas;
	for (v = mm->vmas; v; v = v->next) {
		c = vma_new(v->start, v->end, v->prot, v->flags, v->file, v->off);
		if (!c) {
			err = -ENOMEM;
			goto err;
		}
		*tail = c;	/* same order: the list stays sorted */
		tail = &c->next;
		copied = vma_private(v) && copy_at_fork(v);
		cow = vma_private(v) && !copied;
		if (!vma_private(v))
			err = share_pages(mm, v, c);
		else
			err = cow ? cow_pages(v, c) : copy_pages(v, c);
		/* shared pages are resident already: the child touches few */
		if (!err)
			err = vma_remap_hint(n, c, c->start, c->end,
					     copied ? 0 : PLAT_MAP_LAZY);
		/* the parent's writable private pages are now copy-on-write too */
		if (!err && cow && (v->prot & PROT_WRITE))
			err = vma_remap_hint(mm, v, v->start, v->end, PLAT_MAP_LAZY);
		if (err)
			goto err;
	}
	*out = n;
	return 0;

err:
	mm_destroy(n);
	return err;
}

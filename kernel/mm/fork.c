// SPDX-License-Identifier: Apache-2.0
/*
 * fork.c: sharing and copying address spaces (clone with and without
 * CLONE_VM). A copy takes physically contiguous runs where it can, so the
 * platform maps it with few calls (each is a host mmap under ptrace);
 * MAP_SHARED anonymous mappings are not copied: parent and child map the
 * same pages (page_ref_get).
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
 * MAP_SHARED|MAP_ANONYMOUS: @c gets @v's very pages, all of them (populated
 * now in the parent, so that no page appears later in one process only).
 */
static int share_pages(struct mm *mm, struct vma *v, struct vma *c)
{
	size_t n = vma_npages(v);
	int err = vma_populate(mm, v, v->start, v->end);

	if (err)
		return err;
	if (vma_alloc_pages(c))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!v->pages[i])
			continue;	/* PROT_NONE parts stay unpopulated */
		err = page_ref_get(v->pages[i]);
		if (err)
			return err;
		c->pages[i] = v->pages[i];
	}
	return 0;
}

static bool vma_shared_anon(const struct vma *v)
{
	return (v->flags & MAP_SHARED) && !v->file;
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

int mm_fork(struct mm *mm, struct mm **out)
{
	struct vma *v, *c, **tail;
	struct mm *n;
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
		err = vma_shared_anon(v) ? share_pages(mm, v, c) : copy_pages(v, c);
		if (!err)
			err = vma_remap(n, c, c->start, c->end);
		if (err)
			goto err;
	}
	*out = n;
	return 0;

err:
	mm_destroy(n);
	return err;
}

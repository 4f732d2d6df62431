// SPDX-License-Identifier: Apache-2.0
/*
 * brk.c: the program break. The heap is one anonymous VMA from brk_start
 * that grows in place (its page record is reallocated), so a program that
 * grows its heap in many small steps keeps one mapping, as on Linux.
 */
#include "sentry/arch/layout.h"

#include "abi/linux/errno.h"

#include "internal.h"

#define HEAP_FLAGS	(MAP_PRIVATE | MAP_ANONYMOUS)
#define HEAP_PROT	(PROT_READ | PROT_WRITE)

/* The heap VMA ending at @end, if it can simply be extended. */
static struct vma *heap_vma(struct mm *mm, uaddr_t end)
{
	struct vma *v;

	if (end <= mm->brk_start)
		return NULL;
	v = mm_find_vma(mm, end - 1);
	if (!v || v->end != end || v->start < mm->brk_start || v->file ||
	    v->flags != HEAP_FLAGS || v->prot != HEAP_PROT)
		return NULL;
	return v;
}

static int brk_grow(struct mm *mm, uaddr_t old_end, uaddr_t new_end)
{
	struct vma *v;
	int err;

	if (!mm_range_free(mm, old_end, new_end))
		return -ENOMEM;
	v = heap_vma(mm, old_end);
	if (v) {
		err = vma_extend(v, new_end);
		if (err)
			return err;
	} else {
		v = vma_new(old_end, new_end, HEAP_PROT, HEAP_FLAGS, NULL, 0);
		if (!v)
			return -ENOMEM;
		vma_insert(mm, v);
	}
	/* best effort, as mmap: what memory cannot back now faults in later */
	if (vma_eager(v, (new_end - old_end) >> PAGE_SHIFT))
		vma_populate(mm, v, old_end, new_end);
	return 0;
}

uaddr_t mm_brk(struct mm *mm, uaddr_t newbrk)
{
	uaddr_t old_end = PAGE_ALIGN(mm->brk), new_end = PAGE_ALIGN(newbrk);
	int err = 0;

	if (newbrk < mm->brk_start || newbrk > USER_VA_END)
		return mm->brk;
	if (new_end > old_end)
		err = brk_grow(mm, old_end, new_end);
	else if (new_end < old_end)
		err = mm_remove_range(mm, new_end, old_end);
	if (err)
		return mm->brk;
	mm->brk = newbrk;
	return newbrk;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * fault.c: page faults the app takes on memory its VMAs allow but that is
 * not populated yet (lazy mappings, pages dropped by MADV_DONTNEED), and
 * writes to private pages still shared since a fork (copy-on-write).
 * Anything else is the app's bug: the caller turns -EFAULT into SIGSEGV.
 */
#include "sentry/page_alloc.h"
#include "sentry/platform.h"

#include "abi/linux/errno.h"

#include "internal.h"

#define TRAP_PAGE_FAULT	14	/* x86 #PF, as fault_info.trapno reports it */

/* The aligned fault-around window of @page, within @v. */
static void fault_window(const struct vma *v, uaddr_t page, uaddr_t *lo, uaddr_t *hi)
{
	const uaddr_t window = MM_FAULT_AROUND_PAGES << PAGE_SHIFT;

	*lo = MAX(v->start, page & ~(window - 1));
	*hi = MIN(v->end, (page & ~(window - 1)) + window);
}

int vma_fault_in(struct mm *mm, struct vma *v, uaddr_t addr)
{
	uaddr_t page = addr & PAGE_MASK, lo, hi;
	size_t below;

	if (v->flags & MAP_GROWSDOWN) {
		/* a stack grows down page after page: take the next ones too */
		below = MIN(vma_index(v, page), (size_t)MM_STACK_FAULT_PAGES - 1);
		lo = page - (below << PAGE_SHIFT);
		hi = page + PAGE_SIZE;
	} else {
		fault_window(v, page, &lo, &hi);
	}
	if (vma_populate(mm, v, lo, hi) == 0)
		return 0;
	return vma_populate(mm, v, page, page + PAGE_SIZE);
}

int vma_fault_write(struct mm *mm, struct vma *v, uaddr_t addr)
{
	uaddr_t page = addr & PAGE_MASK, lo, hi;

	if (!vma_private(v) || !page_shared(vma_page(v, page)))
		return 0;
	/* the neighbours are likely written next: copy the window at once */
	fault_window(v, page, &lo, &hi);
	if (vma_unshare(mm, v, lo, hi) == 0)
		return 0;
	return vma_unshare(mm, v, page, page + PAGE_SIZE);
}

int mm_handle_fault(struct mm *mm, const struct fault_info *fault)
{
	uaddr_t page = fault->addr & PAGE_MASK;
	struct vma *v;

	if (fault->trapno != TRAP_PAGE_FAULT)
		return -EFAULT;
	v = mm_find_vma(mm, fault->addr);
	if (!v || !vma_allows(v, fault->write, fault->exec))
		return -EFAULT;
	if (!vma_page(v, page))
		return vma_fault_in(mm, v, fault->addr);
	if (fault->write && vma_private(v) && page_shared(vma_page(v, page)))
		return vma_fault_write(mm, v, fault->addr);
	/*
	 * Populated and allowed: the page was copy-on-write and its other
	 * sharers are gone, or the platform lost the mapping. Map it as it is.
	 */
	return vma_remap(mm, v, page, page + PAGE_SIZE);
}

int mm_shared_phys(struct mm *mm, uaddr_t addr, paddr_t *pa)
{
	struct vma *v = mm_find_vma(mm, addr);
	int err;

	if (!v || vma_private(v) || !(v->prot & PROT_RWX))
		return -ENOENT;
	if (!vma_page(v, addr & PAGE_MASK)) {
		err = vma_fault_in(mm, v, addr);
		if (err)
			return err;
	}
	*pa = vma_page(v, addr & PAGE_MASK) + (addr & ~PAGE_MASK);
	return 0;
}

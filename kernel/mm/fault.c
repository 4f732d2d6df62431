// SPDX-License-Identifier: Apache-2.0
/*
 * fault.c: page faults the app takes on memory its VMAs allow but that is
 * not populated yet (lazy mappings, pages dropped by MADV_DONTNEED).
 * Anything else is the app's bug: the caller turns -EFAULT into SIGSEGV.
 */
#include "sentry/platform.h"

#include "abi/linux/errno.h"

#include "internal.h"

#define TRAP_PAGE_FAULT	14	/* x86 #PF, as fault_info.trapno reports it */

int vma_fault_in(struct mm *mm, struct vma *v, uaddr_t addr)
{
	const uaddr_t window = MM_FAULT_AROUND_PAGES << PAGE_SHIFT;
	uaddr_t page = addr & PAGE_MASK, lo, hi;
	size_t below;

	if (v->flags & MAP_GROWSDOWN) {
		/* a stack grows down page after page: take the next ones too */
		below = MIN(vma_index(v, page), (size_t)MM_STACK_FAULT_PAGES - 1);
		lo = page - (below << PAGE_SHIFT);
		hi = page + PAGE_SIZE;
	} else {
		lo = MAX(v->start, page & ~(window - 1));
		hi = MIN(v->end, (page & ~(window - 1)) + window);
	}
	if (vma_populate(mm, v, lo, hi) == 0)
		return 0;
	return vma_populate(mm, v, page, page + PAGE_SIZE);
}

int mm_handle_fault(struct mm *mm, const struct fault_info *fault)
{
	uaddr_t page = fault->addr & PAGE_MASK;
	struct vma *v;
	paddr_t pa;

	if (fault->trapno != TRAP_PAGE_FAULT)
		return -EFAULT;
	v = mm_find_vma(mm, fault->addr);
	if (!v || !vma_allows(v, fault->write, fault->exec))
		return -EFAULT;
	pa = vma_page(v, page);
	/* populated and allowed: the platform lost the mapping; give it back */
	if (pa)
		return plat_as_map(mm->as, page, pa, PAGE_SIZE, v->prot & PROT_RWX);
	return vma_fault_in(mm, v, fault->addr);
}

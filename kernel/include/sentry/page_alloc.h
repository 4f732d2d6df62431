/* SPDX-License-Identifier: Apache-2.0 */
/*
 * page_alloc.h: the physical page allocator (kernel/mm/page_alloc.c), core.
 * Manages guest RAM [start, end) as given by the boot info. Pages handed out
 * are zero-filled. Single CPU for now: no locking.
 */
#ifndef SENTRY_PAGE_ALLOC_H
#define SENTRY_PAGE_ALLOC_H

#include "sentry/types.h"

/** page_alloc_init() - manage physical [@start, @end) (page-aligned). */
int page_alloc_init(paddr_t start, paddr_t end);

/**
 * page_alloc_run() - allocate up to @npages physically contiguous pages,
 * at least 1. *@got receives how many were allocated (the run may be shorter
 * than asked when memory is fragmented). Return: the first page's address,
 * or 0 when no page is free.
 */
paddr_t page_alloc_run(size_t npages, size_t *got);

/** page_alloc_run_uninit() - page_alloc_run() without zeroing: for callers that overwrite every byte. */
paddr_t page_alloc_run_uninit(size_t npages, size_t *got);

/** page_alloc() - one zeroed page, or 0 when out of memory. */
paddr_t page_alloc(void);

/**
 * page_ref_get() - one more user of the in-use page @pa (a shared mapping
 * in two processes); each page_free*() of it then drops one user, the last
 * frees it. Return: 0, -ENOMEM, or -EAGAIN past 255 users.
 */
int page_ref_get(paddr_t pa);

/**
 * page_pin() - make the in-use page @pa permanent and shared by any number
 * of users (the vDSO's pages, mapped into every process): page_ref_get()
 * and page_free*() of it do nothing from now on, page_shared() is true (so a
 * private mapping of it is copy-on-write). Return: 0 or -ENOMEM.
 */
int page_pin(paddr_t pa);

/** page_shared() - does the in-use page @pa have more than one user? */
bool page_shared(paddr_t pa);

/** page_free_run() - give back @npages pages starting at @pa (see page_ref_get). */
void page_free_run(paddr_t pa, size_t npages);

/** page_free() - give back one page. */
void page_free(paddr_t pa);

/** page_alloc_stats() - pages in use / total. */
void page_alloc_stats(size_t *used, size_t *total);

#endif /* SENTRY_PAGE_ALLOC_H */

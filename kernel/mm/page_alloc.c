// SPDX-License-Identifier: Apache-2.0
/*
 * page_alloc.c: the physical page allocator. One bit per page of the RAM
 * range (1 = in use); the bitmap itself lives in the first pages of that
 * range. Runs are found first-fit from the lowest page that may be free:
 * consecutive allocations come out physically contiguous (the app's
 * mappings need few plat_as_map() calls) and freed pages are used again
 * before untouched ones, so the host backs no more RAM than the sandbox's
 * high-water mark. Pages are zeroed when handed out unless the caller
 * overwrites them (page_alloc_run_uninit).
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include "sentry/bug.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"

#define BITS	64

/* pg.refs value of a pinned page (page_pin): shared by all, never freed. */
#define REFS_PINNED	UINT8_MAX

static struct {
	uint64_t *map;		/* bit i: page base + i * PAGE_SIZE is in use */
	paddr_t base;
	size_t npages;
	size_t nwords;
	size_t used;
	size_t hint;		/* no page below it is free */
	uint8_t *refs;		/* per page: references beyond the first (shared
				 * pages); kzalloc'd on the first page_ref_get() */
} pg;

static bool page_used(size_t i)
{
	return pg.map[i / BITS] & (1ULL << (i % BITS));
}

static void mark_range(size_t i, size_t n, bool used)
{
	for (size_t end = i + n; i < end;) {
		if (i % BITS == 0 && end - i >= BITS) {
			pg.map[i / BITS] = used ? ~0ULL : 0;
			i += BITS;
			continue;
		}
		if (used)
			pg.map[i / BITS] |= 1ULL << (i % BITS);
		else
			pg.map[i / BITS] &= ~(1ULL << (i % BITS));
		i++;
	}
}

/* First page in [@i, @limit) whose bit equals @used, else @limit. */
static size_t find_bit(size_t i, size_t limit, bool used)
{
	while (i < limit) {
		uint64_t w = pg.map[i / BITS];

		if (!used)
			w = ~w;
		w &= ~0ULL << (i % BITS);
		i &= ~(size_t)(BITS - 1);
		if (w)
			return MIN(limit, i + (size_t)__builtin_ctzll(w));
		i += BITS;
	}
	return limit;
}

int page_alloc_init(paddr_t start, paddr_t end)
{
	size_t mapbytes, mappages;

	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || end <= start)
		return -EINVAL;
	pg.base = start;
	pg.npages = (end - start) >> PAGE_SHIFT;
	pg.nwords = (pg.npages + BITS - 1) / BITS;
	mapbytes = pg.nwords * sizeof(uint64_t);
	mappages = PAGE_ALIGN(mapbytes) >> PAGE_SHIFT;
	if (mappages >= pg.npages)
		return -ENOMEM;
	pg.map = plat_phys_to_virt(start);
	memset(pg.map, 0, mapbytes);
	/* the bits past the last page read as used, so no search returns them */
	if (pg.npages % BITS)
		pg.map[pg.nwords - 1] = ~0ULL << (pg.npages % BITS);
	mark_range(0, mappages, true);
	pg.used = mappages;
	/* physical address 0 means "not populated" in the VMAs: never hand it out */
	if (start == 0)
		BUG_ON(!page_used(0));
	pg.hint = mappages;
	pr_debug("%zu pages at 0x%lx, bitmap %zu pages", pg.npages,
		 (unsigned long)start, mappages);
	return 0;
}

/*
 * Search [@from, @to) for a free run of @want pages; runs may extend past
 * @to. Remember the longest shorter run in *@best_*; return true on a full one.
 */
static bool scan(size_t from, size_t to, size_t want, size_t *best_start,
		 size_t *best_len)
{
	size_t s, e;

	for (s = find_bit(from, to, false); s < to; s = find_bit(e, to, false)) {
		e = find_bit(s, MIN(pg.npages, s + want), true);
		if (e - s > *best_len) {
			*best_start = s;
			*best_len = e - s;
			if (e - s == want)
				return true;
		}
	}
	return false;
}

paddr_t page_alloc_run_uninit(size_t npages, size_t *got)
{
	size_t start = 0, len = 0;
	paddr_t pa;

	*got = 0;
	if (!npages || !pg.map)
		return 0;
	npages = MIN(npages, pg.npages);
	scan(pg.hint, pg.npages, npages, &start, &len);
	if (!len)
		return 0;
	mark_range(start, len, true);
	pg.used += len;
	if (start == pg.hint)
		pg.hint = start + len;
	pa = pg.base + ((paddr_t)start << PAGE_SHIFT);
	plat_phys_populate(pa, len << PAGE_SHIFT);	/* one host step, not a fault a page */
	*got = len;
	return pa;
}

paddr_t page_alloc_run(size_t npages, size_t *got)
{
	paddr_t pa = page_alloc_run_uninit(npages, got);

	if (pa)
		memset(plat_phys_to_virt(pa), 0, *got << PAGE_SHIFT);
	return pa;
}

paddr_t page_alloc(void)
{
	size_t got;

	return page_alloc_run(1, &got);
}

void page_free_run(paddr_t pa, size_t npages)
{
	size_t i = (pa - pg.base) >> PAGE_SHIFT;

	BUG_ON(!PAGE_ALIGNED(pa) || pa < pg.base || i >= pg.npages ||
	       npages > pg.npages - i);
	for (size_t k = 0; k < npages; k++)
		BUG_ON(!page_used(i + k));	/* double free */
	if (pg.refs) {
		for (size_t k = 0; k < npages; k++) {
			if (pg.refs[i + k] == REFS_PINNED)
				continue;
			if (pg.refs[i + k]) {	/* still shared: one user less */
				pg.refs[i + k]--;
				continue;
			}
			mark_range(i + k, 1, false);
			pg.used--;
		}
	} else {
		mark_range(i, npages, false);
		pg.used -= npages;
	}
	if (i < pg.hint)
		pg.hint = i;
}

/*
 * The extra-reference count of @pa, a page in use (the counts are made on
 * the first call). Return: a pointer to it, or NULL when out of memory.
 */
static uint8_t *refs_of(paddr_t pa)
{
	size_t i = (pa - pg.base) >> PAGE_SHIFT;

	BUG_ON(!PAGE_ALIGNED(pa) || pa < pg.base || i >= pg.npages || !page_used(i));
	if (!pg.refs)
		pg.refs = kzalloc(pg.npages);
	return pg.refs ? &pg.refs[i] : NULL;
}

int page_ref_get(paddr_t pa)
{
	uint8_t *refs = refs_of(pa);

	if (!refs)
		return -ENOMEM;
	if (*refs == REFS_PINNED)
		return 0;
	if (*refs == REFS_PINNED - 1)
		return -EAGAIN;	/* 255 sharers: enough for any sandbox */
	(*refs)++;
	return 0;
}

int page_pin(paddr_t pa)
{
	uint8_t *refs = refs_of(pa);

	if (!refs)
		return -ENOMEM;
	*refs = REFS_PINNED;
	return 0;
}

bool page_shared(paddr_t pa)
{
	size_t i = (pa - pg.base) >> PAGE_SHIFT;

	BUG_ON(!PAGE_ALIGNED(pa) || pa < pg.base || i >= pg.npages || !page_used(i));
	return pg.refs && pg.refs[i];
}

void page_free(paddr_t pa)
{
	page_free_run(pa, 1);
}

void page_alloc_stats(size_t *used, size_t *total)
{
	*used = pg.used;
	*total = pg.npages;
}

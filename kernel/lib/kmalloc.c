// SPDX-License-Identifier: Apache-2.0
/*
 * kmalloc.c: the guest sentry's heap, over page_alloc and the direct map.
 * (Hosted builds use libc's malloc instead: vmm/core_libc.c.)
 *
 * Every block has a 16-byte header just below the pointer handed out, so
 * kfree() knows what it frees:
 *
 *   small (<= 4080 bytes): size classes of 32..4096 bytes including the
 *          header; pages are carved into blocks of one class and never
 *          given back; a free list per class.
 *   big:   a physically contiguous run of whole pages, header at its start,
 *          returned to page_alloc on kfree.
 */
#include "sentry/bug.h"
#include "sentry/kmalloc.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#define KM_MAGIC	0x6b6d616cU	/* "kmal": a live block */
#define KM_FREED	0x66726565U	/* "free": catches double frees */
#define KM_MIN_SHIFT	5		/* smallest class: 32 bytes */
#define KM_NCLASSES	(PAGE_SHIFT - KM_MIN_SHIFT + 1)	/* 32 .. 4096 */
#define KM_BIG_MAX	(1UL << 40)	/* larger requests fail outright */

struct kmhdr {
	uint32_t magic;
	uint32_t npages;	/* 0: a size-class block; else the pages of its run */
	uint64_t info;		/* the class index, or the run's physical address */
};

_Static_assert(sizeof(struct kmhdr) == 16, "the header keeps blocks 16-byte aligned");

/* A free small block: the link lives in the payload, the header stays KM_FREED. */
struct kmfree {
	struct kmfree *next;
};

static struct kmfree *free_lists[KM_NCLASSES];

static unsigned int size_class(size_t total)
{
	unsigned int c = 0;

	while ((1UL << (c + KM_MIN_SHIFT)) < total)
		c++;
	return c;
}

/* Carve a fresh page into blocks of class @c. Return: false when out of memory. */
static bool refill(unsigned int c)
{
	size_t size = 1UL << (c + KM_MIN_SHIFT);
	paddr_t pa = page_alloc();
	char *page;

	if (!pa)
		return false;
	page = plat_phys_to_virt(pa);
	for (size_t off = 0; off + size <= PAGE_SIZE; off += size) {
		struct kmhdr *h = (struct kmhdr *)(page + off);
		struct kmfree *b = (struct kmfree *)(h + 1);

		h->magic = KM_FREED;
		b->next = free_lists[c];
		free_lists[c] = b;
	}
	return true;
}

static void *alloc_big(size_t size)
{
	size_t n = PAGE_ALIGN(size + sizeof(struct kmhdr)) >> PAGE_SHIFT, got;
	struct kmhdr *h;
	paddr_t pa;

	pa = page_alloc_run(n, &got);
	if (!pa)
		return NULL;
	if (got < n) {
		page_free_run(pa, got);	/* no run that long: fragmented or full */
		return NULL;
	}
	h = plat_phys_to_virt(pa);
	h->magic = KM_MAGIC;
	h->npages = (uint32_t)n;
	h->info = pa;
	return h + 1;
}

void *kmalloc(size_t size)
{
	size_t total = size + sizeof(struct kmhdr);
	struct kmhdr *h;
	unsigned int c;

	if (size > KM_BIG_MAX)
		return NULL;
	if (total > PAGE_SIZE)
		return alloc_big(size);
	c = size_class(total);
	if (!free_lists[c] && !refill(c))
		return NULL;
	h = (struct kmhdr *)free_lists[c] - 1;
	free_lists[c] = free_lists[c]->next;
	h->magic = KM_MAGIC;
	h->npages = 0;
	h->info = c;
	return h + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct kmfree *b = p;
	struct kmhdr *h;

	if (!p)
		return;
	h = (struct kmhdr *)p - 1;
	BUG_ON(h->magic != KM_MAGIC);	/* a double free or a wild pointer */
	h->magic = KM_FREED;
	if (h->npages) {
		page_free_run(h->info, h->npages);
		return;
	}
	BUG_ON(h->info >= KM_NCLASSES);
	b->next = free_lists[h->info];
	free_lists[h->info] = b;
}

char *kstrdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = kmalloc(len);

	if (p)
		memcpy(p, s, len);
	return p;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * vdso.c: the vDSO and its [vvar] page in every process.
 *
 * vdso_init() copies the image into pinned pages and fills a pinned [vvar]
 * page with the platform's clock formula; exec maps both into each new
 * address space (vdso_map) as ordinary private VMAs over those pages, so a
 * fork shares them, munmap and mremap work as on any mapping, and a write
 * after mprotect copies the page for that process alone. Physical memory:
 * one page of [vvar] plus the image (one page), for all processes.
 *
 * The sentry never reads its clocks back from [vvar]: the app can read the
 * page (and, after mprotect, own a writable copy of it), so what the
 * sentry relies on stays in the platform's private copy of the formula.
 */
#define pr_fmt(fmt) "vdso: " fmt

#include "sentry/arch/layout.h"
#include "sentry/arch/vvar.h"

#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/vdso.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

#define VDSO_MAX_PAGES	4	/* a bigger image is a build mistake */

static struct {
	paddr_t vvar;			/* 0: no vDSO */
	paddr_t image[VDSO_MAX_PAGES];
	size_t npages;
} vd;

/* Fill the new [vvar] page at @pa from the platform's clocks. */
static void vvar_fill(paddr_t pa)
{
	volatile struct vvar *page = plat_phys_to_virt(pa);
	struct vvar v;

	if (!plat_clock_vvar(&v))
		pr_debug("the TSC is unfit for clocks: the vDSO makes syscalls");
	vvar_write_begin(page);
	page->flags = v.flags;
	page->tsc_base = v.tsc_base;
	page->mult = v.mult;
	page->monotonic_ns = v.monotonic_ns;
	page->realtime_ns = v.realtime_ns;
	vvar_write_end(page);
}

int vdso_init(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image), n, i, got;
	paddr_t pages[1 + VDSO_MAX_PAGES];	/* [vvar], then the image */
	int err = -ENOMEM;

	if (len < 4 || memcmp(vdso_image, "\177ELF", 4) || len > VDSO_MAX_PAGES * PAGE_SIZE)
		return -ENOEXEC;
	n = PAGE_ALIGN(len) >> PAGE_SHIFT;
	for (got = 0; got <= n; got++) {
		pages[got] = page_alloc();
		if (!pages[got])
			goto err;
	}
	for (i = 0; i < n; i++)
		memcpy(plat_phys_to_virt(pages[1 + i]), vdso_image + i * PAGE_SIZE,
		       MIN(PAGE_SIZE, len - i * PAGE_SIZE));
	vvar_fill(pages[0]);
	for (i = 0; i <= n; i++) {
		err = page_pin(pages[i]);
		if (err)
			goto err;	/* only the first can fail: page_pin() of none yet */
	}
	vd.vvar = pages[0];
	memcpy(vd.image, pages + 1, n * sizeof(paddr_t));
	vd.npages = n;
	return 0;

err:
	while (got-- > 0)
		page_free(pages[got]);
	return err;
}

int vdso_map(struct mm *mm, uaddr_t *ehdr)
{
	uaddr_t image = USER_VDSO_VA + PAGE_SIZE;
	int err;

	*ehdr = 0;
	if (!vd.vvar)
		return 0;
	err = mm_map_pinned(mm, USER_VDSO_VA, &vd.vvar, 1, PROT_READ, VMA_VVAR);
	if (!err)
		err = mm_map_pinned(mm, image, vd.image, vd.npages, PROT_READ | PROT_EXEC,
				    VMA_VDSO);
	if (!err)
		*ehdr = image;
	return err;
}

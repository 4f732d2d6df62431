// SPDX-License-Identifier: Apache-2.0
/*
 * vdso_test.c: the clock formula (sentry/arch/vvar.h) and the vDSO's pages
 * in address spaces (kernel/vdso.c, mm_map_pinned).
 */
#include <string.h>

#include "sentry/arch/layout.h"
#include "sentry/arch/vvar.h"

#include "sentry/page_alloc.h"
#include "sentry/vdso.h"

#include "abi/linux/errno.h"

#include "mm_fixture.h"

TestSuite(vdso, .init = mm_fixture_setup, .fini = mm_fixture_teardown);

static size_t pages_used(void)
{
	size_t used, total;

	page_alloc_stats(&used, &total);
	return used;
}

Test(vdso, the_formula_runs_each_clock_from_its_base_at_the_tsc_rate)
{
	struct vvar v = {
		.flags = VVAR_F_TSC, .tsc_base = 1000, .mult = vvar_mult_for_khz(2000000),
		.monotonic_ns = 5000, .realtime_ns = 1700000000000000000LL,
	};

	/* 2 GHz: 2 * 10^9 cycles are one second */
	cr_assert_eq(vvar_clock_at(&v, VVAR_CLOCK_MONOTONIC, 1000 + 2000000000ULL),
		     5000 + 1000000000LL);
	cr_assert_eq(vvar_clock_at(&v, VVAR_CLOCK_BOOTTIME, 1000 + 2000000000ULL),
		     5000 + 1000000000LL);
	cr_assert_eq(vvar_clock_at(&v, VVAR_CLOCK_REALTIME_COARSE, 1000 + 2000000000ULL),
		     1700000000000000000LL + 1000000000LL);
	cr_assert_eq(vvar_clock_at(&v, VVAR_CLOCK_MONOTONIC, 900), 5000,
		     "a TSC behind the base counts as the base");
	cr_assert(!vvar_clock_ok(2) && !vvar_clock_ok(3) && !vvar_clock_ok(8),
		  "CPU-time and alarm clocks are the syscall's");
}

Test(vdso, a_page_without_the_tsc_flag_sends_readers_to_the_syscall)
{
	struct vvar v = { .tsc_base = 1, .mult = 1 };
	int64_t ns = -1;

	cr_assert(!vvar_read_clock(&v, VVAR_CLOCK_MONOTONIC, &ns));
	v.flags = VVAR_F_TSC;
	cr_assert(vvar_read_clock(&v, VVAR_CLOCK_MONOTONIC, &ns));
	cr_assert_geq(ns, 0);
}

Test(vdso, exec_maps_vvar_and_the_image_shared_by_every_process)
{
	struct vma *vv, *img;
	struct mm *child;
	uaddr_t ehdr = 1, again;
	size_t before;
	char magic[4];

	cr_assert_eq(vdso_map(mm, &ehdr), 0);
	cr_assert_eq(ehdr, 0, "no vDSO before vdso_init()");
	cr_assert_eq(vdso_init(), 0);
	before = pages_used();
	cr_assert_eq(vdso_map(mm, &ehdr), 0);
	cr_assert_eq(ehdr, USER_VDSO_VA + PAGE_SIZE);
	vv = mm_find_vma(mm, USER_VDSO_VA);
	img = mm_find_vma(mm, ehdr);
	cr_assert(vv && (vv->flags & VMA_VVAR) && vv->prot == PROT_READ);
	cr_assert(img && (img->flags & VMA_VDSO) && img->prot == (PROT_READ | PROT_EXEC));
	cr_assert_eq(mm_copy_from(mm, magic, ehdr, 4), 0);
	cr_assert_eq(memcmp(magic, "\177ELF", 4), 0, "the image is the embedded ELF");
	cr_assert_eq(vdso_map(mm, &again), -EEXIST, "not twice in one address space");

	cr_assert_eq(mm_fork(mm, &child), 0);
	cr_assert_eq(mm_find_vma(child, ehdr)->pages[0], img->pages[0], "a fork shares the page");
	mm_destroy(child);
	cr_assert_eq(mm_munmap(mm, USER_VDSO_VA, 2 * PAGE_SIZE), 0);
	cr_assert_eq(pages_used(), before, "the pinned pages stay, with nothing else");
}

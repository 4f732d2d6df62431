// SPDX-License-Identifier: Apache-2.0
/* mmap_test.c: mmap, munmap, mprotect, madvise on the VMA list (kernel/mm/). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "sentry/page_alloc.h"

#include "abi/linux/errno.h"

#include "mm_fixture.h"

#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)

TestSuite(mmap, .init = mm_fixture_setup, .fini = mm_fixture_teardown);

static bool mapped(uaddr_t va, unsigned int *prot)
{
	return fake_as_lookup(mm->as, va, NULL, prot);
}

static long map_fixed(uaddr_t addr, size_t len, unsigned int prot)
{
	return mm_mmap(mm, addr, len, prot, ANON | MAP_FIXED, NULL, 0);
}

Test(mmap, anonymous_mapping_is_populated_zeroed_with_one_map_call)
{
	unsigned long calls = fake_as_map_calls(mm->as);
	long addr = mm_mmap(mm, 0, P(16), RW, ANON, NULL, 0);
	char buf[P(16)];
	struct fault_info f;
	unsigned int prot;

	cr_assert_gt(addr, 0);
	cr_assert_eq(addr % PAGE_SIZE, 0);
	cr_assert((uaddr_t)addr + P(16) <= USER_MMAP_BASE, "placed top-down below mmap_base");
	cr_assert_eq(fake_as_map_calls(mm->as), calls + 1, "one contiguous run, one plat_as_map");
	for (int i = 0; i < 16; i++) {
		cr_assert(mapped(addr + P(i), &prot));
		cr_assert_eq(prot, RW);
	}
	memset(buf, 0x55, sizeof(buf));
	cr_assert_eq(fake_app_read(mm->as, addr, buf, sizeof(buf), &f), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0);
}

Test(mmap, consecutive_mappings_go_down_without_overlap)
{
	long a = mm_mmap(mm, 0, P(3), RW, ANON, NULL, 0);
	long b = mm_mmap(mm, 0, P(5), RW, ANON, NULL, 0);

	cr_assert_gt(a, 0);
	cr_assert_gt(b, 0);
	cr_assert_eq(b + P(5), a, "the next mapping ends where the previous starts");
	cr_assert_eq(fake_vma_count(mm), 2);
}

Test(mmap, a_free_hint_is_taken_and_a_busy_one_is_not)
{
	cr_assert_eq(mm_mmap(mm, BASE + 123, P(2), RW, ANON, NULL, 0), (long)(BASE + P(1)),
		     "a hint is rounded up to a page");
	long b = mm_mmap(mm, BASE, P(2), RW, ANON, NULL, 0);

	cr_assert_gt(b, 0);
	cr_assert_neq(b, (long)BASE);
}

struct bad_mmap {
	uaddr_t addr;
	size_t len;
	unsigned int prot, flags;
	long err;
};

ParameterizedTestParameters(mmap, bad_arguments_are_refused)
{
	static struct bad_mmap cases[] = {
		{ 0, 0, RW, ANON, -EINVAL },				/* length 0 */
		{ BASE + 1, P(1), RW, ANON | MAP_FIXED, -EINVAL },	/* unaligned fixed */
		{ BASE + 1, P(1), RW, ANON | MAP_FIXED_NOREPLACE, -EINVAL },
		{ 0, P(1), 0x10, ANON, -EINVAL },			/* unknown prot bit */
		{ 0, P(1), RW, MAP_ANONYMOUS, -EINVAL },		/* neither shared nor private */
		{ 0, P(1), RW, MAP_ANONYMOUS | 0xf, -EINVAL },		/* bad type */
		{ 0, P(1), RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x400000, -EOPNOTSUPP },
		{ PAGE_SIZE, P(1), RW, ANON | MAP_FIXED, -EPERM },	/* below mmap_min_addr */
		{ USER_VA_END - P(1), P(2), RW, ANON | MAP_FIXED, -ENOMEM },	/* past user space */
		{ 0, ~0UL - 100, RW, ANON, -ENOMEM },			/* absurd length */
		{ 0, P(1), RW, MAP_PRIVATE, -EBADF },			/* file mapping without a file */
		{ 0, P(1), RW, ANON | MAP_HUGETLB, -ENOMEM },		/* no huge pages */
	};

	return cr_make_param_array(struct bad_mmap, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct bad_mmap *c, mmap, bad_arguments_are_refused)
{
	cr_assert_eq(mm_mmap(mm, c->addr, c->len, c->prot, c->flags, NULL, 0), c->err,
		     "addr 0x%lx len 0x%zx prot 0x%x flags 0x%x", (unsigned long)c->addr,
		     c->len, c->prot, c->flags);
	cr_assert_eq(fake_vma_count(mm), 0);
}

Test(mmap, fixed_noreplace_refuses_overlap_and_takes_free_space)
{
	cr_assert_eq(map_fixed(BASE, P(4), RW), (long)BASE);
	cr_assert_eq(mm_mmap(mm, BASE + P(3), P(2), RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0), -EEXIST);
	cr_assert_eq(mm_mmap(mm, BASE + P(4), P(2), RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0),
		     (long)(BASE + P(4)));
}

Test(mmap, fixed_replaces_the_middle_of_a_mapping)
{
	char one = 1, got;
	unsigned int prot;

	cr_assert_eq(map_fixed(BASE, P(4), RW), (long)BASE);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(mm_copy_to(mm, BASE + P(i), &one, 1), 0);
	cr_assert_eq(map_fixed(BASE + P(1), P(2), PROT_READ), (long)(BASE + P(1)));
	cr_assert_eq(fake_vma_count(mm), 3);
	cr_assert_eq(mm_copy_from(mm, &got, BASE + P(1), 1), 0);
	cr_assert_eq(got, 0, "the new mapping is fresh memory");
	cr_assert_eq(mm_copy_from(mm, &got, BASE + P(3), 1), 0);
	cr_assert_eq(got, 1, "the rest of the old mapping is intact");
	cr_assert(mapped(BASE + P(2), &prot));
	cr_assert_eq(prot, PROT_READ);
}

Test(mmap, munmap_splits_the_middle_and_frees_its_page)
{
	size_t before;

	cr_assert_eq(map_fixed(BASE, P(3), RW), (long)BASE);
	before = fake_free_pages();
	cr_assert_eq(mm_munmap(mm, BASE + P(1), P(1)), 0);
	cr_assert_eq(fake_vma_count(mm), 2);
	cr_assert_eq(fake_free_pages(), before + 1);
	cr_assert(mapped(BASE, NULL));
	cr_assert_not(mapped(BASE + P(1), NULL));
	cr_assert(mapped(BASE + P(2), NULL));
	cr_assert_null(mm_find_vma(mm, BASE + P(1)));
	cr_assert_eq(mm_find_vma(mm, BASE + P(2))->start, BASE + P(2));
}

Test(mmap, munmap_across_several_mappings_and_holes)
{
	size_t before = fake_free_pages();

	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE);
	cr_assert_eq(map_fixed(BASE + P(4), P(2), RW), (long)(BASE + P(4)));
	cr_assert_eq(mm_munmap(mm, BASE + P(1), P(4)), 0);
	cr_assert_eq(fake_vma_count(mm), 2);
	cr_assert_eq(mm_find_vma(mm, BASE)->end, BASE + P(1));
	cr_assert_eq(mm_find_vma(mm, BASE + P(5))->start, BASE + P(5));
	cr_assert_eq(mm_munmap(mm, BASE, P(8)), 0);
	cr_assert_eq(fake_vma_count(mm), 0);
	cr_assert_eq(fake_free_pages(), before, "every page came back");
	cr_assert_eq(fake_as_pages(mm->as), 0);
}

Test(mmap, munmap_checks_its_arguments)
{
	cr_assert_eq(mm_munmap(mm, BASE + 1, P(1)), -EINVAL);
	cr_assert_eq(mm_munmap(mm, BASE, 0), -EINVAL);
	cr_assert_eq(mm_munmap(mm, USER_VA_END - P(1), P(2)), -EINVAL);
	cr_assert_eq(mm_munmap(mm, BASE, P(1)), 0, "nothing mapped there is fine");
	cr_assert_eq(fake_as_unmap_calls(mm->as), 0, "and costs no platform call");
}

Test(mmap, mprotect_splits_and_remaps_with_the_new_protection)
{
	unsigned int prot;
	char c = 'x';

	cr_assert_eq(map_fixed(BASE, P(4), RW), (long)BASE);
	cr_assert_eq(mm_mprotect(mm, BASE + P(1), P(2), PROT_READ), 0);
	cr_assert_eq(fake_vma_count(mm), 3);
	cr_assert(mapped(BASE + P(1), &prot));
	cr_assert_eq(prot, PROT_READ);
	cr_assert(mapped(BASE + P(3), &prot));
	cr_assert_eq(prot, RW);
	cr_assert_eq(mm_copy_to(mm, BASE + P(2), &c, 1), -EFAULT);
	cr_assert_eq(mm_copy_to(mm, BASE + P(3), &c, 1), 0);
	cr_assert_eq(mm_mprotect(mm, BASE, P(4), RW), 0);
	cr_assert_eq(mm_copy_to(mm, BASE + P(2), &c, 1), 0);
}

Test(mmap, mprotect_refuses_holes_and_bad_arguments)
{
	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE);
	cr_assert_eq(mm_mprotect(mm, BASE, P(3), PROT_READ), -ENOMEM);
	cr_assert_eq(fake_vma_count(mm), 1, "nothing was changed");
	cr_assert_eq(mm_mprotect(mm, BASE + 1, P(1), PROT_READ), -EINVAL);
	cr_assert_eq(mm_mprotect(mm, BASE, P(1), 0x40), -EINVAL);
	cr_assert_eq(mm_mprotect(mm, BASE, 0, PROT_READ), 0);
}

Test(mmap, prot_none_is_lazy_and_populated_when_made_accessible)
{
	char c = 7;

	cr_assert_eq(map_fixed(BASE, P(4), PROT_NONE), (long)BASE);
	cr_assert_eq(fake_as_pages(mm->as), 0);
	cr_assert_eq(mm_copy_from(mm, &c, BASE, 1), -EFAULT);
	cr_assert_eq(mm_mprotect(mm, BASE, P(4), RW), 0);
	cr_assert_eq(fake_as_pages(mm->as), 4);
	cr_assert_eq(mm_copy_to(mm, BASE, &c, 1), 0);
}

Test(mmap, noreserve_mappings_are_populated_on_demand)
{
	long a = mm_mmap(mm, 0, P(8), RW, ANON | MAP_NORESERVE, NULL, 0);

	cr_assert_gt(a, 0);
	cr_assert_eq(fake_as_pages(mm->as), 0);
}

Test(mmap, huge_mappings_overcommit)
{
	/* more than half the free RAM: left to demand faults, mmap still succeeds */
	long a = mm_mmap(mm, 0, 48UL << 20, RW, ANON, NULL, 0);

	cr_assert_gt(a, 0);
	cr_assert_eq(fake_as_pages(mm->as), 0);
}

Test(mmap, map_populate_forces_population)
{
	cr_assert_gt(mm_mmap(mm, 0, P(3), RW, ANON | MAP_NORESERVE | MAP_POPULATE, NULL, 0), 0);
	cr_assert_eq(fake_as_pages(mm->as), 3);
}

Test(mmap, out_of_memory_while_populating_falls_back_to_demand)
{
	size_t got;
	paddr_t hog = page_alloc_run(fake_free_pages(), &got);

	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE);
	cr_assert_eq(fake_as_pages(mm->as), 0);
	page_free_run(hog, got);
}

Test(mmap, a_platform_failure_undoes_the_mapping)
{
	size_t before = fake_free_pages();

	fake_as_fail_maps(-ENOMEM, 1);
	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE, "ENOMEM: overcommit");
	fake_as_fail_maps(-EIO, 1);
	cr_assert_eq(map_fixed(BASE + P(8), P(2), RW), -EIO);
	cr_assert_null(mm_find_vma(mm, BASE + P(8)));
	cr_assert_eq(fake_free_pages(), before);
}

Test(mmap, madvise_dontneed_gives_zero_pages_back)
{
	size_t before;
	char c = 9;

	cr_assert_eq(map_fixed(BASE, P(4), RW), (long)BASE);
	cr_assert_eq(mm_copy_to(mm, BASE + P(1), &c, 1), 0);
	before = fake_free_pages();
	cr_assert_eq(mm_madvise(mm, BASE, P(2), MADV_DONTNEED), 0);
	cr_assert_eq(fake_free_pages(), before + 2);
	cr_assert_not(mapped(BASE + P(1), NULL));
	cr_assert(mapped(BASE + P(2), NULL));
	cr_assert_eq(mm_copy_from(mm, &c, BASE + P(1), 1), 0);
	cr_assert_eq(c, 0, "the next touch reads zero");
}

Test(mmap, madvise_checks_advice_and_range)
{
	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), 1000), -EINVAL);
	cr_assert_eq(mm_madvise(mm, BASE + 1, P(1), MADV_DONTNEED), -EINVAL);
	cr_assert_eq(mm_madvise(mm, BASE, P(3), MADV_DONTNEED), -ENOMEM);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), MADV_FREE), 0);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), MADV_WILLNEED), 0);
	cr_assert_eq(mm_madvise(mm, BASE, 0, MADV_DONTNEED), 0);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), 25 /* MADV_COLLAPSE */), 0);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), 26), -EINVAL);
	cr_assert_eq(mm_madvise(mm, BASE, P(2), 9 /* MADV_REMOVE */), -EINVAL,
		     "REMOVE needs a shared mapping");
}

Test(mmap, madvise_dontneed_locked_drops_pages_too)
{
	char c = 9;

	cr_assert_eq(map_fixed(BASE, P(2), RW), (long)BASE);
	cr_assert_eq(mm_copy_to(mm, BASE, &c, 1), 0);
	cr_assert_eq(mm_madvise(mm, BASE, P(1), 24 /* MADV_DONTNEED_LOCKED */), 0);
	cr_assert_not(mapped(BASE, NULL));
	cr_assert_eq(mm_copy_from(mm, &c, BASE, 1), 0);
	cr_assert_eq(c, 0);
}

Test(mmap, destroying_the_mm_frees_every_page)
{
	size_t before = fake_free_pages();
	struct mm *m;

	cr_assert_eq(mm_create(&m), 0);
	cr_assert_gt(mm_mmap(m, 0, P(10), RW, ANON, NULL, 0), 0);
	cr_assert_gt(mm_mmap(m, 0, P(3), PROT_READ, ANON, NULL, 0), 0);
	cr_assert_lt(fake_free_pages(), before);
	mm_destroy(m);
	cr_assert_eq(fake_free_pages(), before);
}

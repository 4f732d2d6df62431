// SPDX-License-Identifier: Apache-2.0
/* page_alloc_test.c: the physical page allocator (kernel/mm/page_alloc.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "sentry/page_alloc.h"
#include "sentry/platform.h"

#include "fake/fake.h"

TestSuite(page_alloc, .init = fake_boot);

Test(page_alloc, hands_out_zeroed_aligned_pages_inside_ram)
{
	paddr_t pa = page_alloc();

	cr_assert_neq(pa, 0);
	cr_assert_eq(pa % PAGE_SIZE, 0);
	cr_assert(pa >= FAKE_RAM_START && pa < FAKE_RAM_SIZE);
	memset(plat_phys_to_virt(pa), 0xaa, PAGE_SIZE);
	page_free(pa);
	/* the allocator reuses the page later; it must come back zeroed */
	for (int i = 0; i < 20000; i++) {
		paddr_t p = page_alloc();

		if (!p)
			break;
		if (p == pa) {
			const char *v = plat_phys_to_virt(p);

			for (size_t k = 0; k < PAGE_SIZE; k++)
				cr_assert_eq(v[k], 0);
			return;
		}
	}
	cr_assert_fail("the freed page never came back");
}

Test(page_alloc, runs_are_contiguous_and_accounted)
{
	size_t before = fake_free_pages(), got;
	paddr_t pa = page_alloc_run(100, &got);

	cr_assert_neq(pa, 0);
	cr_assert_eq(got, 100);
	cr_assert_eq(fake_free_pages(), before - 100);
	page_free_run(pa, got);
	cr_assert_eq(fake_free_pages(), before);
}

Test(page_alloc, zero_pages_asked_gives_nothing)
{
	size_t got = 7;

	cr_assert_eq(page_alloc_run(0, &got), 0);
	cr_assert_eq(got, 0);
}

Test(page_alloc, exhaustion_returns_zero_and_frees_make_room)
{
	size_t total_free = fake_free_pages(), got, n = 0;
	paddr_t pa, first = 0;

	while ((pa = page_alloc_run(1024, &got)) != 0) {
		cr_assert(pa != 0);
		if (!first)
			first = pa;
		n += got;
	}
	cr_assert_eq(n, total_free);
	cr_assert_eq(fake_free_pages(), 0);
	cr_assert_eq(page_alloc(), 0, "an empty allocator returns 0, the never-valid address");
	page_free(first);
	cr_assert_eq(page_alloc(), first);
}

Test(page_alloc, fragmented_memory_gives_the_longest_shorter_run)
{
	size_t got, total_free = fake_free_pages();
	paddr_t all = page_alloc_run(total_free, &got);

	cr_assert_eq(got, total_free);
	/* free a 3-page and a 5-page hole */
	page_free_run(all + 10 * PAGE_SIZE, 3);
	page_free_run(all + 100 * PAGE_SIZE, 5);
	cr_assert_eq(page_alloc_run(8, &got), all + 100 * PAGE_SIZE);
	cr_assert_eq(got, 5);
	cr_assert_eq(page_alloc_run(8, &got), all + 10 * PAGE_SIZE);
	cr_assert_eq(got, 3);
	cr_assert_eq(page_alloc_run(8, &got), 0);
}

Test(page_alloc, a_full_run_is_preferred_over_an_earlier_short_one)
{
	size_t got;
	paddr_t a = page_alloc_run(4, &got), b, c;

	b = page_alloc_run(1, &got);
	page_free_run(a, 4);	/* a 4-page hole before b */
	c = page_alloc_run(16, &got);
	cr_assert_eq(got, 16);
	cr_assert(c > b, "the 16-page run comes from after the 4-page hole");
}

Test(page_alloc, physical_zero_is_never_handed_out)
{
	size_t got;
	paddr_t pa;

	/* manage RAM from address 0: page 0 must stay reserved */
	cr_assert_eq(page_alloc_init(0, 1UL << 20), 0);
	while ((pa = page_alloc_run(3, &got)) != 0)
		cr_assert_neq(pa, 0);
}

Test(page_alloc, rejects_unaligned_or_empty_ranges)
{
	cr_assert_eq(page_alloc_init(100, 1UL << 20), -22);
	cr_assert_eq(page_alloc_init(PAGE_SIZE, PAGE_SIZE), -22);
	cr_assert_eq(page_alloc_init(PAGE_SIZE, 2 * PAGE_SIZE), -12, "no room beside the bitmap");
}

Test(page_alloc, double_free_is_a_bug, .signal = SIGABRT)
{
	paddr_t pa = page_alloc();

	page_free(pa);
	page_free(pa);
}

Test(page_alloc, freed_pages_come_back_first)
{
	paddr_t a = page_alloc(), b = page_alloc();

	cr_assert(a && b);
	page_free(a);
	cr_assert_eq(page_alloc(), a, "the lowest free page is reused before fresh ones");
	page_free(a);
	page_free(b);
}

Test(page_alloc, a_shared_page_is_freed_by_its_last_user)
{
	size_t used0, used1, total;
	paddr_t pa = page_alloc();

	cr_assert_neq(pa, 0);
	page_alloc_stats(&used0, &total);
	cr_assert_eq(page_ref_get(pa), 0);
	cr_assert_eq(page_ref_get(pa), 0);
	page_free(pa);
	page_free(pa);
	page_alloc_stats(&used1, &total);
	cr_assert_eq(used1, used0, "two of three users gone: still in use");
	page_free(pa);
	page_alloc_stats(&used1, &total);
	cr_assert_eq(used1, used0 - 1, "the last user frees it");
}

Test(page_alloc, a_pinned_page_has_any_number_of_users_and_stays)
{
	size_t used0, used1, total;
	paddr_t pa = page_alloc();

	cr_assert_neq(pa, 0);
	cr_assert_eq(page_pin(pa), 0);
	page_alloc_stats(&used0, &total);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(page_ref_get(pa), 0, "no limit on the users of a pinned page");
	for (int i = 0; i < 2000; i++)
		page_free(pa);
	page_alloc_stats(&used1, &total);
	cr_assert_eq(used1, used0, "a pinned page is never freed");
	cr_assert(page_shared(pa), "a pinned page counts as shared (copy-on-write)");
}

Test(page_alloc, an_ordinary_page_has_at_most_255_users)
{
	paddr_t pa = page_alloc();
	int i;

	cr_assert_neq(pa, 0);
	for (i = 0; i < 300 && page_ref_get(pa) == 0; i++)
		;
	cr_assert_eq(i, 254, "the owner plus 254 references");
	cr_assert_eq(page_ref_get(pa), -EAGAIN);
	for (; i >= 0; i--)
		page_free(pa);
}

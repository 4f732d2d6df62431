// SPDX-License-Identifier: Apache-2.0
/* brk_test.c: the program break (kernel/mm/brk.c). */
#include <criterion/criterion.h>

#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/task.h"

#include "abi/linux/mman.h"

#include "fake/fake.h"

#define START	0x600000UL
#define P(n)	((n) * PAGE_SIZE)

static struct task *t;
static struct mm *mm;

static void setup(void)
{
	fake_boot();
	t = fake_task_new();
	mm = t->mm;
	mm->brk_start = mm->brk = START;
}

static void teardown(void)
{
	fake_task_free(t);
}

TestSuite(brk, .init = setup, .fini = teardown);

Test(brk, zero_asks_for_the_current_break)
{
	cr_assert_eq(mm_brk(mm, 0), START);
}

Test(brk, grows_with_zeroed_populated_pages)
{
	uaddr_t end = START + 10000;
	char buf[10000];
	struct fault_info f;

	cr_assert_eq(mm_brk(mm, end), end);
	cr_assert_eq(fake_as_pages(mm->as), 3);
	cr_assert_eq(fake_app_read(mm->as, START, buf, sizeof(buf), &f), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0);
}

Test(brk, growing_in_steps_keeps_one_mapping)
{
	for (int i = 1; i <= 10; i++)
		cr_assert_eq(mm_brk(mm, START + P(i) - 7), START + P(i) - 7);
	cr_assert_eq(fake_vma_count(mm), 1);
	cr_assert_eq(mm->vmas->end, START + P(10));
	cr_assert_eq(fake_as_pages(mm->as), 10);
}

Test(brk, shrinking_frees_and_regrowing_reads_zero)
{
	size_t used0, used1, total;
	char c = 5;

	cr_assert_eq(mm_brk(mm, START + P(4)), START + P(4));
	cr_assert_eq(mm_copy_to(mm, START + P(3), &c, 1), 0);
	page_alloc_stats(&used0, &total);
	cr_assert_eq(mm_brk(mm, START + 100), START + 100);
	page_alloc_stats(&used1, &total);
	cr_assert_eq(used1, used0 - 3);
	cr_assert_not(fake_as_lookup(mm->as, START + P(1), NULL, NULL));
	cr_assert_eq(mm_brk(mm, START + P(4)), START + P(4));
	cr_assert_eq(mm_copy_from(mm, &c, START + P(3), 1), 0);
	cr_assert_eq(c, 0);
}

Test(brk, never_goes_below_its_start)
{
	cr_assert_eq(mm_brk(mm, START + P(1)), START + P(1));
	cr_assert_eq(mm_brk(mm, START - 1), START + P(1));
	cr_assert_eq(mm_brk(mm, START), START);
	cr_assert_eq(fake_vma_count(mm), 0);
}

Test(brk, does_not_run_into_another_mapping)
{
	uaddr_t wall = START + P(8);

	cr_assert_eq(mm_mmap(mm, wall, P(1), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			     NULL, 0),
		     (long)wall);
	cr_assert_eq(mm_brk(mm, wall), wall, "right up to it is fine");
	cr_assert_eq(mm_brk(mm, wall + 1), wall, "one byte more is refused");
	cr_assert_eq(mm->brk, wall);
}

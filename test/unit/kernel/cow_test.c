// SPDX-License-Identifier: Apache-2.0
/* cow_test.c: fork shares private pages copy-on-write (kernel/mm/fork.c, fault.c). */
#include <string.h>

#include "sentry/page_alloc.h"

#include "abi/linux/errno.h"

#include "mm_fixture.h"

TestSuite(cow, .init = mm_fixture_setup, .fini = mm_fixture_teardown);

static size_t pages_used(void)
{
	size_t used, total;

	page_alloc_stats(&used, &total);
	return used;
}

/* The physical page and protection of @va in @as; it must be mapped. */
static paddr_t mapped(struct plat_as *as, uaddr_t va, unsigned int *prot)
{
	paddr_t pa = 0;

	cr_assert(fake_as_lookup(as, va, &pa, prot), "0x%lx is mapped", (unsigned long)va);
	return pa;
}

/* Write @c at @va as the app would, taking the fault the MMU gives first. */
static void app_write(struct mm *m, uaddr_t va, char c)
{
	struct fault_info f;

	if (fake_app_write(m->as, va, &c, 1, &f) == 0)
		return;
	cr_assert_eq(mm_handle_fault(m, &f), 0);
	cr_assert_eq(fake_app_write(m->as, va, &c, 1, &f), 0, "the retry succeeds");
}

static char app_read(struct mm *m, uaddr_t va)
{
	struct fault_info f;
	char c = 0;

	cr_assert_eq(fake_app_read(m->as, va, &c, 1, &f), 0);
	return c;
}

/* A private mapping too big to be copied at the fork (MM_FORK_COPY_PAGES). */
#define NPAGES	128

static struct mm *fork_filled(void)
{
	const size_t npages = NPAGES;
	struct mm *child;

	map(BASE, P(npages), RW, 0);
	for (size_t i = 0; i < npages; i++)
		app_write(mm, BASE + P(i), (char)('a' + i));
	cr_assert_eq(mm_fork(mm, &child), 0);
	return child;
}

Test(cow, fork_copies_no_page_and_maps_both_read_only)
{
	size_t before, after;
	unsigned int prot;
	struct mm *child;

	map(BASE, P(256), RW, 0);
	before = pages_used();
	cr_assert_eq(mm_fork(mm, &child), 0);
	after = pages_used();
	cr_assert_lt(after - before, 8, "256 resident pages, %zu new", after - before);
	cr_assert_eq(mapped(child->as, BASE + P(9), &prot), mapped(mm->as, BASE + P(9), NULL));
	cr_assert_eq(prot, PROT_READ);
	mapped(mm->as, BASE + P(9), &prot);
	cr_assert_eq(prot, PROT_READ, "the parent's writable page is copy-on-write too");
	mm_destroy(child);
}

Test(cow, a_write_copies_its_window_and_leaves_the_other_process_alone)
{
	struct mm *child = fork_filled();
	size_t before = pages_used();
	unsigned int prot;

	app_write(child, BASE + P(20), 'X');
	cr_assert_eq(pages_used() - before, 16, "the aligned 64 KiB window: pages 16..31");
	cr_assert_eq(app_read(child, BASE + P(20)), 'X');
	cr_assert_eq(app_read(mm, BASE + P(20)), 'a' + 20);
	cr_assert_neq(mapped(child->as, BASE + P(17), &prot), mapped(mm->as, BASE + P(17), NULL));
	cr_assert_eq(prot, RW);
	cr_assert_eq(mapped(child->as, BASE + P(32), &prot), mapped(mm->as, BASE + P(32), NULL));
	cr_assert_eq(prot, PROT_READ, "outside the window still shared");
	mm_destroy(child);
}

Test(cow, a_small_writable_mapping_is_copied_at_the_fork)
{
	unsigned int prot;
	struct mm *child;

	map(BASE, P(4), RW, 0);
	cr_assert_eq(mm_fork(mm, &child), 0);
	cr_assert_neq(mapped(child->as, BASE, &prot), mapped(mm->as, BASE, NULL));
	cr_assert_eq(prot, RW, "its first write costs no fault");
	mapped(mm->as, BASE, &prot);
	cr_assert_eq(prot, RW);
	mm_destroy(child);
}

Test(cow, read_only_private_pages_are_shared)
{
	unsigned int prot;
	struct mm *child;

	map(BASE, P(4), PROT_READ, MAP_POPULATE);
	cr_assert_eq(mm_fork(mm, &child), 0);
	cr_assert_eq(mapped(child->as, BASE, &prot), mapped(mm->as, BASE, NULL));
	cr_assert_eq(prot, PROT_READ);
	mm_destroy(child);
}

Test(cow, the_last_sharer_writes_in_place)
{
	struct mm *child = fork_filled();
	paddr_t pa = mapped(mm->as, BASE, NULL);
	size_t before;
	unsigned int prot;

	mm_destroy(child);
	before = pages_used();
	app_write(mm, BASE, 'Z');
	cr_assert_eq(pages_used(), before, "no copy once nobody else has the page");
	cr_assert_eq(mapped(mm->as, BASE, &prot), pa);
	cr_assert_eq(prot, RW);
}

Test(cow, a_user_copy_into_a_shared_page_gives_the_writer_its_own)
{
	struct mm *child = fork_filled();
	char back = 0;

	cr_assert_eq(mm_copy_to(child, BASE + P(2), "k", 1), 0);
	cr_assert_eq(mm_copy_from(child, &back, BASE + P(2), 1), 0);
	cr_assert_eq(back, 'k');
	cr_assert_eq(app_read(child, BASE + P(2)), 'k', "the app sees the sentry's write");
	cr_assert_eq(mm_copy_from(mm, &back, BASE + P(2), 1), 0);
	cr_assert_eq(back, 'a' + 2, "the parent does not");
	mm_destroy(child);
}

Test(cow, mprotect_keeps_shared_pages_read_only)
{
	struct mm *child = fork_filled();
	unsigned int prot;

	cr_assert_eq(mm_mprotect(child, BASE, P(4), PROT_READ), 0);
	cr_assert_eq(mm_mprotect(child, BASE, P(4), RW), 0);
	mapped(child->as, BASE, &prot);
	cr_assert_eq(prot, PROT_READ, "mprotect(RW) must not open a shared page for writing");
	app_write(child, BASE, 'w');
	cr_assert_eq(app_read(mm, BASE), 'a');
	mm_destroy(child);
}

Test(cow, shared_anonymous_memory_stays_shared_and_writable)
{
	struct mm *child;
	unsigned int prot;

	cr_assert_eq(mm_mmap(mm, BASE, P(2), RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     (long)BASE);
	cr_assert_eq(mm_fork(mm, &child), 0);
	cr_assert_eq(mapped(child->as, BASE, &prot), mapped(mm->as, BASE, NULL));
	cr_assert_eq(prot, RW);
	app_write(child, BASE, 's');
	cr_assert_eq(app_read(mm, BASE), 's');
	mm_destroy(child);
}

Test(cow, a_copy_that_finds_no_memory_is_enomem_and_changes_nothing)
{
	struct mm *child = fork_filled();
	struct fault_info f;
	size_t got;
	char c = 'x';

	/* take every free page */
	while (page_alloc_run(1 << 20, &got))
		;
	cr_assert_eq(fake_app_write(child->as, BASE, &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(child, &f), -ENOMEM);
	cr_assert_eq(app_read(child, BASE), 'a');
	cr_assert_eq(app_read(mm, BASE), 'a');
	mm_destroy(child);
}

Test(cow, madv_populate_write_copies_the_shared_pages)
{
	struct mm *child = fork_filled();
	unsigned int prot;

	cr_assert_eq(mm_madvise(child, BASE + P(40), P(2), 23 /* MADV_POPULATE_WRITE */), 0);
	cr_assert_neq(mapped(child->as, BASE + P(41), &prot), mapped(mm->as, BASE + P(41), NULL));
	cr_assert_eq(prot, RW);
	cr_assert_eq(app_read(child, BASE + P(41)), (char)('a' + 41));
	mm_destroy(child);
}

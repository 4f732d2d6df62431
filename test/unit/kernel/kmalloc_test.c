// SPDX-License-Identifier: Apache-2.0
/*
 * kmalloc_test.c: the guest heap (kernel/lib/kmalloc.c). Hosted builds use
 * libc's malloc, so the guest file is compiled in here under other names,
 * over the fake RAM and the real page allocator.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#define kmalloc guest_kmalloc
#define kzalloc guest_kzalloc
#define kfree guest_kfree
#define kstrdup guest_kstrdup
#include "../../../kernel/lib/kmalloc.c"
#undef kmalloc
#undef kzalloc
#undef kfree
#undef kstrdup

#include "fake/fake.h"

TestSuite(kmalloc, .init = fake_boot);

Test(kmalloc, small_blocks_are_aligned_distinct_and_reused)
{
	char *a = guest_kmalloc(1), *b = guest_kmalloc(24), *c = guest_kmalloc(1000);

	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_not_null(c);
	cr_assert_eq((uintptr_t)a % 16, 0);
	cr_assert_eq((uintptr_t)b % 16, 0);
	cr_assert_eq((uintptr_t)c % 16, 0);
	cr_assert_neq(a, b);
	memset(c, 0xee, 1000);
	guest_kfree(c);
	cr_assert_eq(guest_kmalloc(900), c, "a freed block of the class comes back first");
	guest_kfree(a);
	guest_kfree(b);
	guest_kfree(NULL);
}

Test(kmalloc, blocks_of_one_class_do_not_overlap)
{
	char *p[300];

	for (int i = 0; i < 300; i++) {
		p[i] = guest_kmalloc(100);
		cr_assert_not_null(p[i]);
		memset(p[i], i, 100);
	}
	for (int i = 0; i < 300; i++)
		for (int k = 0; k < 100; k++)
			cr_assert_eq((unsigned char)p[i][k], (unsigned char)i);
	for (int i = 0; i < 300; i++)
		guest_kfree(p[i]);
}

Test(kmalloc, big_blocks_are_page_runs_given_back_on_free)
{
	size_t before = fake_free_pages();
	char *p = guest_kmalloc(3 * PAGE_SIZE);

	cr_assert_not_null(p);
	cr_assert_eq((uintptr_t)p % 16, 0);
	cr_assert_eq(fake_free_pages(), before - 4, "3 pages and the header");
	memset(p, 1, 3 * PAGE_SIZE);
	guest_kfree(p);
	cr_assert_eq(fake_free_pages(), before);
}

Test(kmalloc, kzalloc_zeroes_a_reused_block)
{
	char *p = guest_kmalloc(200);

	memset(p, 0x5a, 200);
	guest_kfree(p);
	p = guest_kzalloc(200);
	for (int i = 0; i < 200; i++)
		cr_assert_eq(p[i], 0);
	guest_kfree(p);
}

Test(kmalloc, kstrdup_copies)
{
	char *s = guest_kstrdup("sentry");

	cr_assert_str_eq(s, "sentry");
	guest_kfree(s);
}

Test(kmalloc, out_of_memory_is_null)
{
	size_t got;
	paddr_t hog = page_alloc_run(fake_free_pages(), &got);

	cr_assert_null(guest_kmalloc(2 * PAGE_SIZE));
	cr_assert_null(guest_kmalloc(16));
	cr_assert_null(guest_kmalloc(~0UL));
	page_free_run(hog, got);
}

Test(kmalloc, double_free_is_a_bug, .signal = SIGABRT)
{
	char *p = guest_kmalloc(64);

	guest_kfree(p);
	guest_kfree(p);
}

// SPDX-License-Identifier: Apache-2.0
/* fault_test.c: demand faults (kernel/mm/fault.c) as the app would take them. */
#include <string.h>

#include "abi/linux/errno.h"

#include "mm_fixture.h"

TestSuite(fault, .init = mm_fixture_setup, .fini = mm_fixture_teardown);

Test(fault, a_lazy_page_faults_in_and_the_app_retries)
{
	struct fault_info f;
	int v = 42, back = 0;

	map(BASE, P(8), RW, MAP_NORESERVE);
	cr_assert_eq(fake_app_write(mm->as, BASE + P(3) + 8, &v, sizeof(v), &f), -1);
	cr_assert_eq(f.addr, BASE + P(3) + 8);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_as_pages(mm->as), 8, "the whole (small) mapping: fault-around");
	cr_assert_eq(fake_as_map_calls(mm->as), 1);
	cr_assert_eq(fake_app_write(mm->as, BASE + P(3) + 8, &v, sizeof(v), &f), 0);
	cr_assert_eq(mm_copy_from(mm, &back, BASE + P(3) + 8, sizeof(back)), 0);
	cr_assert_eq(back, 42, "the sentry sees what the app wrote");
}

Test(fault, fault_around_takes_the_aligned_window_within_the_mapping)
{
	struct fault_info f;
	char c;

	map(BASE, P(40), RW, MAP_NORESERVE);
	cr_assert_eq(fake_app_read(mm->as, BASE + P(35), &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_as_pages(mm->as), 8, "pages 32..39: the window ends with the VMA");
	cr_assert(fake_as_lookup(mm->as, BASE + P(32), NULL, NULL));
	cr_assert_not(fake_as_lookup(mm->as, BASE + P(31), NULL, NULL));
	cr_assert_eq(fake_app_read(mm->as, BASE + P(17), &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_as_pages(mm->as), 24, "then pages 16..31");
	cr_assert_not(fake_as_lookup(mm->as, BASE + P(15), NULL, NULL));
}

Test(fault, a_stack_fault_populates_the_pages_below_too)
{
	struct fault_info f;
	char c;

	map(BASE, P(64), RW, MAP_GROWSDOWN);
	cr_assert_eq(fake_as_pages(mm->as), 0);
	cr_assert_eq(fake_app_read(mm->as, BASE + P(63), &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_as_pages(mm->as), 16);
	cr_assert_eq(fake_as_map_calls(mm->as), 1);
	cr_assert(fake_as_lookup(mm->as, BASE + P(48), NULL, NULL));
	cr_assert_not(fake_as_lookup(mm->as, BASE + P(47), NULL, NULL));
}

Test(fault, a_stack_fault_near_the_bottom_stays_inside_the_vma)
{
	struct fault_info f;
	char c;

	map(BASE, P(64), RW, MAP_GROWSDOWN);
	cr_assert_eq(fake_app_read(mm->as, BASE + P(2), &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_as_pages(mm->as), 3);
}

Test(fault, no_mapping_is_efault)
{
	struct fault_info f = { .addr = BASE, .trapno = 14, .signo = 11 };

	cr_assert_eq(mm_handle_fault(mm, &f), -EFAULT);
}

Test(fault, writing_read_only_memory_is_efault)
{
	struct fault_info f;
	char c = 1;

	map(BASE, P(1), PROT_READ, 0);
	cr_assert_eq(fake_app_write(mm->as, BASE, &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), -EFAULT);
}

Test(fault, any_access_to_prot_none_is_efault)
{
	struct fault_info f;
	char c;

	map(BASE, P(1), PROT_NONE, 0);
	cr_assert_eq(fake_app_read(mm->as, BASE, &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), -EFAULT);
	cr_assert_eq(fake_as_pages(mm->as), 0);
}

Test(fault, fetching_from_non_executable_memory_is_efault)
{
	struct fault_info f = { .addr = BASE, .trapno = 14, .exec = true, .signo = 11 };

	map(BASE, P(1), RW, MAP_NORESERVE);
	cr_assert_eq(mm_handle_fault(mm, &f), -EFAULT);
	map(BASE + P(1), P(1), PROT_READ | PROT_EXEC, MAP_NORESERVE);
	f.addr = BASE + P(1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
}

Test(fault, traps_other_than_page_faults_are_not_fixed)
{
	struct fault_info f = { .addr = BASE, .trapno = 6, .signo = 4 };	/* #UD */

	map(BASE, P(1), RW, MAP_NORESERVE);
	cr_assert_eq(mm_handle_fault(mm, &f), -EFAULT);
}

Test(fault, a_populated_page_the_platform_lost_is_mapped_again)
{
	struct fault_info f;
	char c;

	map(BASE, P(1), RW, 0);
	cr_assert_eq(plat_as_unmap(mm->as, BASE, P(1)), 0);
	cr_assert_eq(fake_app_read(mm->as, BASE, &c, 1, &f), -1);
	cr_assert_eq(mm_handle_fault(mm, &f), 0);
	cr_assert_eq(fake_app_read(mm->as, BASE, &c, 1, &f), 0);
}

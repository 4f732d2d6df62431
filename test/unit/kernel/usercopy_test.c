// SPDX-License-Identifier: Apache-2.0
/* usercopy_test.c: copies between the sentry and app memory (kernel/mm/usercopy.c). */
#include <string.h>

#include "abi/linux/errno.h"

#include "mm_fixture.h"

TestSuite(usercopy, .init = mm_fixture_setup, .fini = mm_fixture_teardown);

Test(usercopy, round_trip_across_pages_and_mappings)
{
	char out[3 * 4096], in[sizeof(out)];
	struct fault_info f;

	map(BASE, P(2), RW, 0);
	map(BASE + P(2), P(2), RW, MAP_NORESERVE);
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7);
	cr_assert_eq(copy_to_user(BASE + 100, out, sizeof(out)), 0);
	cr_assert_eq(copy_from_user(in, BASE + 100, sizeof(in)), 0);
	cr_assert_arr_eq(in, out, sizeof(in));
	memset(in, 0, sizeof(in));
	cr_assert_eq(fake_app_read(mm->as, BASE + 100, in, sizeof(in), &f), 0,
		     "the app sees the pages the copy populated");
	cr_assert_arr_eq(in, out, sizeof(in));
}

Test(usercopy, unmapped_memory_is_efault_after_the_good_part)
{
	char buf[2 * 4096];

	map(BASE, P(1), RW, 0);
	memset(buf, 'a', sizeof(buf));
	cr_assert_eq(copy_to_user(BASE + P(1) - 10, buf, 20), -EFAULT);
	cr_assert_eq(copy_from_user(buf, BASE + 10, P(1)), -EFAULT);
	cr_assert_eq(copy_to_user(0, buf, 1), -EFAULT);
	cr_assert_eq(copy_to_user(BASE, buf, 0), 0, "nothing to copy is never a fault");
}

Test(usercopy, protections_are_honoured)
{
	char c = 1;

	map(BASE, P(1), PROT_READ, 0);
	map(BASE + P(1), P(1), PROT_NONE, 0);
	map(BASE + P(2), P(1), PROT_WRITE, 0);
	map(BASE + P(3), P(1), PROT_EXEC, 0);
	cr_assert_eq(copy_to_user(BASE, &c, 1), -EFAULT);
	cr_assert_eq(copy_from_user(&c, BASE, 1), 0);
	cr_assert_eq(copy_from_user(&c, BASE + P(1), 1), -EFAULT);
	cr_assert_eq(copy_to_user(BASE + P(1), &c, 1), -EFAULT);
	cr_assert_eq(copy_to_user(BASE + P(2), &c, 1), 0);
	cr_assert_eq(copy_from_user(&c, BASE + P(2), 1), 0, "x86: writable implies readable");
	cr_assert_eq(copy_from_user(&c, BASE + P(3), 1), 0, "x86: executable implies readable");
	cr_assert_eq(clear_user(BASE, 1), -EFAULT);
}

Test(usercopy, mm_zero_writes_whatever_the_protection)
{
	char c = 3;

	map(BASE, P(1), RW, 0);
	cr_assert_eq(copy_to_user(BASE + 5, &c, 1), 0);
	cr_assert_eq(mm_mprotect(mm, BASE, P(1), PROT_READ), 0);
	cr_assert_eq(mm_zero(mm, BASE, 16), 0);
	cr_assert_eq(copy_from_user(&c, BASE + 5, 1), 0);
	cr_assert_eq(c, 0);
}

Test(usercopy, clear_user_zeroes)
{
	char buf[64];

	map(BASE, P(1), RW, 0);
	memset(buf, 'z', sizeof(buf));
	cr_assert_eq(copy_to_user(BASE, buf, sizeof(buf)), 0);
	cr_assert_eq(clear_user(BASE + 8, 16), 0);
	cr_assert_eq(copy_from_user(buf, BASE, sizeof(buf)), 0);
	cr_assert_eq(buf[7], 'z');
	cr_assert_eq(buf[8], 0);
	cr_assert_eq(buf[23], 0);
	cr_assert_eq(buf[24], 'z');
}

Test(usercopy, strings_are_copied_up_to_their_nul)
{
	char s[32];

	map(BASE, P(2), RW, 0);
	cr_assert_eq(copy_to_user(BASE + P(1) - 3, "hello", 6), 0);
	cr_assert_eq(strncpy_from_user(s, BASE + P(1) - 3, sizeof(s)), 5);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(strncpy_from_user(s, BASE + P(1) - 3, 6), 5, "NUL included fits exactly");
	cr_assert_eq(strncpy_from_user(s, BASE + P(1) - 3, 5), -ENAMETOOLONG);
	cr_assert_eq(s[4], '\0', "a too long string comes back terminated");
}

Test(usercopy, a_string_may_end_right_before_unmapped_memory)
{
	char s[64];

	map(BASE, P(1), RW, 0);
	cr_assert_eq(copy_to_user(BASE + P(1) - 4, "abc", 4), 0);
	cr_assert_eq(strncpy_from_user(s, BASE + P(1) - 4, sizeof(s)), 3);
	cr_assert_eq(copy_to_user(BASE + P(1) - 4, "abcd", 4), 0);
	cr_assert_eq(strncpy_from_user(s, BASE + P(1) - 4, sizeof(s)), -EFAULT);
}

Test(usercopy, without_a_current_task_everything_faults)
{
	char c;

	task_set_current(NULL);
	cr_assert_eq(copy_from_user(&c, BASE, 1), -EFAULT);
	task_set_current(t);
}

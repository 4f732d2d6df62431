// SPDX-License-Identifier: Apache-2.0
/* printf_test.c: the core's formatter matches libc's for the formats it supports. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "sentry/string.h"

#define SAME(...)                                                       \
	do {                                                            \
		char a[64], b[64];                                      \
		int na = ksnprintf(a, sizeof(a), __VA_ARGS__);          \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);           \
		cr_assert_str_eq(a, b);                                 \
		cr_assert_eq(na, nb);                                   \
	} while (0)

Test(printf, common_formats_match_libc)
{
	SAME("%d %i %u", -42, 7, 3000000000u);
	SAME("%ld %lu %lx", -1L, 18446744073709551615UL, 0xdeadbeefUL);
	SAME("%zu %x %X", (size_t)123, 0xabc, 0xabc);
	SAME("[%5d] [%-5d] [%05d] [%-3s] [%3s]", 42, 42, -42, "a", "b");
	SAME("%s %c %%", "str", 'c');
	SAME("%.3s|%.*s", "abcdef", 2, "xyz");
	SAME("%016lx", 0x1234UL);
	SAME("%04o %o %lo", 022u, 0755u, 0UL);
}

Test(printf, truncates_and_reports_full_length)
{
	char buf[5];

	cr_assert_eq(ksnprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	cr_assert_str_eq(buf, "hell");
	cr_assert_eq(ksnprintf(NULL, 0, "%d", 12345), 5);
}

// SPDX-License-Identifier: Apache-2.0
/* syscall_table_test.c: invariants of the syscall table. */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/syscall.h"

Test(syscall_table, every_entry_with_a_name_has_a_handler_and_sane_arity)
{
	for (size_t nr = 0; nr < syscall_table_size; nr++) {
		const struct syscall_desc *d = &syscall_table[nr];

		if (!d->name)
			continue;
		cr_assert_not_null(d->fn, "%s has no handler", d->name);
		cr_assert_leq(d->nargs, 6, "%s has %u args", d->name, d->nargs);
		cr_assert_leq(d->status, SYS_PARTIAL);
		if (d->status == SYS_PARTIAL)
			cr_assert_not_null(d->note, "partial %s needs a note", d->name);
		for (size_t i = 0; i < 6; i++)
			cr_assert_leq(d->argfmt[i], ARG_BUF);
	}
}

Test(syscall_table, handlers_are_reached_by_their_linux_number)
{
	/* spot checks against the x86_64 numbers */
	cr_assert_str_eq(syscall_table[0].name, "read");
	cr_assert_str_eq(syscall_table[1].name, "write");
	cr_assert_str_eq(syscall_table[39].name, "getpid");
	cr_assert_str_eq(syscall_table[60].name, "exit");
	cr_assert_str_eq(syscall_table[231].name, "exit_group");
	cr_assert_str_eq(syscall_table[257].name, "openat");
}

Test(syscall_table, names_are_unique)
{
	for (size_t i = 0; i < syscall_table_size; i++) {
		if (!syscall_table[i].name)
			continue;
		for (size_t j = i + 1; j < syscall_table_size; j++)
			if (syscall_table[j].name)
				cr_assert_str_neq(syscall_table[i].name, syscall_table[j].name);
	}
}

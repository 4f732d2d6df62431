// SPDX-License-Identifier: Apache-2.0
/*
 * unimpl.c: syscall numbers that no kernel implements give ENOSYS, and the
 * app goes on. 500 and 1000 are unassigned on x86_64 (the table ends below
 * 470), so native Linux answers the same; 512..547 (x32) are avoided.
 */
#include <errno.h>
#include <unistd.h>

#include "tap.h"

int main(void)
{
	static const long nrs[] = {500, 1000, 0x3fffffff};

	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		errno = 0;
		long r = syscall(nrs[i], 1, 2, 3, 4, 5, 6);

		ok(r == -1 && errno == ENOSYS, "syscall %ld fails with ENOSYS",
		   nrs[i]);
	}
	ok(getpid() > 0, "the app runs on after unknown syscalls");
	return tap_done();
}

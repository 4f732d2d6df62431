// SPDX-License-Identifier: Apache-2.0
/*
 * socket_creat_test.c: net/socket.c (a sandbox without networking says so
 * the way libc fallbacks expect; AF_UNIX works: test/apps/unix.c) and creat(2).
 */
#include <criterion/criterion.h>

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"

#include "fs_fixture.h"

TestSuite(nonet, .init = fx_boot_standard, .fini = fx_teardown);

#define AF_UNIX		1
#define SOCK_STREAM	1

#define AF_INET		2

Test(nonet, only_unix_sockets_exist)
{
	cr_assert_eq(SYS(socket, AF_INET, SOCK_STREAM, 0), -EAFNOSUPPORT);
	cr_assert_eq(SYS(socketpair, AF_INET, SOCK_STREAM, 0, fx_ualloc(8)), -EAFNOSUPPORT);
	cr_assert_geq(SYS(socket, AF_UNIX, SOCK_STREAM, 0), 3);
	cr_assert_eq(SYS(socket, AF_UNIX, 9, 0), -ESOCKTNOSUPPORT);
}

Test(nonet, calls_on_an_fd_say_it_is_not_a_socket)
{
	cr_assert_eq(SYS(getpeername, 0, fx_ualloc(16), fx_ualloc(4)), -ENOTSOCK, "stdin");
	cr_assert_eq(SYS(connect, 1, fx_ualloc(16), 16), -ENOTSOCK);
	cr_assert_eq(SYS(getsockname, 77, fx_ualloc(16), fx_ualloc(4)), -EBADF, "not open");
}

Test(nonet, creat_makes_an_empty_write_only_file)
{
	long fd = SYS(creat, fx_ustr("/tmp/c"), 0640);
	char got[8];

	cr_assert_geq(fd, 3);
	cr_assert_eq(fx_write_str(fd, "abc"), 3);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFL, 0) & O_ACCMODE, O_WRONLY);
	cr_assert_eq(fx_read_str(fd, got, sizeof(got)), -EBADF, "write only");
	cr_assert_eq(SYS(close, A(fd)), 0);
	fd = SYS(creat, fx_ustr("/tmp/c"), 0640);
	cr_assert_geq(fd, 3);
	cr_assert_eq(SYS(lseek, A(fd), 0, 2), 0, "truncated");
}

// SPDX-License-Identifier: Apache-2.0
/* sys_rw_test.c: fs/sys_rw.c and fs/stdio.c: read/write families and lseek. */
#include <criterion/criterion.h>
#include <string.h>

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "fake/fake.h"
#include "fs_fixture.h"

TestSuite(sys_rw, .init = fx_boot_standard, .fini = fx_teardown);

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n";

static long open_(const char *path, int flags)
{
	return SYS(openat, A(AT_FDCWD), fx_ustr(path), A(flags), 0);
}

Test(sys_rw, lseek_and_pread)
{
	long fd = open_("etc/passwd", O_RDONLY);
	uaddr_t buf = fx_ualloc(64);
	char got[64] = { 0 };

	cr_assert_eq(SYS(lseek, A(fd), 5, SEEK_SET), 5);
	cr_assert_eq(SYS(read, A(fd), buf, 2), 2);
	fx_uread(got, buf, 2);
	cr_assert_eq(memcmp(got, "x:", 2), 0);
	cr_assert_eq(SYS(lseek, A(fd), -3, SEEK_CUR), 4);
	cr_assert_eq(SYS(lseek, A(fd), -1, SEEK_END), 29);
	cr_assert_eq(SYS(lseek, A(fd), 100, SEEK_SET), 100, "past the end is allowed");
	cr_assert_eq(SYS(read, A(fd), buf, 2), 0);
	cr_assert_eq(SYS(lseek, A(fd), -1, SEEK_SET), -EINVAL);
	cr_assert_eq(SYS(lseek, A(fd), 0, 7), -EINVAL);
	cr_assert_eq(SYS(lseek, A(fd), 3, 3 /* SEEK_DATA */), 3);
	cr_assert_eq(SYS(lseek, A(fd), 3, 4 /* SEEK_HOLE */), 30);
	cr_assert_eq(SYS(lseek, A(fd), 30, 3), -ENXIO);
	cr_assert_eq(SYS(pread64, A(fd), buf, 4, 11), 4);
	fx_uread(got, buf, 4);
	cr_assert_eq(memcmp(got, "root", 4), 0);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_CUR), 30, "pread keeps the position");
	cr_assert_eq(SYS(pread64, A(fd), buf, 4, A(-1)), -EINVAL);
	cr_assert_eq(SYS(pread64, 0, buf, 4, 0), -ESPIPE);
	cr_assert_eq(SYS(lseek, 1, 0, SEEK_CUR), -ESPIPE);
	cr_assert_eq(SYS(lseek, 99, 0, SEEK_CUR), -EBADF);
	cr_assert_eq(SYS(pwrite64, A(fd), buf, 4, 0), -EBADF, "opened read-only");
}

Test(sys_rw, read_errors)
{
	long fd = open_("etc/passwd", O_RDONLY);
	uaddr_t buf = fx_ualloc(64);

	cr_assert_eq(SYS(write, A(fd), buf, 4), -EBADF);
	cr_assert_eq(SYS(read, A(open_("etc", O_RDONLY)), buf, 4), -EISDIR);
	cr_assert_eq(SYS(read, A(fd), 0x1000, 4), -EFAULT, "unmapped buffer");
	cr_assert_eq(SYS(read, A(fd), buf, 0), 0);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_CUR), 0, "nothing consumed");
}

Test(sys_rw, readv_and_writev)
{
	long fd = open_("etc/passwd", O_RDONLY);
	uaddr_t iov = fx_ualloc(4 * 16), a = fx_ualloc(8), b = fx_ualloc(64);
	uint64_t v[8] = { a, 4, 0, 0, b, 64, 0, 0 };
	char got[64] = { 0 };
	size_t len;

	cr_assert_eq(copy_to_user(iov, v, sizeof(v)), 0);
	cr_assert_eq(SYS(readv, A(fd), iov, 3), 30, "one read across the segments");
	fx_uread(got, a, 4);
	cr_assert_eq(memcmp(got, "root", 4), 0);
	fx_uread(got, b, 26);
	cr_assert_eq(memcmp(got, passwd + 4, 26), 0);
	cr_assert_eq(SYS(readv, A(fd), iov, 1025), -EINVAL);
	cr_assert_eq(SYS(readv, A(fd), iov, 0), 0);
	cr_assert_eq(SYS(readv, A(fd), 0x1000, 2), -EFAULT);

	cr_assert_eq(copy_to_user(a, "abcd", 4), 0);
	cr_assert_eq(copy_to_user(b, "efgh", 4), 0);
	v[5] = 4;
	cr_assert_eq(copy_to_user(iov, v, sizeof(v)), 0);
	cr_assert_eq(SYS(writev, 1, iov, 3), 8);
	cr_assert_str_eq(fake_host_output(1, &len), "abcdefgh");
	v[1] = 1ULL << 63;
	cr_assert_eq(copy_to_user(iov, v, sizeof(v)), 0);
	cr_assert_eq(SYS(writev, 1, iov, 3), -EINVAL, "a negative length");
}

Test(sys_rw, stdio_goes_to_the_host)
{
	uaddr_t buf = fx_ualloc(64);
	char got[64] = { 0 };
	size_t len;

	cr_assert_eq(copy_to_user(buf, "hello\n", 6), 0);
	cr_assert_eq(SYS(write, 1, buf, 6), 6);
	cr_assert_eq(SYS(write, 2, buf, 5), 5);
	cr_assert_str_eq(fake_host_output(1, &len), "hello\n");
	cr_assert_str_eq(fake_host_output(2, &len), "hello");
	fake_host_set_input(0, "typed", 5);
	cr_assert_eq(SYS(read, 0, buf, 64), 5);
	fx_uread(got, buf, 5);
	cr_assert_eq(memcmp(got, "typed", 5), 0);
	cr_assert_eq(SYS(read, 0, buf, 64), 0, "EOF");
	cr_assert_eq(SYS(write, 1, 0x1000, 4), -EFAULT);
}

Test(sys_rw, large_writes_are_split_for_the_host)
{
	size_t n = (1UL << 20) + 100, len;
	uaddr_t buf = fx_ualloc(n);
	char *data = malloc(n);

	memset(data, 'q', n);
	data[n - 1] = 'z';
	cr_assert_eq(copy_to_user(buf, data, n), 0);
	cr_assert_eq(SYS(write, 1, buf, A(n)), (long)n);
	cr_assert_eq(memcmp(fake_host_output(1, &len), data, n), 0);
	cr_assert_eq(len, n);
	free(data);
}

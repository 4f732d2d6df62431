// SPDX-License-Identifier: Apache-2.0
/*
 * dev_pipe_test.c: fs/devfs.c, fs/pipe.c: the /dev nodes and their numbers,
 * reads and writes of null, zero, full and urandom; pipes and memfds.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "fs_fixture.h"

TestSuite(dev, .init = fx_boot_standard, .fini = fx_teardown);
TestSuite(pipe, .init = fx_boot_standard, .fini = fx_teardown);

static struct linux_stat st_;

static long lstat_(const char *path)
{
	uaddr_t u = fx_ualloc(sizeof(st_));
	long err = SYS(lstat, fx_ustr(path), u);

	if (!err)
		fx_uread(&st_, u, sizeof(st_));
	return err;
}

static long fstat_(long fd)
{
	uaddr_t u = fx_ualloc(sizeof(st_));
	long err = SYS(fstat, A(fd), u);

	if (!err)
		fx_uread(&st_, u, sizeof(st_));
	return err;
}

Test(dev, the_devices_have_linux_numbers)
{
	static const struct { const char *name; unsigned int major, minor; } devs[] = {
		{ "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
		{ "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
	};

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		cr_assert_eq(lstat_(devs[i].name), 0, "%s", devs[i].name);
		cr_assert_eq(st_.st_mode, S_IFCHR | 0666, "%s", devs[i].name);
		cr_assert_eq(st_.st_rdev, (devs[i].major << 8) | devs[i].minor, "%s", devs[i].name);
	}
	cr_assert_eq(lstat_("/dev/stdout"), 0);
	cr_assert(S_ISLNK(st_.st_mode));
	cr_assert_eq(lstat_("/dev/fd"), 0);
	cr_assert(S_ISLNK(st_.st_mode));
	cr_assert_eq(fx_open("/dev/tty", O_RDWR, 0), -ENXIO, "no terminal yet");
}

Test(dev, null_zero_full_urandom)
{
	uaddr_t u = fx_ualloc(64);
	char got[64];
	long null = fx_open("/dev/null", O_RDWR, 0), zero = fx_open("/dev/zero", O_RDWR, 0);
	long full = fx_open("/dev/full", O_RDWR, 0), ur = fx_open("/dev/urandom", O_RDONLY, 0);

	cr_assert_eq(fx_write_str(null, "gone"), 4);
	cr_assert_eq(SYS(read, A(null), u, 64), 0, "EOF");
	cr_assert_eq(copy_to_user(u, "xxxxxxxx", 8), 0);
	cr_assert_eq(SYS(read, A(zero), u, 8), 8);
	fx_uread(got, u, 8);
	cr_assert_eq(memcmp(got, "\0\0\0\0\0\0\0\0", 8), 0);
	cr_assert_eq(fx_write_str(zero, "x"), 1);
	cr_assert_eq(fx_write_str(full, "x"), -ENOSPC);
	cr_assert_eq(SYS(read, A(full), u, 4), 4);
	cr_assert_eq(SYS(read, A(ur), u, 64), 64);
	cr_assert_eq(SYS(lseek, A(null), 100, SEEK_SET), 0);
}

Test(dev, shm_is_writable)
{
	char got[16];

	cr_assert_geq(fx_write_str(fx_open("/dev/shm/x", O_WRONLY | O_CREAT, 0600), "shm"), 0);
	cr_assert_str_eq(fx_slurp("/dev/shm/x", got, sizeof(got)), "shm");
}

Test(pipe, a_round_trip)
{
	uaddr_t fds = fx_ualloc(8);
	int fd[2];
	char got[16];

	cr_assert_eq(SYS(pipe2, fds, A(O_CLOEXEC)), 0);
	fx_uread(fd, fds, sizeof(fd));
	cr_assert_eq(fd[0], 3);
	cr_assert_eq(fd[1], 4);
	cr_assert_eq(SYS(fcntl, A(fd[0]), F_GETFD, 0), FD_CLOEXEC);
	cr_assert_eq(SYS(fcntl, A(fd[1]), F_GETFL, 0) & O_ACCMODE, O_WRONLY);
	cr_assert_eq(fx_write_str(fd[1], "ping"), 4);
	cr_assert_eq(fx_read_str(fd[0], got, sizeof(got)), 4);
	cr_assert_str_eq(got, "ping");
	cr_assert_eq(fstat_(fd[0]), 0);
	cr_assert(S_ISFIFO(st_.st_mode));
	cr_assert_eq(fx_write_str(fd[0], "x"), -EBADF, "the read end");
	cr_assert_eq(SYS(lseek, A(fd[0]), 0, SEEK_SET), -ESPIPE);
	cr_assert_eq(fx_read_str(fd[0], got, sizeof(got)), -EDEADLK,
		     "empty with a writer: no other task can ever write");
	cr_assert_eq(SYS(close, A(fd[1])), 0);
	cr_assert_eq(fx_read_str(fd[0], got, sizeof(got)), 0, "no writer: EOF");
}

Test(pipe, a_full_pipe_and_no_reader)
{
	uaddr_t fds = fx_ualloc(8), big = fx_ualloc(70000);
	int fd[2];

	cr_assert_eq(SYS(pipe2, fds, A(O_NONBLOCK)), 0);
	fx_uread(fd, fds, sizeof(fd));
	cr_assert_eq(SYS(write, A(fd[1]), big, 70000), 65536, "what fits");
	cr_assert_eq(SYS(write, A(fd[1]), big, 1), -EAGAIN);
	cr_assert_eq(SYS(read, A(fd[0]), big, 1000), 1000);
	cr_assert_eq(SYS(write, A(fd[1]), big, 2000), -EAGAIN,
		     "up to PIPE_BUF bytes go in whole or not at all");
	cr_assert_eq(SYS(write, A(fd[1]), big, 5000), 1000, "more: what fits, round the ring");
	cr_assert_eq(SYS(read, A(fd[0]), big, 70000), 65536);
	cr_assert_eq(SYS(close, A(fd[0])), 0);
	cr_assert_eq(SYS(write, A(fd[1]), big, 1), -EPIPE);
	cr_assert_eq(SYS(pipe2, fds, A(0x4)), -EINVAL);
}

Test(pipe, memfd_is_an_unnamed_file)
{
	long fd = SYS(memfd_create, fx_ustr("buf"), 1);
	char got[16];

	cr_assert_geq(fd, 3);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFD, 0), FD_CLOEXEC);
	cr_assert_eq(fx_write_str(fd, "memory"), 6);
	cr_assert_eq(SYS(ftruncate, A(fd), 3), 0);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_SET), 0);
	cr_assert_eq(fx_read_str(fd, got, sizeof(got)), 3);
	cr_assert_str_eq(got, "mem");
	cr_assert_eq(fstat_(fd), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0777);
	cr_assert_eq(SYS(memfd_create, fx_ustr("x"), 0x100), -EINVAL);
}

Test(pipe, eventfd_counts)
{
	uaddr_t u = fx_ualloc(8);
	uint64_t v = 5;
	long fd = SYS(eventfd2, 2, A(O_NONBLOCK));

	cr_assert_geq(fd, 3);
	cr_assert_eq(copy_to_user(u, &v, 8), 0);
	cr_assert_eq(SYS(write, A(fd), u, 8), 8);
	cr_assert_eq(SYS(read, A(fd), u, 8), 8);
	fx_uread(&v, u, 8);
	cr_assert_eq(v, 7, "the initial 2 plus 5");
	cr_assert_eq(SYS(read, A(fd), u, 8), -EAGAIN, "taken whole");
	cr_assert_eq(SYS(read, A(fd), u, 4), -EINVAL, "less than 8 bytes");
	fd = SYS(eventfd2, 2, 1);
	cr_assert_eq(SYS(read, A(fd), u, 8), 8);
	fx_uread(&v, u, 8);
	cr_assert_eq(v, 1, "EFD_SEMAPHORE takes one");
	cr_assert_eq(SYS(eventfd2, 0, 0x10), -EINVAL);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * host_test.c: the host services (vmm/host/) on the real host: pipes, files,
 * a pseudo-terminal, the fd allowlist.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sentry/host.h"

#include "abi/linux/arch/stat.h"

#include "../../vmm/host/host_state.h"

static void pipe_allowed(int fds[2])
{
	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(host_fd_allow(fds[0]), 0);
	cr_assert_eq(host_fd_allow(fds[1]), 0);
}

Test(host_io, read_and_write_on_a_pipe)
{
	char buf[16] = "";
	int fds[2];

	pipe_allowed(fds);
	cr_assert_eq(host_write(fds[1], "hello", 5), 5);
	cr_assert_eq(host_read(fds[0], buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, "hello");
	close(fds[1]);
	cr_assert_eq(host_read(fds[0], buf, sizeof(buf)), 0, "EOF");
	close(fds[0]);
}

Test(host_io, errors_are_negative_errno)
{
	char buf[4];
	int fds[2];

	pipe_allowed(fds);
	cr_assert_eq(host_read(fds[1], buf, sizeof(buf)), -EBADF, "write end");
	cr_assert_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	cr_assert_eq(host_read(fds[0], buf, sizeof(buf)), -EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

Test(host_io, fds_outside_the_allowlist_are_refused)
{
	char buf[4];
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(host_write(fds[1], "x", 1), -EBADF);
	cr_assert_eq(host_read(fds[0], buf, 1), -EBADF);
	cr_assert_eq(host_read(-1, buf, 1), -EBADF);
	cr_assert_eq(host_read(HOST_FD_MAX, buf, 1), -EBADF);
	cr_assert_eq(host_fd_allow(HOST_FD_MAX), -EBADF);
	cr_assert_eq(host_fd_allow(fds[1]), 0);
	cr_assert_eq(host_write(fds[1], "x", 1), 1);
	host_fd_forbid(fds[1]);
	cr_assert_eq(host_write(fds[1], "x", 1), -EBADF);
	cr_assert(host_fd_allowed(0) && host_fd_allowed(1) &&
		  host_fd_allowed(2));
	close(fds[0]);
	close(fds[1]);
}

Test(host_io, ioctl_rejects_other_requests)
{
	unsigned char buf[64];
	int fds[2];

	pipe_allowed(fds);
	cr_assert_eq(host_ioctl(fds[0], FIONREAD, buf, 4), -ENOTTY);
	cr_assert_eq(host_ioctl(fds[0], TIOCSWINSZ, buf, 8), -ENOTTY);
	cr_assert_eq(host_ioctl(fds[0], TCSETS, buf, 36), -ENOTTY);
	cr_assert_eq(host_ioctl(fds[0], TCGETS, buf, 36), -ENOTTY,
		     "a pipe is no tty");
	cr_assert_eq(host_ioctl(fds[0], TIOCGWINSZ, buf, 8), -ENOTTY);
	close(fds[0]);
	close(fds[1]);
}

static int open_pty(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	cr_assert_geq(master, 0);
	cr_assert_eq(grantpt(master), 0);
	cr_assert_eq(unlockpt(master), 0);
	return master;
}

Test(host_io, ioctl_tty_requests_copy_exactly_arglen)
{
	struct winsize ws = {.ws_row = 42, .ws_col = 132};
	unsigned char buf[64];
	struct termios t;
	int master, tty;

	master = open_pty();
	tty = open(ptsname(master), O_RDWR | O_NOCTTY);
	cr_assert_geq(tty, 0);
	cr_assert_eq(host_fd_allow(tty), 0);
	cr_assert_eq(ioctl(master, TIOCSWINSZ, &ws), 0);

	memset(buf, 0xee, sizeof(buf));
	cr_assert_eq(host_ioctl(tty, TIOCGWINSZ, buf, 8), 0);
	cr_assert_eq(memcmp(buf, &ws, 8), 0);
	cr_assert_eq(buf[8], 0xee, "wrote past arglen");

	memset(buf, 0xee, sizeof(buf));
	cr_assert_eq(host_ioctl(tty, TCGETS, buf, 36), 0);
	cr_assert_eq(tcgetattr(tty, &t), 0);
	cr_assert_eq(memcmp(buf, &t.c_iflag, 4), 0);
	cr_assert_eq(memcmp(buf + 12, &t.c_lflag, 4), 0);
	cr_assert_eq(buf[36], 0xee, "wrote past arglen");
	cr_assert_eq(host_ioctl(tty, TCGETS, buf, 60), 0, "glibc-sized buffer");

	cr_assert_eq(host_ioctl(tty, TIOCGWINSZ, buf, 4), -EINVAL);
	cr_assert_eq(host_ioctl(tty, TIOCGWINSZ, buf, 16), -EINVAL);
	cr_assert_eq(host_ioctl(tty, TCGETS, buf, 20), -EINVAL);
	cr_assert_eq(host_ioctl(tty, TCGETS, buf, 64), -EINVAL);
	close(tty);
	close(master);
}

Test(host_io, fstat_converts_every_field)
{
	char path[] = "/tmp/sentry-host-test-XXXXXX";
	struct linux_stat lst;
	struct stat st;
	int fd;

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	unlink(path);
	cr_assert_eq(write(fd, "0123456789", 10), 10);
	cr_assert_eq(host_fd_allow(fd), 0);
	memset(&lst, 0xa5, sizeof(lst));
	cr_assert_eq(host_fstat(fd, &lst), 0);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert_eq(lst.st_dev, st.st_dev);
	cr_assert_eq(lst.st_ino, st.st_ino);
	cr_assert_eq(lst.st_nlink, st.st_nlink);
	cr_assert_eq(lst.st_mode, st.st_mode);
	cr_assert(S_ISREG(lst.st_mode));
	cr_assert_eq(lst.st_uid, st.st_uid);
	cr_assert_eq(lst.st_gid, st.st_gid);
	cr_assert_eq(lst.st_rdev, st.st_rdev);
	cr_assert_eq(lst.st_size, 10);
	cr_assert_eq(lst.st_blksize, st.st_blksize);
	cr_assert_eq(lst.st_blocks, st.st_blocks);
	cr_assert_eq(lst.st_atime_sec, (uint64_t)st.st_atim.tv_sec);
	cr_assert_eq(lst.st_atime_nsec, (uint64_t)st.st_atim.tv_nsec);
	cr_assert_eq(lst.st_mtime_sec, (uint64_t)st.st_mtim.tv_sec);
	cr_assert_eq(lst.st_mtime_nsec, (uint64_t)st.st_mtim.tv_nsec);
	cr_assert_eq(lst.st_ctime_sec, (uint64_t)st.st_ctim.tv_sec);
	cr_assert_eq(lst.st_ctime_nsec, (uint64_t)st.st_ctim.tv_nsec);
	cr_assert_eq(lst.__pad0, 0, "padding cleared");
	cr_assert_eq(host_fstat(-1, &lst), -EBADF);
	close(fd);
}

Test(host_io, fstat_of_a_pipe_is_a_fifo)
{
	struct linux_stat lst;
	int fds[2];

	pipe_allowed(fds);
	cr_assert_eq(host_fstat(fds[0], &lst), 0);
	cr_assert_eq(lst.st_mode & S_IFMT, S_IFIFO);
	close(fds[0]);
	close(fds[1]);
}

Test(host_misc, getrandom_fills_the_buffer)
{
	unsigned char a[64], b[64];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	cr_assert_eq(host_getrandom(a, sizeof(a)), (long)sizeof(a));
	cr_assert_eq(host_getrandom(b, sizeof(b)), (long)sizeof(b));
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0);
	cr_assert_eq(host_getrandom(a, 0), 0);
}

Test(host_misc, nanosleep_sleeps_at_least_that_long)
{
	struct timespec t0, t1;
	int64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(host_nanosleep(20 * 1000 * 1000), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	cr_assert_geq(ns, 20 * 1000 * 1000);
	cr_assert_eq(host_nanosleep(0), 0);
}

Test(host_misc, exit_records_the_status)
{
	int status = -1;

	cr_assert(!host_exit_status(&status));
	host_exit(3);
	cr_assert(host_exit_status(&status));
	cr_assert_eq(status, 3);
	host_exit_reset();
	cr_assert(!host_exit_status(&status));
}

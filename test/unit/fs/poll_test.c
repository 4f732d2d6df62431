// SPDX-License-Identifier: Apache-2.0
/*
 * poll_test.c: fs/sys_poll.c (poll, ppoll, select, pselect6) over stdio,
 * regular files, /dev nodes, pipes and eventfds, and fadvise64.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/time.h"

#include "../../../fs/vfs_internal.h"
#include "fake/fake.h"
#include "fs_fixture.h"

TestSuite(poll, .init = fx_boot_standard, .fini = fx_teardown);
TestSuite(select, .init = fx_boot_standard, .fini = fx_teardown);
TestSuite(fadvise, .init = fx_boot_standard, .fini = fx_teardown);

struct pfd {
	int32_t fd;
	int16_t events, revents;
};

static struct pfd fds_[8];

static void uwrite(uaddr_t dst, const void *src, size_t len)
{
	cr_assert_eq(copy_to_user(dst, src, len), 0);
}

/* poll(2) on @n pollfds of fds_ with @timeout ms; revents read back into fds_. */
static long poll_(int n, int timeout)
{
	uaddr_t u = fx_ualloc(sizeof(fds_));
	long ret;

	uwrite(u, fds_, sizeof(fds_));
	ret = SYS(poll, u, A(n), A(timeout));
	fx_uread(fds_, u, sizeof(fds_));
	return ret;
}

static void pipe_(long fds[2])
{
	uaddr_t u = fx_ualloc(8);
	int32_t p[2];

	cr_assert_eq(SYS(pipe, u), 0);
	fx_uread(p, u, sizeof(p));
	fds[0] = p[0];
	fds[1] = p[1];
}

static void want(int i, int fd, int events)
{
	fds_[i] = (struct pfd){ .fd = fd, .events = (int16_t)events, .revents = 0x7777 };
}

/* The sentry slept (virtually, on the fake host) @ns since @before, to the ms. */
static bool slept_about(uint64_t before, uint64_t ns)
{
	uint64_t slept = fake_host_slept_ns() - before;

	return slept <= ns && slept + 1000000 >= ns;
}

Test(poll, stdio_and_regular_files_are_always_ready)
{
	long fd = fx_open("/etc/passwd", O_RDONLY, 0);

	want(0, 0, POLLIN);
	want(1, 1, POLLOUT);
	want(2, (int)fd, POLLIN | POLLOUT);
	cr_assert_eq(poll_(3, -1), 3);
	cr_assert_eq(fds_[0].revents, POLLIN);
	cr_assert_eq(fds_[1].revents, POLLOUT);
	cr_assert_eq(fds_[2].revents, POLLIN | POLLOUT, "only the events asked for");
}

Test(poll, dev_null_is_ready_both_ways)
{
	long fd = fx_open("/dev/null", O_RDWR, 0);

	want(0, (int)fd, POLLIN | POLLOUT | POLLRDNORM);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLIN | POLLOUT | POLLRDNORM);
}

Test(poll, a_pipe_is_readable_once_written_and_hangs_up_without_writer)
{
	long p[2];

	pipe_(p);
	want(0, (int)p[0], POLLIN);
	want(1, (int)p[1], POLLOUT);
	cr_assert_eq(poll_(2, 0), 1, "only the write end is ready");
	cr_assert_eq(fds_[0].revents, 0);
	cr_assert_eq(fds_[1].revents, POLLOUT);
	cr_assert_eq(fx_write_str(p[1], "x"), 1);
	want(0, (int)p[0], POLLIN);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLIN);
	cr_assert_eq(SYS(close, A(p[1])), 0);
	want(0, (int)p[0], POLLIN);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLIN | POLLHUP, "HUP comes unasked");
}

Test(poll, a_pipe_with_no_reader_gives_pollerr_to_the_writer)
{
	long p[2];

	pipe_(p);
	cr_assert_eq(SYS(close, A(p[0])), 0);
	want(0, (int)p[1], POLLOUT);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLOUT | POLLERR);
}

Test(poll, an_eventfd_is_readable_with_a_count)
{
	long fd = SYS(eventfd2, 0, 0);
	uint64_t one = 1;
	uaddr_t u = fx_ualloc(8);

	want(0, (int)fd, POLLIN | POLLOUT);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLOUT);
	uwrite(u, &one, 8);
	cr_assert_eq(SYS(write, A(fd), u, 8), 8);
	want(0, (int)fd, POLLIN | POLLOUT);
	cr_assert_eq(poll_(1, 0), 1);
	cr_assert_eq(fds_[0].revents, POLLIN | POLLOUT);
}

Test(poll, negative_fds_are_skipped_and_closed_ones_are_pollnval)
{
	want(0, -1, POLLIN);
	want(1, 99, POLLIN);
	cr_assert_eq(poll_(2, 0), 1);
	cr_assert_eq(fds_[0].revents, 0);
	cr_assert_eq(fds_[1].revents, POLLNVAL);
}

Test(poll, nothing_ready_sleeps_the_timeout_and_returns_0)
{
	long p[2];
	uint64_t before = fake_host_slept_ns();

	pipe_(p);
	want(0, (int)p[0], POLLIN);
	cr_assert_eq(poll_(1, 250), 0);
	cr_assert_eq(fds_[0].revents, 0);
	cr_assert(slept_about(before, 250000000ULL));
}

Test(poll, nothing_ready_with_no_timeout_and_no_other_task_is_a_deadlock)
{
	long p[2];

	pipe_(p);
	want(0, (int)p[0], POLLIN);
	cr_assert_eq(poll_(1, -1), -EDEADLK);
	cr_assert_eq(SYS(poll, 0, 0, A(-1)), -EDEADLK, "poll(NULL, 0, -1) waits for ever");
}

Test(poll, bad_arguments_are_rejected)
{
	cr_assert_eq(SYS(poll, fx_ualloc(8), 1025, 0), -EINVAL, "more than RLIMIT_NOFILE");
	cr_assert_eq(SYS(poll, 0x1000, 1, 0), -EFAULT);
	cr_assert_eq(SYS(poll, 0, 0, 0), 0, "no fds and no wait");
	cr_assert_eq(SYS(poll, 0, 1ULL << 32, 0), 0, "nfds is an unsigned int");
}

Test(poll, ppoll_writes_back_the_time_left)
{
	long p[2];
	struct linux_timespec ts = { 1, 500 };
	uaddr_t u = fx_ualloc(sizeof(ts)), ufds = fx_ualloc(sizeof(fds_));
	uint64_t before = fake_host_slept_ns();

	pipe_(p);
	uwrite(u, &ts, sizeof(ts));
	fds_[0] = (struct pfd){ .fd = (int)p[0], .events = POLLIN };
	uwrite(ufds, fds_, sizeof(fds_));
	cr_assert_eq(SYS(ppoll, ufds, 1, u, 0, 8), 0);
	fx_uread(&ts, u, sizeof(ts));
	cr_assert_eq(ts.tv_sec, 0);
	cr_assert_eq(ts.tv_nsec, 0);
	cr_assert(slept_about(before, 1000000500ULL));

	fds_[0].fd = 1;
	fds_[0].events = POLLOUT;
	ts = (struct linux_timespec){ 2, 0 };
	uwrite(u, &ts, sizeof(ts));
	uwrite(ufds, fds_, sizeof(fds_));
	cr_assert_eq(SYS(ppoll, ufds, 1, u, 0, 8), 1);
	fx_uread(&ts, u, sizeof(ts));
	cr_assert_eq(ts.tv_sec, 2, "ready at once: all the time is left");
}

Test(poll, ppoll_checks_its_timespec_and_mask_size)
{
	struct linux_timespec bad = { 0, NSEC_PER_SEC };
	uaddr_t u = fx_ualloc(sizeof(bad));

	uwrite(u, &bad, sizeof(bad));
	cr_assert_eq(SYS(ppoll, 0, 0, u, 0, 8), -EINVAL);
	cr_assert_eq(SYS(ppoll, 0, 0, 0x1000, 0, 8), -EFAULT);
	cr_assert_eq(SYS(ppoll, 0, 0, fx_ualloc(16), fx_ualloc(8), 4), -EINVAL);
	cr_assert_eq(SYS(ppoll, 0, 0, fx_ualloc(16), fx_ualloc(8), 8), 0);
}

/* select(2) with the read and write sets given as one word each. */
static long select_(int n, uint64_t *rd, uint64_t *wr, uaddr_t tv)
{
	uaddr_t ur = fx_ualloc(8), uw = fx_ualloc(8);
	long ret;

	uwrite(ur, rd, 8);
	uwrite(uw, wr, 8);
	ret = SYS(select, A(n), ur, uw, 0, tv);
	fx_uread(rd, ur, 8);
	fx_uread(wr, uw, 8);
	return ret;
}

Test(select, reports_the_ready_fds_in_the_sets)
{
	long p[2];
	uint64_t rd, wr;

	pipe_(p);
	rd = 1ULL << 0 | 1ULL << p[0];
	wr = 1ULL << 1 | 1ULL << p[1];
	cr_assert_eq(select_(64, &rd, &wr, 0), 3, "stdin, stdout and the pipe's write end");
	cr_assert_eq(rd, 1ULL << 0);
	cr_assert_eq(wr, 1ULL << 1 | 1ULL << p[1]);
}

Test(select, only_the_first_n_bits_count)
{
	long p[2];
	uint64_t rd, wr = 0;

	pipe_(p);
	rd = 1ULL << 0 | 1ULL << 40;	/* 40 is not open, but past n */
	cr_assert_eq(select_(1, &rd, &wr, 0), 1);
	cr_assert_eq(rd, 1);
}

Test(select, a_closed_fd_in_a_set_is_ebadf)
{
	uint64_t rd = 1ULL << 40, wr = 0;

	cr_assert_eq(select_(41, &rd, &wr, 0), -EBADF);
	cr_assert_eq(SYS(select, A(-1), 0, 0, 0, 0), -EINVAL);
	cr_assert_eq(SYS(select, 1, 0x1000, 0, 0, 0), -EFAULT);
}

Test(select, nothing_ready_sleeps_and_zeroes_the_timeval)
{
	long p[2];
	struct linux_timeval tv = { 0, 1500000 };	/* 1.5 s: usec carry into seconds */
	uaddr_t u = fx_ualloc(sizeof(tv));
	uint64_t rd, wr = 0, before = fake_host_slept_ns();

	pipe_(p);
	rd = 1ULL << p[0];
	uwrite(u, &tv, sizeof(tv));
	cr_assert_eq(select_((int)p[0] + 1, &rd, &wr, u), 0);
	cr_assert_eq(rd, 0);
	cr_assert(slept_about(before, 1500000000ULL));
	fx_uread(&tv, u, sizeof(tv));
	cr_assert_eq(tv.tv_sec, 0);
	cr_assert_eq(tv.tv_usec, 0);
	tv.tv_sec = -1;
	uwrite(u, &tv, sizeof(tv));
	cr_assert_eq(select_(1, &rd, &wr, u), -EINVAL);
}

Test(select, with_no_timeout_and_nothing_ready_is_a_deadlock)
{
	cr_assert_eq(SYS(select, 0, 0, 0, 0, 0), -EDEADLK);
}

Test(select, pselect6_takes_a_timespec_and_a_mask_argument)
{
	struct linux_timespec ts = { 0, 0 };
	uint64_t sig[2] = { 0, 8 };
	uaddr_t uts = fx_ualloc(sizeof(ts)), usig = fx_ualloc(sizeof(sig)), ur = fx_ualloc(8);
	uint64_t rd = 1;

	uwrite(uts, &ts, sizeof(ts));
	uwrite(ur, &rd, 8);
	sig[0] = fx_ualloc(8);
	uwrite(usig, sig, sizeof(sig));
	cr_assert_eq(SYS(pselect6, 1, ur, 0, 0, uts, usig), 1);
	sig[1] = 16;
	uwrite(usig, sig, sizeof(sig));
	cr_assert_eq(SYS(pselect6, 1, ur, 0, 0, uts, usig), -EINVAL);
	cr_assert_eq(SYS(pselect6, 1, ur, 0, 0, uts, 0x1000), -EFAULT);
}

Test(fadvise, checks_fd_and_advice_and_accepts_the_rest)
{
	long fd = fx_open("/etc/passwd", O_RDONLY, 0);
	long p[2];

	cr_assert_eq(SYS(fadvise64, A(fd), 0, 100, 2), 0);
	cr_assert_eq(SYS(fadvise64, A(fd), 0, 0, 5), 0);
	cr_assert_eq(SYS(fadvise64, A(fd), 0, 0, 6), -EINVAL);
	cr_assert_eq(SYS(fadvise64, A(fd), 0, A(-1), 0), -EINVAL);
	cr_assert_eq(SYS(fadvise64, 99, 0, 0, 0), -EBADF);
	pipe_(p);
	cr_assert_eq(SYS(fadvise64, A(p[0]), 0, 0, 0), -ESPIPE);
}

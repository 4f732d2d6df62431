// SPDX-License-Identifier: Apache-2.0
/*
 * fsw_dev.c: /dev/null, zero, full, urandom (their numbers, reads and
 * writes), pipes (round trip, EOF, EAGAIN, EPIPE, S_IFIFO), memfd, eventfd.
 * Natively the runner gives the chroot these device nodes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tap.h"

static int is_dev(const char *path, unsigned int ma, unsigned int mi)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == ma &&
	       minor(st.st_rdev) == mi;
}

int main(void)
{
	static char big[70000];
	char buf[64];
	struct stat st;
	int fd, p[2];
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);	/* natively a write with no reader kills */
	ok(is_dev("/dev/null", 1, 3), "/dev/null is char 1:3");
	ok(is_dev("/dev/zero", 1, 5), "/dev/zero is char 1:5");
	ok(is_dev("/dev/full", 1, 7), "/dev/full is char 1:7");
	ok(is_dev("/dev/random", 1, 8), "/dev/random is char 1:8");
	ok(is_dev("/dev/urandom", 1, 9), "/dev/urandom is char 1:9");

	fd = open("/dev/null", O_RDWR);
	ok(fd >= 0 && write(fd, "x", 1) == 1 && read(fd, buf, sizeof(buf)) == 0,
	   "/dev/null swallows writes and reads EOF");
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	ok(read(fd, buf, 16) == 16 && !memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16),
	   "/dev/zero reads zeros");
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	errno = 0;
	ok(write(fd, "x", 1) == -1 && errno == ENOSPC, "/dev/full writes are ENOSPC");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	ok(read(fd, buf, 32) == 32, "/dev/urandom reads");
	close(fd);

	ok(pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC, "pipe2 O_CLOEXEC");
	ok(write(p[1], "ping", 4) == 4 && read(p[0], buf, sizeof(buf)) == 4 &&
	   !memcmp(buf, "ping", 4), "a pipe round trip");
	ok(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "a pipe is S_IFIFO");
	errno = 0;
	ok(lseek(p[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek on a pipe is ESPIPE");
	close(p[1]);
	ok(read(p[0], buf, sizeof(buf)) == 0, "no writer left: EOF");
	close(p[0]);

	ok(pipe2(p, O_NONBLOCK) == 0, "pipe2 O_NONBLOCK");
	errno = 0;
	ok(read(p[0], buf, 1) == -1 && errno == EAGAIN, "an empty pipe: EAGAIN");
	n = write(p[1], big, sizeof(big));
	ok(n == 65536, "a full pipe holds 64 KiB");
	errno = 0;
	ok(write(p[1], big, 1) == -1 && errno == EAGAIN, "then EAGAIN");
	ok(read(p[0], big, sizeof(big)) == 65536, "and reads back whole");
	close(p[0]);
	errno = 0;
	ok(write(p[1], "x", 1) == -1 && errno == EPIPE, "no reader: EPIPE");
	close(p[1]);

	fd = memfd_create("buf", MFD_CLOEXEC);
	ok(fd >= 0 && write(fd, "memory", 6) == 6 && pread(fd, buf, 16, 0) == 6 &&
	   !memcmp(buf, "memory", 6), "memfd_create: an unnamed file");
	ok(ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3 &&
	   S_ISREG(st.st_mode), "memfd ftruncate");
	close(fd);

	fd = eventfd(2, EFD_NONBLOCK | EFD_CLOEXEC);
	{
		uint64_t v = 5;

		ok(fd >= 0 && write(fd, &v, 8) == 8 && read(fd, &v, 8) == 8 && v == 7,
		   "eventfd adds and reads the count");
		errno = 0;
		ok(read(fd, &v, 8) == -1 && errno == EAGAIN, "eventfd at zero: EAGAIN");
	}
	close(fd);
	return tap_done();
}

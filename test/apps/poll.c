// SPDX-License-Identifier: Apache-2.0
/*
 * poll.c: poll, ppoll, select and pselect over pipes, an eventfd and a
 * regular file, short timeouts that expire, closed fds, and fadvise.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static int poll1(int fd, short events, int timeout)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout);

	return n < 0 ? -errno : (n == 0 ? 0 : p.revents);
}

int main(int argc, char **argv)
{
	int p[2], file = open(argv[0], O_RDONLY), efd = eventfd(0, 0);
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct timeval tv = { 0, 10 * 1000 };
	struct pollfd two[2];
	uint64_t one = 1;
	sigset_t mask;
	fd_set rd, wr;

	/*
	 * A number that was just closed, so it lies inside the fd table: Linux's
	 * select silently ignores fds beyond the table's current size (64 in a
	 * small process), which made a fixed 99 pass or fail by environment.
	 */
	int closed = -1;

	ok(argc >= 1 && file >= 0 && efd >= 0 && pipe(p) == 0 && (closed = dup(file)) >= 0 &&
	   close(closed) == 0, "setup");
	ok(poll1(file, POLLIN, 0) == POLLIN, "a regular file is readable");
	ok(poll1(p[0], POLLIN, 0) == 0, "an empty pipe is not readable");
	ok(poll1(p[1], POLLOUT, 0) == POLLOUT, "its write end is writable");
	ok(poll1(p[0], POLLIN, 10) == 0, "a 10 ms timeout expires with 0");
	ok(write(p[1], "x", 1) == 1 && poll1(p[0], POLLIN, -1) == POLLIN,
	   "a written pipe is readable");
	ok(poll1(closed, POLLIN, 0) == POLLNVAL, "a closed fd is POLLNVAL");
	two[0] = (struct pollfd){ .fd = -1, .events = POLLIN };
	two[1] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ok(poll(two, 2, 0) == 1 && two[0].revents == 0, "a negative fd is skipped");
	ok(poll1(efd, POLLIN, 0) == 0, "an eventfd at 0 is not readable");
	ok(write(efd, &one, 8) == 8 && poll1(efd, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT),
	   "an eventfd with a count is readable and writable");

	sigemptyset(&mask);
	two[1].revents = 0;
	ok(ppoll(&two[1], 1, &ts, &mask) == 1 && two[1].revents == POLLIN, "ppoll");

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(file, &rd);
	FD_SET(p[1], &wr);
	ok(select(file > p[1] ? file + 1 : p[1] + 1, &rd, &wr, NULL, &tv) == 3 &&
	   FD_ISSET(p[0], &rd) && FD_ISSET(file, &rd) && FD_ISSET(p[1], &wr),
	   "select finds the ready fds");
	ok(read(p[0], &one, 1) == 1, "the pipe is drained");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 10 * 1000 };
	ok(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd) &&
	   tv.tv_sec == 0 && tv.tv_usec == 0, "select times out and leaves no time");
	FD_SET(closed, &rd);
	ok(select(closed + 1, &rd, NULL, NULL, &tv) == -1 && errno == EBADF, "select on a closed fd is EBADF");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ok(pselect(p[0] + 1, &rd, NULL, NULL, &ts, &mask) == 0, "pselect times out");
	ok(close(p[1]) == 0 && poll1(p[0], POLLIN, 0) == POLLHUP,
	   "a pipe with no writer hangs up");

	ok(posix_fadvise(file, 0, 0, POSIX_FADV_SEQUENTIAL) == 0, "fadvise on a file");
	ok(posix_fadvise(file, 0, 0, 77) == EINVAL, "unknown advice is EINVAL");
	ok(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL) == ESPIPE, "fadvise on a pipe is ESPIPE");
	ok(posix_fadvise(closed, 0, 0, POSIX_FADV_NORMAL) == EBADF, "fadvise on a closed fd is EBADF");
	return tap_done();
}

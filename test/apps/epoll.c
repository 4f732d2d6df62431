// SPDX-License-Identifier: Apache-2.0
/*
 * epoll.c: epoll over pipes, an eventfd and AF_UNIX sockets: level and
 * edge triggering (one report per event, not per wait), one-shot entries,
 * ctl errors, timeouts, a wait woken by another process, and an entry that
 * goes away with its fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int wait1(int ep, int ms, struct epoll_event *ev)
{
	return epoll_wait(ep, ev, 1, ms);
}

/* EPOLLET: a report per event (more data, a write), none per wait. */
static void edges(void)
{
	int ep = epoll_create1(0), ep_out = epoll_create1(0), a[2], b[2], sv[2];
	int efd = eventfd(0, EFD_NONBLOCK);
	struct epoll_event ev;
	uint64_t one = 1;
	char c;

	ok(ep >= 0 && ep_out >= 0 && efd >= 0 && pipe(a) == 0 && pipe(b) == 0 &&
	   socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "edge setup");
	ok(add(ep, a[0], EPOLLIN | EPOLLET, 1) == 0, "ET on a pipe's read end");
	write(a[1], "x", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 1, "data: reported");
	ok(wait1(ep, 0, &ev) == 0, "not again while it stays readable");
	write(b[1], "z", 1);
	ok(wait1(ep, 0, &ev) == 0, "a write to another pipe is not its edge");
	write(a[1], "y", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 1, "more data while readable: a new edge");
	read(a[0], &c, 1);
	ok(wait1(ep, 0, &ev) == 0, "a partial read is no edge");
	read(a[0], &c, 1);

	ok(add(ep_out, a[1], EPOLLOUT | EPOLLET, 2) == 0, "ET EPOLLOUT on the write end");
	ok(wait1(ep_out, 0, &ev) == 1 && ev.events == EPOLLOUT, "writable: reported");
	ok(wait1(ep_out, 0, &ev) == 0, "not again while it stays writable");
	write(a[1], "w", 1);
	ok(wait1(ep_out, 0, &ev) == 0, "its own write is no EPOLLOUT edge");
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 1, "but an EPOLLIN edge for the reader");
	read(a[0], &c, 1);

	ok(add(ep, efd, EPOLLIN | EPOLLET, 3) == 0, "ET on an eventfd");
	write(efd, &one, 8);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 3, "write: reported");
	write(efd, &one, 8);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 3, "a second write: reported again");
	ok(wait1(ep, 0, &ev) == 0, "then quiet");
	read(efd, &one, 8);

	ok(add(ep, sv[0], EPOLLIN | EPOLLET, 4) == 0, "ET on a socketpair end");
	write(sv[1], "s", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 4, "data: reported");
	ok(wait1(ep, 0, &ev) == 0, "not again while unread");
	write(sv[1], "t", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 4, "more data: reported again");
	epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL);

	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET | EPOLLONESHOT, .data.u64 = 5 };
	ok(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0, "ET one-shot on the pipe");
	write(a[1], "1", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 5, "reported once");
	write(a[1], "2", 1);
	ok(wait1(ep, 0, &ev) == 0, "a new edge while disarmed: nothing");
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET | EPOLLONESHOT, .data.u64 = 6 };
	ok(epoll_ctl(ep, EPOLL_CTL_MOD, a[0], &ev) == 0 && wait1(ep, 0, &ev) == 1 &&
	   ev.data.u64 == 6, "MOD re-arms: the data there is reported");
	ok(wait1(ep, 0, &ev) == 0, "and disarms again");
	close(ep);
	close(ep_out);
	close(efd);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], q[2], efd = eventfd(0, EFD_NONBLOCK);
	int file = open(argv[0], O_RDONLY);
	struct epoll_event ev, evs[4];
	uint64_t one = 1;
	char c;
	pid_t pid;
	int st;

	ok(argc >= 1 && ep >= 0 && efd >= 0 && file >= 0 && pipe(p) == 0 && pipe(q) == 0, "setup");
	ok(fcntl(ep, F_GETFD) == FD_CLOEXEC, "EPOLL_CLOEXEC");
	ok(add(ep, p[0], EPOLLIN, 7) == 0, "add a pipe's read end");
	ok(add(ep, p[0], EPOLLIN, 7) == -1 && errno == EEXIST, "adding it twice is EEXIST");
	ok(add(ep, file, EPOLLIN, 0) == -1 && errno == EPERM, "a regular file is EPERM");
	ok(add(ep, ep, EPOLLIN, 0) == -1 && errno == EINVAL, "itself is EINVAL");
	ok(add(ep, 999, EPOLLIN, 0) == -1 && errno == EBADF, "a closed fd is EBADF");
	ok(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL) == -1 && errno == ENOENT, "deleting what is not there is ENOENT");
	ok(wait1(ep, 0, &ev) == 0, "nothing ready: 0 at once");
	ok(wait1(ep, 10, &ev) == 0, "a 10 ms timeout expires with 0");

	write(p[1], "ab", 2);
	ok(wait1(ep, -1, &ev) == 1 && ev.events == EPOLLIN && ev.data.u64 == 7, "readable, with its data");
	ok(wait1(ep, 0, &ev) == 1, "level-triggered: still readable");
	read(p[0], &c, 1);
	read(p[0], &c, 1);
	ok(wait1(ep, 0, &ev) == 0, "drained: not ready");

	/* edge-triggered: one report per edge */
	ok(add(ep, efd, EPOLLIN | EPOLLET, 9) == 0, "add an eventfd, edge-triggered");
	write(efd, &one, 8);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 9, "the edge is reported");
	ok(wait1(ep, 0, &ev) == 0, "and not again while it holds");
	read(efd, &one, 8);
	write(efd, &one, 8);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 9, "a new edge after draining is reported");
	read(efd, &one, 8);

	/* one-shot */
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 11 };
	ok(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "modify to one-shot");
	write(p[1], "x", 1);
	ok(wait1(ep, 0, &ev) == 1 && ev.data.u64 == 11, "one-shot reports once");
	ok(wait1(ep, 0, &ev) == 0, "then it is disabled");
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 12 };
	ok(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && wait1(ep, 0, &ev) == 1 &&
	   ev.data.u64 == 12, "MOD re-arms it");
	read(p[0], &c, 1);

	/* a wait woken by another process */
	ok(add(ep, q[0], EPOLLIN, 13) == 0, "add a second pipe");
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		write(q[1], "y", 1);
		_exit(0);
	}
	ok(epoll_wait(ep, evs, 4, 5000) == 1 && evs[0].data.u64 == 13, "a child's write wakes the wait");
	waitpid(pid, &st, 0);
	read(q[0], &c, 1);

	/* hang-up, and an entry that goes with its fd */
	close(q[1]);
	ok(wait1(ep, 0, &ev) == 1 && (ev.events & EPOLLHUP), "no writer left: EPOLLHUP");
	close(q[0]);
	ok(wait1(ep, 0, &ev) == 0, "a closed fd leaves the set");
	ok(epoll_wait(ep, evs, 0, 0) == -1 && errno == EINVAL, "maxevents 0 is EINVAL");
	edges();
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * unix.c: AF_UNIX sockets: socketpair streams and datagrams between
 * processes, SCM_RIGHTS, listen/connect/accept on a path and an abstract
 * name, SO_PEERCRED, shutdown, EPIPE and non-blocking receives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static int send_fd(int sock, int fd)
{
	char c = 'F', ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int fd = -1;

	if (recvmsg(sock, &m, 0) != 1 || c != 'F')
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void test_pairs(void)
{
	int sv[2], p[2], fd, st, type = 0;
	socklen_t len = sizeof(type);
	char buf[64] = "";
	pid_t pid;

	ok(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "a stream socketpair");
	ok(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM,
	   "SO_TYPE");
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		while (read(sv[1], buf, 1) == 1 && buf[0] != '.')
			write(sv[1], buf, 1);
		pipe(p);
		write(p[1], "through", 7);
		send_fd(sv[1], p[0]);
		_exit(0);
	}
	close(sv[1]);
	write(sv[0], "ping.", 5);
	/* MSG_WAITALL: the child echoes byte by byte, a plain read may get one */
	ok(recv(sv[0], buf, 4, MSG_WAITALL) == 4 && !memcmp(buf, "ping", 4),
	   "a child echoes over it");
	fd = recv_fd(sv[0]);
	memset(buf, 0, sizeof(buf));
	ok(fd >= 0 && read(fd, buf, sizeof(buf)) == 7 && !strcmp(buf, "through"),
	   "SCM_RIGHTS passes a pipe from the child");
	waitpid(pid, &st, 0);
	ok(read(sv[0], buf, 1) == 0, "the child gone: EOF");
	ok(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "and EPIPE when sending");
	close(sv[0]);
	close(fd);

	ok(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "a datagram socketpair");
	send(sv[0], "one", 3, 0);
	send(sv[0], "two!", 4, 0);
	ok(recv(sv[1], buf, sizeof(buf), 0) == 3 && recv(sv[1], buf, 2, 0) == 2,
	   "datagrams keep their boundaries; a short read truncates");
	ok(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == -1 && errno == EAGAIN,
	   "empty: EAGAIN with MSG_DONTWAIT");
	close(sv[0]);
	close(sv[1]);
}

static void test_listen(struct sockaddr_un *addr, socklen_t alen, const char *what)
{
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c, st;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char buf[16] = "";
	pid_t pid;

	ok(bind(l, (struct sockaddr *)addr, alen) == 0 && listen(l, 4) == 0, "%s: bind and listen", what);
	pid = fork();
	if (pid == 0) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		if (connect(s, (struct sockaddr *)addr, alen) || write(s, "hello", 5) != 5)
			_exit(1);
		shutdown(s, SHUT_WR);
		_exit(read(s, buf, 1) == 1 && buf[0] == 'k' ? 0 : 2);
	}
	c = accept(l, NULL, NULL);
	ok(c >= 0 && read(c, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5),
	   "%s: accept a child's connection and read", what);
	ok(read(c, buf, 1) == 0, "%s: its shutdown is EOF", what);
	ok(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid == pid,
	   "%s: SO_PEERCRED names the child", what);
	write(c, "k", 1);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: the child got the reply", what);
	ok(bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)addr, alen) == -1 &&
	   errno == EADDRINUSE, "%s: the name is in use", what);
	close(c);
	close(l);
}

int main(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	socklen_t alen;

	test_pairs();
	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/unix-test.sock");
	test_listen(&a, sizeof(a), "a path");
	unlink(a.sun_path);
	memset(a.sun_path, 0, sizeof(a.sun_path));
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   (size_t)snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1,
					    "sentry-unix-test-%d", getpid()));
	test_listen(&a, alen, "an abstract name");
	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/nobody-here");
	ok(connect(s, (struct sockaddr *)&a, sizeof(a)) == -1 && errno == ENOENT,
	   "connecting to a path nobody bound is ENOENT");
	ok(socket(AF_INET6 + 1000, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
	   "an unknown family is EAFNOSUPPORT");
	return tap_done();
}

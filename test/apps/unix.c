// SPDX-License-Identifier: Apache-2.0
/*
 * unix.c: AF_UNIX sockets: socketpair streams and datagrams between
 * processes, SCM_RIGHTS, listen/connect/accept on a path and an abstract
 * name, SO_PEERCRED, shutdown, EPIPE and non-blocking receives; socket
 * files (stat, rename, unlink, relative paths, what refuses), SO_PASSCRED
 * and SCM_CREDENTIALS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

static socklen_t set_path(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int bind_to(int s, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = set_path(&a, path);

	return bind(s, (struct sockaddr *)&a, len) ? errno : 0;
}

static int connect_to(int s, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = set_path(&a, path);

	return connect(s, (struct sockaddr *)&a, len) ? errno : 0;
}

/* Socket files: made by bind, found by their inode. */
static void test_files(void)
{
	int l = socket(AF_UNIX, SOCK_STREAM, 0), s, c, f, st;
	struct sockaddr_un a;
	socklen_t alen = sizeof(a);
	struct stat sb;
	char ch = 0;
	pid_t pid;

	ok(mkdir("/tmp/ux", 0755) == 0 && chdir("/tmp/ux") == 0, "mkdir and cd /tmp/ux");
	ok(bind_to(l, "s1") == 0, "bind to a relative path");
	ok(stat("/tmp/ux/s1", &sb) == 0 && S_ISSOCK(sb.st_mode) && (sb.st_mode & 0777) == 0755,
	   "it is a socket file, mode 0777 less the umask");
	ok(getsockname(l, (struct sockaddr *)&a, &alen) == 0 && !strcmp(a.sun_path, "s1"),
	   "getsockname gives the path as bound");
	ok(open("/tmp/ux/s1", O_RDONLY) == -1 && errno == ENXIO, "opening it is ENXIO");
	ok(listen(l, 4) == 0 && rename("/tmp/ux/s1", "/tmp/ux/s2") == 0, "listen, rename to s2");
	pid = fork();
	if (pid == 0) {
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		_exit(connect_to(s, "/tmp/ux/s2") || write(s, "r", 1) != 1);
	}
	c = accept(l, NULL, NULL);
	ok(c >= 0 && read(c, &ch, 1) == 1 && ch == 'r', "a child connects by the new name");
	ok(waitpid(pid, &st, 0) == pid && st == 0, "child exited 0");
	close(c);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(connect_to(s, "s1") == ENOENT, "the old name is ENOENT");
	ok(bind_to(s, "/tmp/ux/s2") == EADDRINUSE, "binding an existing socket file: EADDRINUSE");
	f = open("/tmp/ux/file", O_CREAT | O_WRONLY, 0644);
	ok(f >= 0 && bind_to(s, "file") == EADDRINUSE, "binding a regular file: EADDRINUSE");
	ok(connect_to(s, "file") == ECONNREFUSED, "connecting to a regular file: ECONNREFUSED");
	ok(symlink("s2", "/tmp/ux/link") == 0 && connect_to(s, "link") == 0,
	   "connect follows a symlink to the socket file");
	close(s);
	c = accept(l, NULL, NULL);
	close(c);
	ok(unlink("/tmp/ux/s2") == 0 && stat("/tmp/ux/s2", &sb) == -1 && errno == ENOENT,
	   "unlink removes the name");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(connect_to(s, "/tmp/ux/s2") == ENOENT, "connecting to it then: ENOENT");
	ok(bind_to(s, "/tmp/ux/s2") == 0, "the name can be bound again");
	close(s);
	ok(stat("/tmp/ux/s2", &sb) == 0 && S_ISSOCK(sb.st_mode), "the file outlives its socket");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ok(connect_to(s, "/tmp/ux/s2") == ECONNREFUSED, "and refuses: ECONNREFUSED");
	close(s);
	ok(bind_to(socket(AF_UNIX, SOCK_DGRAM, 0), "/nonexistent/dir/s") == ENOENT,
	   "binding in a missing directory: ENOENT");
	ok(bind_to(socket(AF_UNIX, SOCK_DGRAM, 0), "/apps/s") == EROFS,
	   "binding on the read-only image: EROFS");

	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	ok(bind_to(s, "d") == 0, "datagram socket bound to a relative path");
	alen = set_path(&a, "/tmp/ux/d");
	ok(sendto(c, "g", 1, 0, (struct sockaddr *)&a, alen) == 1 && read(s, &ch, 1) == 1 &&
	   ch == 'g', "sendto its absolute path arrives");
	close(s);
	close(c);
	close(f);
	close(l);
	unlink("/tmp/ux/s2");
	unlink("/tmp/ux/d");
	unlink("/tmp/ux/file");
	unlink("/tmp/ux/link");
	ok(chdir("/") == 0 && rmdir("/tmp/ux") == 0, "clean up");
}

/* Send @buf with SCM_CREDENTIALS @cred (NULL: none). Return: 0 or errno. */
static int send_cred(int s, const struct ucred *cred, size_t cmsg_len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = "c", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (cred) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_CREDENTIALS;
		c->cmsg_len = cmsg_len;
		memcpy(CMSG_DATA(c), cred, sizeof(*cred));
	}
	return sendmsg(s, &m, 0) == 1 ? 0 : errno;
}

/* Receive one byte; *@got: the SCM_CREDENTIALS that came (pid -1: none). */
static int recv_cred(int s, struct ucred *got, size_t room, int *flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred)) + 64];
		struct cmsghdr align;
	} u;
	char ch;
	struct iovec iov = { .iov_base = &ch, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = room };
	struct cmsghdr *c;

	got->pid = -1;
	if (recvmsg(s, &m, 0) != 1)
		return errno;
	*flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len == CMSG_LEN(sizeof(*got)))
			memcpy(got, CMSG_DATA(c), sizeof(*got));
	}
	return 0;
}

static int same_cred(struct ucred a, pid_t pid, uid_t uid, gid_t gid)
{
	if (a.pid == pid && a.uid == uid && a.gid == gid)
		return 1;
	diag("got pid %d uid %u gid %u", a.pid, a.uid, a.gid);
	return 0;
}

static void test_creds(void)
{
	int sv[2], on = 1, v = 0, flags = 0, st;
	socklen_t len = sizeof(v);
	struct ucred cred, got;
	size_t full = CMSG_SPACE(sizeof(struct ucred)) + 64;
	pid_t pid;

	ok(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "datagram socketpair");
	ok(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == 0 &&
	   getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &len) == 0 && v == 1,
	   "SO_PASSCRED on, as getsockopt says");
	ok(send_cred(sv[0], NULL, 0) == 0 && recv_cred(sv[1], &got, full, &flags) == 0 &&
	   same_cred(got, getpid(), getuid(), getgid()), "a plain send brings the sender's ids");
	cred = (struct ucred){ getpid(), getuid(), getgid() };
	ok(send_cred(sv[0], &cred, CMSG_LEN(sizeof(cred))) == 0 &&
	   recv_cred(sv[1], &got, full, &flags) == 0 && same_cred(got, getpid(), getuid(), getgid()),
	   "SCM_CREDENTIALS with its own ids arrive");
	pid = fork();
	if (pid == 0)
		_exit(send_cred(sv[0], NULL, 0));
	ok(waitpid(pid, &st, 0) == pid && st == 0 && recv_cred(sv[1], &got, full, &flags) == 0 &&
	   same_cred(got, pid, getuid(), getgid()), "a child's send names the child");
	cred.pid = 0x3ffffff0;
	ok(send_cred(sv[0], &cred, CMSG_LEN(sizeof(cred))) == ESRCH, "a pid that does not exist: ESRCH");
	cred = (struct ucred){ getpid(), (uid_t)-1, getgid() };
	ok(send_cred(sv[0], &cred, CMSG_LEN(sizeof(cred))) == EINVAL, "uid -1: EINVAL");
	cred.uid = getuid();
	ok(send_cred(sv[0], &cred, CMSG_LEN(sizeof(cred)) - 1) == EINVAL, "a short cmsg: EINVAL");
	ok(send_cred(sv[1], NULL, 0) == 0 && recv_cred(sv[0], &got, full, &flags) == 0 &&
	   got.pid == -1, "without SO_PASSCRED no credentials come");
	ok(send_cred(sv[0], NULL, 0) == 0 && recv_cred(sv[1], &got, sizeof(struct cmsghdr), &flags) == 0 &&
	   (flags & MSG_CTRUNC), "no room for them: MSG_CTRUNC");
	close(sv[0]);
	close(sv[1]);
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
	test_files();
	test_creds();
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * socket.c: the socket calls of a sandbox without networking. socket(2)
 * and socketpair(2) say the family is not supported (EAFNOSUPPORT: what
 * a kernel built without it says, and what libc fallbacks such as nscd
 * lookups expect); the calls on an fd say it is not a socket (ENOTSOCK),
 * or EBADF when it is not open.
 */
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

long sys_socket(struct task *t, const struct syscall_args *a)
{
	return -EAFNOSUPPORT;
}

long sys_socketpair(struct task *t, const struct syscall_args *a)
{
	return -EAFNOSUPPORT;
}

/* connect, bind, listen, accept, getsockname, getpeername, ...: fd first */
long sys_not_a_socket(struct task *t, const struct syscall_args *a)
{
	int fd = arg_int(a, 0);

	return fd_is_open(t->files, fd) ? -ENOTSOCK : -EBADF;
}

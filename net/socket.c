// SPDX-License-Identifier: Apache-2.0
/*
 * socket.c: the socket syscalls. AF_UNIX sockets live in the sandbox
 * (net/unix.c); there is no networking: other families are EAFNOSUPPORT
 * (what a kernel built without them says, and what libc fallbacks such as
 * nscd lookups expect). A call on an fd that is not a socket is ENOTSOCK.
 */
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"

#include "../fs/vfs_internal.h"
#include "net_internal.h"

static int sock_flags(int type, unsigned int *flags)
{
	if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	*flags = (type & SOCK_NONBLOCK ? O_NONBLOCK : 0) | (type & SOCK_CLOEXEC ? O_CLOEXEC : 0);
	return 0;
}

long sys_socket(struct task *t, const struct syscall_args *a)
{
	unsigned int flags;
	int err = sock_flags(arg_int(a, 1), &flags);

	if (err)
		return err;
	if (arg_int(a, 0) != AF_UNIX)
		return -EAFNOSUPPORT;
	if (arg_int(a, 2) != 0)
		return -EPROTONOSUPPORT;
	return unix_socket(t, arg_int(a, 1) & SOCK_TYPE_MASK, flags);
}

long sys_socketpair(struct task *t, const struct syscall_args *a)
{
	unsigned int flags;
	int fds[2], err = sock_flags(arg_int(a, 1), &flags);

	if (err)
		return err;
	if (arg_int(a, 0) != AF_UNIX)
		return -EAFNOSUPPORT;
	if (arg_int(a, 2) != 0)
		return -EPROTONOSUPPORT;
	err = unix_socketpair(t, arg_int(a, 1) & SOCK_TYPE_MASK, flags, fds);
	if (err)
		return err;
	if (copy_to_user(arg_uaddr(a, 3), fds, sizeof(fds))) {
		fd_close(t->files, fds[0]);
		fd_close(t->files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* The socket behind fd argument 0, with a reference; NULL with *@err set. */
static struct file *sock_get(struct task *t, const struct syscall_args *a, long *err)
{
	struct file *f = fd_get(t->files, arg_int(a, 0));

	*err = 0;
	if (!f)
		*err = -EBADF;
	else if (!unix_of(f))
		*err = -ENOTSOCK;
	if (*err && f) {
		file_put(f);
		f = NULL;
	}
	return f;
}

/* connect, listen, ...: one shape for all, @op picks the call. */
enum sock_op { OP_BIND, OP_LISTEN, OP_CONNECT, OP_ACCEPT, OP_ACCEPT4, OP_SOCKNAME,
	       OP_PEERNAME, OP_SHUTDOWN, OP_SETSOCKOPT, OP_GETSOCKOPT };

static long sock_call(struct task *t, const struct syscall_args *a, enum sock_op op)
{
	long err;
	struct file *f = sock_get(t, a, &err);
	struct usock *u;
	unsigned int flags;

	if (!f)
		return err;
	u = unix_of(f);
	switch (op) {
	case OP_BIND: err = unix_bind(t, u, arg_uaddr(a, 1), arg_uint(a, 2)); break;
	case OP_LISTEN: err = unix_listen(u, arg_int(a, 1)); break;
	case OP_CONNECT: err = unix_connect(t, f, arg_uaddr(a, 1), arg_uint(a, 2)); break;
	case OP_ACCEPT:
	case OP_ACCEPT4:
		err = sock_flags(op == OP_ACCEPT4 ? arg_int(a, 3) & ~SOCK_TYPE_MASK : 0, &flags);
		if (!err)
			err = unix_accept(t, f, arg_uaddr(a, 1), arg_uaddr(a, 2), flags);
		break;
	case OP_SOCKNAME: err = unix_getname(u, false, arg_uaddr(a, 1), arg_uaddr(a, 2)); break;
	case OP_PEERNAME: err = unix_getname(u, true, arg_uaddr(a, 1), arg_uaddr(a, 2)); break;
	case OP_SHUTDOWN: err = unix_shutdown(u, arg_int(a, 1)); break;
	case OP_SETSOCKOPT:
		err = unix_setsockopt(u, arg_int(a, 1), arg_int(a, 2), arg_uaddr(a, 3),
				      arg_uint(a, 4));
		break;
	case OP_GETSOCKOPT:
		err = unix_getsockopt(u, arg_int(a, 1), arg_int(a, 2), arg_uaddr(a, 3),
				      arg_uaddr(a, 4));
		break;
	}
	file_put(f);
	return err;
}

long sys_bind(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_BIND); }
long sys_listen(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_LISTEN); }
long sys_connect(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_CONNECT); }
long sys_accept(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_ACCEPT); }
long sys_accept4(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_ACCEPT4); }
long sys_getsockname(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_SOCKNAME); }
long sys_getpeername(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_PEERNAME); }
long sys_shutdown(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_SHUTDOWN); }
long sys_setsockopt(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_SETSOCKOPT); }
long sys_getsockopt(struct task *t, const struct syscall_args *a) { return sock_call(t, a, OP_GETSOCKOPT); }

/* struct msghdr and struct cmsghdr, x86_64 */
struct linux_msghdr {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags, pad2;
};

struct linux_cmsghdr {
	uint64_t len;
	int32_t level, type;
};

#define CMSG_ALIGN(n)	(((n) + 7) & ~7UL)

/* The iovec array of @m into *@iov (kmalloc'd) and @b. */
static long get_iov(const struct linux_msghdr *m, struct linux_iovec **iov, struct iobuf *b)
{
	size_t total = 0;

	*iov = NULL;
	if (m->iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	*iov = kmalloc(MAX(m->iovlen, 1) * sizeof(**iov));
	if (!*iov)
		return -ENOMEM;
	if (copy_from_user(*iov, m->iov, m->iovlen * sizeof(**iov)))
		return -EFAULT;
	for (size_t i = 0; i < m->iovlen; i++) {
		if ((*iov)[i].len > (uint64_t)INT64_MAX)
			return -EINVAL;
		total += MIN((*iov)[i].len, (uint64_t)MAX_RW_COUNT - total);
	}
	iobuf_init_iov(b, *iov, m->iovlen, total);
	return 0;
}

/*
 * SCM_CREDENTIALS of a sendmsg, checked as Linux does: a process may only
 * claim its own pid and one of its own uids and gids, unless it is root.
 */
static long get_cred(struct task *t, const struct linux_msghdr *m, uint64_t off,
		     struct unix_cred *cred)
{
	if (copy_from_user(cred, m->control + off + sizeof(struct linux_cmsghdr), sizeof(*cred)))
		return -EFAULT;
	if (cred->uid == (uint32_t)-1 || cred->gid == (uint32_t)-1)
		return -EINVAL;
	if (t->euid && (cred->pid != t->tgid ||
			(cred->uid != t->uid && cred->uid != t->euid) ||
			(cred->gid != t->gid && cred->gid != t->egid)))
		return -EPERM;
	return task_find_process(cred->pid) ? 0 : -ESRCH;
}

/* SCM_RIGHTS of a sendmsg (references to the files named) and SCM_CREDENTIALS. */
static long get_control(struct task *t, const struct linux_msghdr *m, struct file ***files,
			int *nfiles, struct unix_cred *cred, bool *has_cred)
{
	struct linux_cmsghdr c;
	uint64_t off = 0;
	int fds[253];
	long err;

	*files = NULL;
	*nfiles = 0;
	*has_cred = false;
	while (m->control && off + sizeof(c) <= m->controllen) {
		if (copy_from_user(&c, m->control + off, sizeof(c)))
			return -EFAULT;
		if (c.len < sizeof(c) || c.len > m->controllen - off)
			return -EINVAL;
		if (c.level == SOL_SOCKET && c.type == SCM_RIGHTS) {
			size_t n = (c.len - sizeof(c)) / sizeof(int);

			if (*files || n == 0 || n > ARRAY_SIZE(fds))
				return -EINVAL;
			if (copy_from_user(fds, m->control + off + sizeof(c), n * sizeof(int)))
				return -EFAULT;
			*files = kzalloc(n * sizeof(**files));
			if (!*files)
				return -ENOMEM;
			for (size_t i = 0; i < n; i++) {
				(*files)[i] = fd_get(t->files, fds[i]);
				if (!(*files)[i])
					return -EBADF;
				(*nfiles)++;
			}
		} else if (c.level == SOL_SOCKET && c.type == SCM_CREDENTIALS) {
			if (c.len != sizeof(c) + sizeof(*cred))
				return -EINVAL;
			err = get_cred(t, m, off, cred);
			if (err)
				return err;
			*has_cred = true;
		}
		off += CMSG_ALIGN(c.len);
	}
	return 0;
}

static void put_files(struct file **files, int n)
{
	for (int i = 0; i < n; i++)
		file_put(files[i]);
	kfree(files);
}

static long do_sendmsg(struct task *t, int fd, const struct linux_msghdr *m, unsigned int flags)
{
	struct file *f = fd_get(t->files, fd), **files = NULL;
	struct linux_iovec *iov = NULL;
	struct unix_cred cred;
	bool has_cred = false;
	struct iobuf b;
	int nfiles = 0;
	long ret;

	if (!f)
		return -EBADF;
	ret = unix_of(f) ? get_iov(m, &iov, &b) : -ENOTSOCK;
	if (!ret)
		ret = get_control(t, m, &files, &nfiles, &cred, &has_cred);
	if (!ret) {
		ret = unix_sendmsg(t, f, &b, m->name, m->namelen, files, nfiles,
				   has_cred ? &cred : NULL, flags);
		files = NULL;	/* taken over */
	}
	if (files)
		put_files(files, nfiles);
	kfree(iov);
	file_put(f);
	return ret;
}

/* SCM_CREDENTIALS first in @m's control buffer; *@used: its bytes. */
static long put_cred(struct linux_msghdr *m, const struct unix_recvd *r, uint64_t *used)
{
	struct linux_cmsghdr c = { .len = sizeof(c) + sizeof(r->cred), .level = SOL_SOCKET,
				   .type = SCM_CREDENTIALS };

	*used = 0;
	if (!r->has_cred)
		return 0;
	if (m->controllen < c.len) {
		m->flags |= MSG_CTRUNC;
		return 0;
	}
	if (copy_to_user(m->control, &c, sizeof(c)) ||
	    copy_to_user(m->control + sizeof(c), &r->cred, sizeof(r->cred)))
		return -EFAULT;
	*used = MIN(CMSG_ALIGN(c.len), m->controllen);
	return 0;
}

/* Credentials, then the received files installed and described in @m's control buffer. */
static long put_rights(struct task *t, struct linux_msghdr *m, struct unix_recvd *r,
		       unsigned int flags)
{
	struct linux_cmsghdr c = { .level = SOL_SOCKET, .type = SCM_RIGHTS };
	uint64_t used;
	long err = put_cred(m, r, &used);
	uint64_t left = m->controllen - used;
	size_t room = left > sizeof(c) ? (left - sizeof(c)) / sizeof(int) : 0;
	int n = (int)MIN((size_t)r->nfiles, room), fd;

	if (err)
		return err;
	m->control += used;
	m->controllen = used;
	if (r->nfiles > n)
		m->flags |= MSG_CTRUNC;
	for (int i = 0; i < n && !err; i++) {
		fd = fd_install(t->files, 0, file_get(r->files[i]), flags & MSG_CMSG_CLOEXEC);
		if (fd < 0) {
			file_put(r->files[i]);
			m->flags |= MSG_CTRUNC;
			n = i;
			break;
		}
		err = copy_to_user(m->control + sizeof(c) + (uaddr_t)i * sizeof(int), &fd, sizeof(fd));
	}
	if (n > 0 && !err) {
		c.len = sizeof(c) + (uint64_t)n * sizeof(int);
		err = copy_to_user(m->control, &c, sizeof(c));
		m->controllen += MIN(CMSG_ALIGN(c.len), left);
	}
	m->control -= used;
	return err ? -EFAULT : 0;
}

static long do_recvmsg(struct task *t, int fd, struct linux_msghdr *m, unsigned int flags)
{
	struct file *f = fd_get(t->files, fd);
	struct linux_iovec *iov = NULL;
	struct unix_recvd r = { 0 };
	struct iobuf b;
	long ret, err;

	if (!f)
		return -EBADF;
	ret = unix_of(f) ? get_iov(m, &iov, &b) : -ENOTSOCK;
	if (!ret)
		ret = unix_recvmsg(t, f, &b, &r, flags);
	m->flags = 0;
	if (ret >= 0) {
		if (r.truncated)
			m->flags |= MSG_TRUNC;
		err = put_rights(t, m, &r, flags);
		if (!err && m->name) {
			uint32_t n = MIN(m->namelen, r.namelen);

			err = copy_to_user(m->name, r.name, n) ? -EFAULT : 0;
			m->namelen = r.namelen;
		}
		if (err)
			ret = err;
	}
	put_files(r.files, r.nfiles);
	kfree(iov);
	file_put(f);
	return ret;
}

/* sendto(fd, buf, len, flags, addr, addrlen) */
long sys_sendto(struct task *t, const struct syscall_args *a)
{
	struct linux_iovec one = { arg_u64(a, 1), arg_u64(a, 2) };
	struct linux_msghdr m = { .name = arg_uaddr(a, 4), .namelen = arg_uint(a, 5),
				  .iov = 0, .iovlen = 1 };
	struct file *f = fd_get(t->files, arg_int(a, 0));
	struct iobuf b;
	long ret;

	if (!f)
		return -EBADF;
	iobuf_init_iov(&b, &one, 1, MIN(one.len, (uint64_t)MAX_RW_COUNT));
	ret = unix_of(f) ? unix_sendmsg(t, f, &b, m.name, m.namelen, NULL, 0, NULL, arg_uint(a, 3))
			 : -ENOTSOCK;
	file_put(f);
	return ret;
}

/* recvfrom(fd, buf, len, flags, addr, addrlen) */
long sys_recvfrom(struct task *t, const struct syscall_args *a)
{
	struct linux_iovec one = { arg_u64(a, 1), arg_u64(a, 2) };
	struct file *f = fd_get(t->files, arg_int(a, 0));
	struct unix_recvd r = { 0 };
	struct iobuf b;
	uint32_t len;
	long ret;

	if (!f)
		return -EBADF;
	iobuf_init_iov(&b, &one, 1, MIN(one.len, (uint64_t)MAX_RW_COUNT));
	ret = unix_of(f) ? unix_recvmsg(t, f, &b, &r, arg_uint(a, 3)) : -ENOTSOCK;
	if (ret >= 0 && arg_uaddr(a, 4)) {
		if (copy_from_user(&len, arg_uaddr(a, 5), sizeof(len)) ||
		    copy_to_user(arg_uaddr(a, 4), r.name, MIN(len, r.namelen)) ||
		    copy_to_user(arg_uaddr(a, 5), &r.namelen, sizeof(r.namelen)))
			ret = -EFAULT;
	}
	put_files(r.files, r.nfiles);
	file_put(f);
	return ret;
}

long sys_sendmsg(struct task *t, const struct syscall_args *a)
{
	struct linux_msghdr m;

	if (copy_from_user(&m, arg_uaddr(a, 1), sizeof(m)))
		return -EFAULT;
	return do_sendmsg(t, arg_int(a, 0), &m, arg_uint(a, 2));
}

long sys_recvmsg(struct task *t, const struct syscall_args *a)
{
	struct linux_msghdr m;
	long ret;

	if (copy_from_user(&m, arg_uaddr(a, 1), sizeof(m)))
		return -EFAULT;
	ret = do_recvmsg(t, arg_int(a, 0), &m, arg_uint(a, 2));
	if (ret >= 0 && copy_to_user(arg_uaddr(a, 1), &m, sizeof(m)))
		return -EFAULT;
	return ret;
}

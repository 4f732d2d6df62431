// SPDX-License-Identifier: Apache-2.0
/*
 * unix.c: AF_UNIX sockets inside the sandbox: SOCK_STREAM, SOCK_DGRAM and
 * SOCK_SEQPACKET; socketpair; bind/listen/accept/connect on path and
 * abstract names; SCM_RIGHTS and SCM_CREDENTIALS; shutdown; SO_PEERCRED.
 *
 * A socket receives into a queue of messages (each with its bytes, its
 * sender's name and the files it passes). Stream reads run across message
 * boundaries, datagram and seqpacket reads take one message. A sender
 * waits while its peer holds more than UNIX_RCVBUF bytes (non-blocking:
 * EAGAIN). Binding a path creates a socket file (S_IFSOCK) there, as
 * Linux does; connect and sendto find the socket by the inode the path
 * names, so a rename or another relative path reaches it, unlink removes
 * only the name, and a file that is not a bound socket refuses. Abstract
 * names live in a table of the sandbox. Every message carries its
 * sender's credentials (pid and real ids, or the SCM_CREDENTIALS it sent),
 * given to a receiver that set SO_PASSCRED.
 */
#define pr_fmt(fmt) "unix: " fmt

#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "../fs/vfs_internal.h"
#include "net_internal.h"

#define UNIX_RCVBUF	(208 * 1024)
#define UNIX_PATH_MAX	108
#define UNIX_MAX_FDS	253	/* SCM_MAX_FD */

enum { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

struct umsg {
	struct list_head node;
	size_t len, off;		/* bytes, and how many a stream read took */
	struct file **files;		/* SCM_RIGHTS, or NULL */
	int nfiles;
	uint8_t name[UNIX_PATH_MAX + 2];	/* sender's address (sockaddr_un), namelen bytes */
	uint32_t namelen;
	struct unix_cred cred;			/* sender's, for SCM_CREDENTIALS */
	uint8_t data[];
};

struct usock {
	int type;
	int state;
	struct usock *peer;		/* connected: the other end (no reference) */
	struct list_head rxq;		/* struct umsg */
	size_t rx_bytes;
	bool rd_shut, peer_gone;	/* no more reading / the peer closed or shut writing */
	bool wr_shut;
	struct waitq wq;
	struct poll_edges edges;	/* EPOLLET: in: data, a connection, a hang-up; out: room */
	struct list_head backlog;	/* listening: struct usock.bl_node, not accepted yet */
	struct list_head bl_node;
	int backlog_max, backlog_len;
	uint8_t name[UNIX_PATH_MAX + 2];	/* bound address (sockaddr_un), or namelen 2: unnamed */
	uint32_t namelen;
	bool bound;
	bool passcred;			/* SO_PASSCRED */
	struct inode *inode;		/* bound to a path: its socket file */
	struct list_head name_node;	/* bound_names */
	int cred_pid;			/* SO_PEERCRED of this end: who created or connected it */
	uint32_t cred_uid, cred_gid;
	struct file *file;		/* the file of this end (no reference) */
};

static struct list_head bound_names = LIST_HEAD_INIT(bound_names);
static const struct file_ops unix_fops;

struct usock *unix_of(struct file *f)
{
	return f && f->ops == &unix_fops ? f->priv : NULL;
}

static void changed(struct usock *u)
{
	if (u)
		waitq_wake_all(&u->wq);
	file_notify();
}

static struct usock *usock_new(struct task *t, int type)
{
	struct usock *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->type = type;
	list_init(&u->rxq);
	list_init(&u->backlog);
	list_init(&u->bl_node);
	list_init(&u->name_node);
	waitq_init(&u->wq);
	u->name[0] = 1;	/* AF_UNIX, little endian */
	u->namelen = 2;
	u->cred_pid = t->tgid;
	u->cred_uid = t->euid;
	u->cred_gid = t->egid;
	return u;
}

static void umsg_free(struct umsg *m)
{
	for (int i = 0; i < m->nfiles; i++)
		file_put(m->files[i]);
	kfree(m->files);
	kfree(m);
}

static void usock_free(struct usock *u);

static struct file *usock_file(struct usock *u, unsigned int flags)
{
	struct file *f = file_alloc(&unix_fops, O_RDWR | (flags & O_NONBLOCK));

	if (f) {
		f->priv = u;
		u->file = f;
	}
	return f;
}

/* Wait for a change of @u unless @f is non-blocking. */
static int usock_wait(struct file *f, struct usock *u, bool nonblock)
{
	int err;

	if (nonblock || (f->flags & O_NONBLOCK))
		return -EAGAIN;
	err = sched_wait(&u->wq, SCHED_FOREVER);
	return err == -EINTR ? -ERESTARTSYS : err;
}

/* --- names ------------------------------------------------------------------ */

/* Check and normalise an address from the app: family, path or abstract. */
static int get_name(uaddr_t addr, uint32_t len, uint8_t *name, uint32_t *namelen)
{
	if (len < 2 || len > UNIX_PATH_MAX + 2)
		return -EINVAL;
	memset(name, 0, UNIX_PATH_MAX + 2);
	if (copy_from_user(name, addr, len))
		return -EFAULT;
	if (name[0] != 1 || name[1] != 0)
		return -EINVAL;	/* sun_family != AF_UNIX */
	if (len == 2)
		return -EINVAL;	/* autobind is not supported */
	if (name[2]) {	/* a path: up to its NUL */
		size_t n = strnlen((char *)name + 2, len - 2);

		len = (uint32_t)MIN(2 + n + 1, UNIX_PATH_MAX + 2);
	}
	*namelen = len;
	return 0;
}

/* The socket bound to the abstract name @name, or NULL. */
static struct usock *lookup_abstract(const uint8_t *name, uint32_t namelen)
{
	struct usock *u;

	for (struct list_head *e = bound_names.next; e != &bound_names; e = e->next) {
		u = list_entry(e, struct usock, name_node);
		if (!u->inode && u->namelen == namelen && !memcmp(u->name, name, namelen))
			return u;
	}
	return NULL;
}

/* The path of a path address, NUL-terminated in @buf (UNIX_PATH_MAX + 1). */
static const char *name_path(const uint8_t *name, uint32_t namelen, char *buf)
{
	size_t n = namelen - 2;

	memcpy(buf, name + 2, n);
	buf[n] = '\0';
	return buf;
}

/*
 * lookup_name() - the socket @t reaches at @name: an abstract name by its
 * bytes, a path by the socket file it names (write permission needed).
 * Return: 0 with *@out set, -ECONNREFUSED (no socket there), or the
 * path's -errno (-ENOENT, -EACCES, ...).
 */
static int lookup_name(struct task *t, const uint8_t *name, uint32_t namelen,
		       struct usock **out)
{
	char path[UNIX_PATH_MAX + 1];
	struct dentry *d;
	int err;

	*out = NULL;
	if (!name[2]) {
		*out = lookup_abstract(name, namelen);
		return *out ? 0 : -ECONNREFUSED;
	}
	err = vfs_walk_at(t, AT_FDCWD, name_path(name, namelen, path), LOOKUP_FOLLOW, &d);
	if (err)
		return err;
	if (!S_ISSOCK(d->inode->mode))
		return -ECONNREFUSED;
	err = inode_permission(d->inode, t->euid, t->egid, MAY_WRITE);
	if (err)
		return err;
	for (struct list_head *e = bound_names.next; e != &bound_names; e = e->next) {
		struct usock *u = list_entry(e, struct usock, name_node);

		if (u->inode == d->inode) {
			*out = u;
			return 0;
		}
	}
	return -ECONNREFUSED;
}

static int put_name(const uint8_t *name, uint32_t namelen, uaddr_t addr, uaddr_t lenp)
{
	uint32_t ulen;

	if (!addr)
		return 0;
	if (copy_from_user(&ulen, lenp, sizeof(ulen)))
		return -EFAULT;
	if ((int32_t)ulen < 0)
		return -EINVAL;
	if (copy_to_user(addr, name, MIN(ulen, namelen)) ||
	    copy_to_user(lenp, &namelen, sizeof(namelen)))
		return -EFAULT;
	return 0;
}

/* --- data --------------------------------------------------------------------- */

/* Queue @len bytes from @b (and @files) on @to, from @from. */
static int enqueue(struct usock *from, struct usock *to, struct iobuf *b, size_t len,
		   struct file **files, int nfiles, const struct unix_cred *cred)
{
	struct umsg *m = kmalloc(sizeof(*m) + len);

	if (!m)
		return -ENOMEM;
	memset(m, 0, sizeof(*m));
	m->len = len;
	if (copy_from_iobuf(m->data, b, len)) {
		kfree(m);
		return -EFAULT;
	}
	m->files = files;
	m->nfiles = nfiles;
	memcpy(m->name, from->name, sizeof(m->name));
	m->namelen = from->namelen;
	m->cred = *cred;
	list_add_tail(&m->node, &to->rxq);
	to->rx_bytes += len;
	to->edges.in++;
	changed(to);
	return 0;
}

struct unix_send {
	struct usock *dest;		/* NULL: the connected peer */
	struct file **files;		/* SCM_RIGHTS to pass (taken over on success) */
	int nfiles;
	struct unix_cred cred;		/* SCM_CREDENTIALS, if has_cred */
	bool has_cred;
	bool nonblock, nosignal;
};

static ssize_t unix_send(struct file *f, struct iobuf *b, struct unix_send *s)
{
	struct usock *u = f->priv, *to;
	size_t start = b->count, chunk;
	int err;

	if (!s->has_cred) {	/* the sender's own: pid and real ids */
		struct task *t = task_current();

		s->cred = (struct unix_cred){ t->tgid, t->uid, t->gid };
	}
	if (u->wr_shut)
		goto pipe;
	for (;;) {
		to = s->dest ? s->dest : u->peer;
		if (!to) {
			if (u->type != SOCK_DGRAM && !u->peer_gone && u->state != US_CONNECTED)
				return -ENOTCONN;
			if (u->type == SOCK_DGRAM && !u->peer_gone)
				return -EDESTADDRREQ;
			goto pipe;
		}
		if (to->rd_shut)
			goto pipe;
		if (u->type != SOCK_STREAM && b->count > UNIX_RCVBUF)
			return -EMSGSIZE;
		chunk = u->type == SOCK_STREAM ? MIN(b->count, (size_t)UNIX_RCVBUF) : b->count;
		if (to->rx_bytes + chunk > UNIX_RCVBUF && to->rx_bytes) {
			err = usock_wait(f, to, s->nonblock);
			if (err)
				return start != b->count ? (ssize_t)(start - b->count) : err;
			continue;
		}
		err = enqueue(u, to, b, chunk, s->files, s->nfiles, &s->cred);
		if (err)
			return start != b->count ? (ssize_t)(start - b->count) : err;
		s->files = NULL;
		s->nfiles = 0;
		if (!b->count)
			return (ssize_t)start;
	}
pipe:
	if (!s->nosignal)
		task_signal_thread(task_current(), SIGPIPE);
	return start != b->count ? (ssize_t)(start - b->count) : -EPIPE;
}

struct unix_recv {
	bool nonblock, peek, waitall;
	uint8_t name[UNIX_PATH_MAX + 2];
	uint32_t namelen;
	struct unix_cred cred;		/* of the first message read */
	struct file **files;		/* received SCM_RIGHTS (the caller installs them) */
	int nfiles;
	bool truncated;
};

static ssize_t unix_recv(struct file *f, struct iobuf *b, struct unix_recv *r)
{
	struct usock *u = f->priv;
	size_t start = b->count, n, before;
	struct umsg *m;
	int err;

	while (list_empty(&u->rxq)) {
		if (u->rd_shut || u->peer_gone || (u->type != SOCK_DGRAM && u->state != US_CONNECTED))
			return u->type != SOCK_DGRAM && u->state != US_CONNECTED && !u->peer_gone
				       ? -ENOTCONN : 0;
		err = usock_wait(f, u, r->nonblock);
		if (err)
			return err;
	}
	while (!list_empty(&u->rxq) && b->count) {
		m = list_entry(u->rxq.next, struct umsg, node);
		if (m->nfiles && start != b->count)
			break;	/* files travel with the read that starts at their message */
		if (!r->namelen) {
			memcpy(r->name, m->name, sizeof(r->name));
			r->namelen = m->namelen;
			r->cred = m->cred;
		}
		n = MIN(b->count, m->len - m->off);
		before = b->count;
		if (copy_to_iobuf(b, m->data + m->off, n))
			return start != b->count ? (ssize_t)(start - b->count) : -EFAULT;
		n = before - b->count;
		if (m->nfiles && !r->peek) {
			r->files = m->files;
			r->nfiles = m->nfiles;
			m->files = NULL;
			m->nfiles = 0;
		}
		if (r->peek)
			break;
		if (u->type != SOCK_STREAM) {	/* one message per read, the rest dropped */
			r->truncated = n < m->len;
			u->rx_bytes -= m->len;
			list_del(&m->node);
			umsg_free(m);
			break;
		}
		m->off += n;
		u->rx_bytes -= n;
		if (m->off == m->len) {
			list_del(&m->node);
			umsg_free(m);
		}
		if (r->files)
			break;
	}
	if (u->peer)
		u->peer->edges.out++;
	changed(u);	/* room for writers */
	return (ssize_t)(start - b->count);
}

static ssize_t unix_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct unix_recv r = { 0 };
	ssize_t n = unix_recv(f, b, &r);

	for (int i = 0; i < r.nfiles; i++)	/* read(2) has nowhere to put them */
		file_put(r.files[i]);
	kfree(r.files);
	return n;
}

static ssize_t unix_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct unix_send s = { 0 };

	return unix_send(f, b, &s);
}

static unsigned int unix_poll(struct file *f)
{
	struct usock *u = f->priv;
	unsigned int mask = 0;

	if (u->state == US_LISTENING)
		return u->backlog_len ? POLLIN | POLLRDNORM : 0;
	if (!list_empty(&u->rxq))
		mask |= POLLIN | POLLRDNORM;
	if (u->peer_gone || u->rd_shut)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (u->peer_gone && u->wr_shut)
		mask |= POLLHUP;
	if (u->peer ? u->peer->rx_bytes < UNIX_RCVBUF : (u->type == SOCK_DGRAM && !u->peer_gone))
		mask |= POLLOUT | POLLWRNORM;
	if (u->peer_gone && u->type != SOCK_DGRAM)
		mask |= POLLOUT | POLLWRNORM | POLLHUP;
	return mask;
}

static void disconnect(struct usock *u)
{
	struct usock *p = u->peer;

	if (!p)
		return;
	p->peer = NULL;
	p->peer_gone = true;
	u->peer = NULL;
	p->edges.in++;
	p->edges.out++;
	changed(p);
}

static void usock_free(struct usock *u)
{
	disconnect(u);
	if (u->bound)
		list_del(&u->name_node);
	while (!list_empty(&u->rxq)) {
		struct umsg *m = list_entry(u->rxq.next, struct umsg, node);

		list_del(&m->node);
		umsg_free(m);
	}
	while (!list_empty(&u->backlog)) {	/* connections never accepted */
		struct usock *c = list_entry(u->backlog.next, struct usock, bl_node);

		list_del(&c->bl_node);
		usock_free(c);
	}
	kfree(u);
}

static void unix_release(struct file *f)
{
	struct usock *u = f->priv;

	u->file = NULL;
	usock_free(u);
}

static struct poll_edges unix_edges(struct file *f)
{
	return ((struct usock *)f->priv)->edges;
}

static const struct file_ops unix_fops = {
	.read = unix_read,
	.write = unix_write,
	.poll = unix_poll,
	.edges = unix_edges,
	.release = unix_release,
};

/* --- the calls ------------------------------------------------------------ */

static int install(struct task *t, struct usock *u, unsigned int flags)
{
	struct file *f = usock_file(u, flags);
	int fd;

	if (!f) {
		usock_free(u);
		return -ENOMEM;
	}
	fd = fd_install(t->files, 0, f, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

int unix_socket(struct task *t, int type, unsigned int flags)
{
	struct usock *u;

	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	u = usock_new(t, type);
	return u ? install(t, u, flags) : -ENOMEM;
}

int unix_socketpair(struct task *t, int type, unsigned int flags, int fds[2])
{
	struct usock *a, *b;

	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	a = usock_new(t, type);
	b = a ? usock_new(t, type) : NULL;
	if (!b) {
		kfree(a);
		return -ENOMEM;
	}
	a->peer = b;
	b->peer = a;
	a->state = b->state = US_CONNECTED;
	fds[0] = install(t, a, flags);
	if (fds[0] < 0) {
		usock_free(b);
		return fds[0];
	}
	fds[1] = install(t, b, flags);
	if (fds[1] < 0) {
		fd_close(t->files, fds[0]);
		return fds[1];
	}
	return 0;
}

/* Create the socket file of @u at the path @name (EADDRINUSE if the name exists). */
static int bind_path(struct task *t, struct usock *u, const uint8_t *name, uint32_t namelen)
{
	char path[UNIX_PATH_MAX + 1], last[LINUX_NAME_MAX + 1];
	struct dentry *dir, *d;
	bool trailing;
	int err;

	err = vfs_walk_parent(t, AT_FDCWD, name_path(name, namelen, path), &dir, last, &trailing);
	if (err == -EINVAL || err == -EBUSY)
		return -EADDRINUSE;	/* ".", ".." or "/": names that exist */
	if (err)
		return err;
	d = NULL;
	if (dir->inode->iops->lookup)
		d = dir->inode->iops->lookup(dir, last, strlen(last));
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d)
		return -EADDRINUSE;
	err = may_change_dir(t, dir);
	if (err)
		return err;
	d = vfs_create(t, dir, last, S_IFSOCK | 0777, NULL);
	if (IS_ERR(d))
		return PTR_ERR(d);
	u->inode = d->inode;
	return 0;
}

int unix_bind(struct task *t, struct usock *u, uaddr_t addr, uint32_t len)
{
	uint8_t name[UNIX_PATH_MAX + 2];
	uint32_t namelen;
	int err = get_name(addr, len, name, &namelen);

	if (err)
		return err;
	if (u->bound)
		return -EINVAL;
	if (name[2]) {
		err = bind_path(t, u, name, namelen);
		if (err)
			return err;
	} else if (lookup_abstract(name, namelen)) {
		return -EADDRINUSE;
	}
	memcpy(u->name, name, sizeof(name));
	u->namelen = namelen;
	u->bound = true;
	list_add_tail(&u->name_node, &bound_names);
	return 0;
}

int unix_listen(struct usock *u, int backlog)
{
	if (u->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (u->state == US_CONNECTED || !u->bound)
		return -EINVAL;
	u->state = US_LISTENING;
	u->backlog_max = backlog < 1 ? 1 : MIN(backlog, 4096);
	changed(u);
	return 0;
}

int unix_connect(struct task *t, struct file *f, uaddr_t addr, uint32_t len)
{
	struct usock *u = f->priv, *l, *c;
	uint8_t name[UNIX_PATH_MAX + 2];
	uint32_t namelen;
	int err = get_name(addr, len, name, &namelen);

	if (err)
		return err;
	err = lookup_name(t, name, namelen, &l);
	if (err)
		return err;
	if (l->type != u->type)
		return -EPROTOTYPE;
	if (u->type == SOCK_DGRAM) {	/* the default destination */
		disconnect(u);
		u->peer = l;
		u->peer_gone = false;
		return 0;
	}
	if (u->state == US_CONNECTED)
		return -EISCONN;
	if (l->state != US_LISTENING)
		return -ECONNREFUSED;
	while (l->backlog_len >= l->backlog_max) {
		err = usock_wait(f, l, false);
		if (err)
			return err == -EAGAIN ? -EAGAIN : err;
		if (l->state != US_LISTENING)
			return -ECONNREFUSED;
	}
	c = usock_new(t, u->type);	/* the listener's end, until accepted */
	if (!c)
		return -ENOMEM;
	memcpy(c->name, l->name, sizeof(c->name));
	c->namelen = l->namelen;
	c->cred_pid = l->cred_pid;
	c->cred_uid = l->cred_uid;
	c->cred_gid = l->cred_gid;
	u->cred_pid = t->tgid;	/* SO_PEERCRED of the accepted end: who connected */
	u->cred_uid = t->euid;
	u->cred_gid = t->egid;
	c->peer = u;
	u->peer = c;
	c->state = u->state = US_CONNECTED;
	list_add_tail(&c->bl_node, &l->backlog);
	l->backlog_len++;
	l->edges.in++;
	u->edges.out++;
	changed(l);
	return 0;
}

int unix_accept(struct task *t, struct file *f, uaddr_t addr, uaddr_t lenp, unsigned int flags)
{
	struct usock *l = f->priv, *c;
	int err, fd;

	if (l->state != US_LISTENING)
		return -EINVAL;
	while (list_empty(&l->backlog)) {
		err = usock_wait(f, l, false);
		if (err)
			return err;
	}
	c = list_entry(l->backlog.next, struct usock, bl_node);
	if (addr) {
		static const uint8_t unnamed[2] = { 1, 0 };
		const uint8_t *pn = c->peer ? c->peer->name : unnamed;
		uint32_t pl = c->peer ? c->peer->namelen : 2;

		err = put_name(pn, pl, addr, lenp);
		if (err)
			return err;
	}
	list_del(&c->bl_node);
	list_init(&c->bl_node);
	l->backlog_len--;
	c->passcred = l->passcred;	/* as Linux: the accepted socket inherits it */
	fd = install(t, c, flags);
	changed(l);
	return fd;
}

int unix_getname(struct usock *u, bool peer, uaddr_t addr, uaddr_t lenp)
{
	if (peer && !u->peer)
		return -ENOTCONN;
	return peer ? put_name(u->peer->name, u->peer->namelen, addr, lenp)
		    : put_name(u->name, u->namelen, addr, lenp);
}

int unix_shutdown(struct usock *u, int how)
{
	if (how < 0 || how > 2)
		return -EINVAL;
	if (u->state != US_CONNECTED && u->type != SOCK_DGRAM)
		return -ENOTCONN;
	if (how != 1)	/* SHUT_RD or SHUT_RDWR */
		u->rd_shut = true;
	if (how != 0) {
		u->wr_shut = true;
		if (u->peer) {
			u->peer->peer_gone = u->type != SOCK_DGRAM;
			u->peer->edges.in++;
			changed(u->peer);
		}
	}
	u->edges.in++;
	u->edges.out++;
	changed(u);
	return 0;
}

long unix_getsockopt(struct usock *u, int level, int opt, uaddr_t val, uaddr_t lenp)
{
	struct { int32_t pid; uint32_t uid, gid; } cred;
	int32_t v;
	uint32_t len, size = sizeof(v);
	const void *p = &v;

	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	switch (opt) {
	case SO_TYPE: v = u->type; break;
	case SO_ERROR: v = 0; break;
	case SO_DOMAIN: v = AF_UNIX; break;
	case SO_ACCEPTCONN: v = u->state == US_LISTENING; break;
	case SO_SNDBUF:
	case SO_RCVBUF: v = UNIX_RCVBUF; break;
	case SO_PASSCRED: v = u->passcred; break;
	case SO_PEERCRED:
		if (!u->peer)
			return -ENOTCONN;
		cred.pid = u->peer->cred_pid;
		cred.uid = u->peer->cred_uid;
		cred.gid = u->peer->cred_gid;
		p = &cred;
		size = sizeof(cred);
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (copy_from_user(&len, lenp, sizeof(len)))
		return -EFAULT;
	if ((int32_t)len < 0)
		return -EINVAL;
	len = MIN(len, size);
	if (copy_to_user(val, p, len) || copy_to_user(lenp, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

/* setsockopt: SO_PASSCRED; other SOL_SOCKET options are accepted and ignored. */
long unix_setsockopt(struct usock *u, int level, int opt, uaddr_t val, uint32_t len)
{
	int32_t v;

	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (opt != SO_PASSCRED)
		return 0;
	if (len < sizeof(v))
		return -EINVAL;
	if (copy_from_user(&v, val, sizeof(v)))
		return -EFAULT;
	u->passcred = v != 0;
	return 0;
}

ssize_t unix_sendmsg(struct task *t, struct file *f, struct iobuf *b, uaddr_t name,
		     uint32_t namelen, struct file **files, int nfiles,
		     const struct unix_cred *cred, unsigned int flags)
{
	struct unix_send s = {
		.files = files, .nfiles = nfiles,
		.nonblock = flags & MSG_DONTWAIT, .nosignal = flags & MSG_NOSIGNAL,
	};
	struct usock *u = f->priv;
	uint8_t dname[UNIX_PATH_MAX + 2];
	uint32_t dlen;
	ssize_t n;
	int err;

	if (name && u->type == SOCK_DGRAM) {
		err = get_name(name, namelen, dname, &dlen);
		if (err)
			return err;
		err = lookup_name(t, dname, dlen, &s.dest);
		if (err)
			return err;
		if (s.dest->type != SOCK_DGRAM)
			return -EPROTOTYPE;
	} else if (name && u->state == US_CONNECTED) {
		return -EISCONN;
	}
	if (cred) {
		s.cred = *cred;
		s.has_cred = true;
	}
	n = unix_send(f, b, &s);
	if (s.files) {	/* not taken: give the references back */
		for (int i = 0; i < s.nfiles; i++)
			file_put(s.files[i]);
		kfree(s.files);
	}
	return n;
}

ssize_t unix_recvmsg(struct task *t, struct file *f, struct iobuf *b, struct unix_recvd *out,
		     unsigned int flags)
{
	struct unix_recv r = {
		.nonblock = flags & MSG_DONTWAIT, .peek = flags & MSG_PEEK,
		.waitall = flags & MSG_WAITALL,
	};
	ssize_t n = unix_recv(f, b, &r);

	memcpy(out->name, r.name, sizeof(out->name));
	out->namelen = r.namelen ? r.namelen : 2;
	if (!r.namelen)
		out->name[0] = 1;
	out->cred = r.cred;
	out->has_cred = ((struct usock *)f->priv)->passcred;
	out->files = r.files;
	out->nfiles = r.nfiles;
	out->truncated = r.truncated;
	return n;
}

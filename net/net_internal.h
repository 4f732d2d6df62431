/* SPDX-License-Identifier: Apache-2.0 */
/* net_internal.h: between net/socket.c (the syscalls) and net/unix.c (AF_UNIX). */
#ifndef NET_NET_INTERNAL_H
#define NET_NET_INTERNAL_H

#include "sentry/types.h"

struct task;
struct file;
struct iobuf;
struct usock;

#define AF_UNIX		1
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_SEQPACKET	5
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	00004000
#define SOCK_CLOEXEC	02000000

#define SOL_SOCKET	1
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_ACCEPTCONN	30
#define SO_DOMAIN	39
#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2

#define MSG_PEEK	0x2
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define POLLRDHUP	0x2000

/* struct ucred: SO_PEERCRED and SCM_CREDENTIALS. */
struct unix_cred {
	int32_t pid;
	uint32_t uid, gid;
};

/* What a recvmsg brought besides the bytes. */
struct unix_recvd {
	struct unix_cred cred;	/* the sender's, for SCM_CREDENTIALS */
	bool has_cred;		/* SO_PASSCRED is on: give them */
	uint8_t name[110];	/* the sender's sockaddr_un */
	uint32_t namelen;
	struct file **files;	/* SCM_RIGHTS: references for the caller to install */
	int nfiles;
	bool truncated;		/* a datagram longer than the buffer */
};

struct usock *unix_of(struct file *f);
int unix_socket(struct task *t, int type, unsigned int flags);
int unix_socketpair(struct task *t, int type, unsigned int flags, int fds[2]);
int unix_bind(struct task *t, struct usock *u, uaddr_t addr, uint32_t len);
int unix_listen(struct usock *u, int backlog);
int unix_connect(struct task *t, struct file *f, uaddr_t addr, uint32_t len);
int unix_accept(struct task *t, struct file *f, uaddr_t addr, uaddr_t lenp, unsigned int flags);
int unix_getname(struct usock *u, bool peer, uaddr_t addr, uaddr_t lenp);
int unix_shutdown(struct usock *u, int how);
long unix_getsockopt(struct usock *u, int level, int opt, uaddr_t val, uaddr_t lenp);
long unix_setsockopt(struct usock *u, int level, int opt, uaddr_t val, uint32_t len);
/* @files (kmalloc'd array of references) are taken over; @cred: the
 * SCM_CREDENTIALS sent (checked), NULL: the sender's own ids */
ssize_t unix_sendmsg(struct task *t, struct file *f, struct iobuf *b, uaddr_t name,
		     uint32_t namelen, struct file **files, int nfiles,
		     const struct unix_cred *cred, unsigned int flags);
ssize_t unix_recvmsg(struct task *t, struct file *f, struct iobuf *b, struct unix_recvd *out,
		     unsigned int flags);

#endif /* NET_NET_INTERNAL_H */

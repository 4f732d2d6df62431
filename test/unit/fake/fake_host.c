// SPDX-License-Identifier: Apache-2.0
/*
 * fake_host.c: host_* for the unit tests. Host fds 0-2 are in-memory
 * buffers (input set by the test, output read back by it); randomness is a
 * fixed sequence; sleeping and exiting are only recorded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* First: sentry/types.h defines __unused, a field name in struct linux_stat. */
#include "abi/linux/stat.h"

#include "sentry/host.h"

#include "fake/fake.h"

struct fake_fd {
	char *in;
	size_t in_len, in_pos;
	char *out;
	size_t out_len, out_cap;
};

static struct fake_fd fds[FAKE_HOST_FDS];
static unsigned int random_seq;
static uint64_t slept_ns;
static bool exited;
static int exit_status;

void fake_host_reset(void)
{
	for (int i = 0; i < FAKE_HOST_FDS; i++) {
		free(fds[i].in);
		free(fds[i].out);
	}
	memset(fds, 0, sizeof(fds));
	random_seq = 0;
	slept_ns = 0;
	exited = false;
	exit_status = 0;
}

static struct fake_fd *fake_fd(int hfd)
{
	return hfd >= 0 && hfd < FAKE_HOST_FDS ? &fds[hfd] : NULL;
}

void fake_host_set_input(int hfd, const void *buf, size_t len)
{
	struct fake_fd *f = fake_fd(hfd);

	free(f->in);
	f->in = malloc(len ? len : 1);
	memcpy(f->in, buf, len);
	f->in_len = len;
	f->in_pos = 0;
}

const char *fake_host_output(int hfd, size_t *len)
{
	struct fake_fd *f = fake_fd(hfd);

	if (len)
		*len = f->out_len;
	return f->out ? f->out : "";
}

bool fake_host_exited(int *status)
{
	if (exited && status)
		*status = exit_status;
	return exited;
}

uint64_t fake_host_slept_ns(void)
{
	return slept_ns;
}

long host_read(int hfd, void *buf, size_t len)
{
	struct fake_fd *f = fake_fd(hfd);
	size_t n;

	if (!f)
		return -EBADF;
	n = MIN(len, f->in_len - f->in_pos);
	if (n)
		memcpy(buf, f->in + f->in_pos, n);
	f->in_pos += n;
	return (long)n;
}

long host_write(int hfd, const void *buf, size_t len)
{
	struct fake_fd *f = fake_fd(hfd);

	if (!f)
		return -EBADF;
	if (f->out_len + len + 1 > f->out_cap) {
		size_t cap = (f->out_len + len + 1) * 2;
		char *p = realloc(f->out, cap);

		if (!p)
			return -ENOMEM;
		f->out = p;
		f->out_cap = cap;
	}
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	f->out[f->out_len] = '\0';
	return (long)len;
}

/* The fake's stdio are pipes, not terminals. */
long host_ioctl(int hfd, unsigned long cmd, void *arg, size_t arglen)
{
	return fake_fd(hfd) ? -ENOTTY : -EBADF;
}

long host_fstat(int hfd, struct linux_stat *st)
{
	if (!fake_fd(hfd))
		return -EBADF;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_ino = (uint64_t)hfd + 1;
	return 0;
}

long host_getrandom(void *buf, size_t len)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(random_seq++ * 131 + 7);
	return (long)len;
}

long host_nanosleep(uint64_t ns)
{
	slept_ns += ns;
	return 0;
}

void host_exit(int status)
{
	exited = true;
	exit_status = status;
}

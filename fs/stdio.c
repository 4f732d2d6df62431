// SPDX-License-Identifier: Apache-2.0
/*
 * stdio.c: fds 0, 1 and 2 are the sandbox's stdin, stdout and stderr on the
 * host. Data goes through a sentry bounce buffer (host calls take sentry
 * memory, at most HOST_IO_MAX bytes each); the host's answers, short counts
 * and errors included, are passed on as they come. Not seekable.
 * poll: there is no host poll service, so stdio has no poll op and is
 * always ready to read and write (DEFAULT_POLLMASK): a poll that waits for
 * stdin is followed by the read it waited for, and that host read blocks
 * until data or end of file comes, as the poll would have.
 */
#include "sentry/host.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"

#include "abi/linux/errno.h"
#include "abi/linux/misc.h"

#include "vfs_internal.h"

static int host_fd(const struct file *f)
{
	return (int)(uintptr_t)f->priv;
}

/* One host read: what is there now, as a pipe or tty read gives it. */
static ssize_t stdio_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t want = MIN(b->count, HOST_IO_MAX), start = b->count;
	char *bounce;
	long n;

	if (!want)
		return 0;
	bounce = kmalloc(want);
	if (!bounce)
		return -ENOMEM;
	n = host_read(host_fd(f), bounce, want);
	if (n > 0 && copy_to_iobuf(b, bounce, (size_t)n))
		n = start - b->count ? (long)(start - b->count) : -EFAULT;
	kfree(bounce);
	return n;
}

/* Host writes of up to HOST_IO_MAX bytes until all is done or the host writes short. */
static ssize_t stdio_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t done = 0, chunk = MIN(b->count, HOST_IO_MAX);
	ssize_t ret = 0;
	char *bounce;

	if (!chunk)
		return 0;
	bounce = kmalloc(chunk);
	if (!bounce)
		return -ENOMEM;
	while (b->count) {
		size_t left = b->count, got;
		int fault = copy_from_iobuf(bounce, b, chunk);
		long n;

		got = left - b->count;
		n = got ? host_write(host_fd(f), bounce, got) : 0;
		if (n < 0) {
			ret = n;
			break;
		}
		done += (size_t)n;
		if (fault) {
			ret = -EFAULT;
			break;
		}
		if ((size_t)n < got)
			break;
	}
	kfree(bounce);
	return done ? (ssize_t)done : ret;
}

static long stdio_ioctl(struct file *f, unsigned int cmd, uaddr_t arg)
{
	uint8_t buf[LINUX_TERMIOS_SIZE];
	size_t len;
	long err;

	switch (cmd) {
	case TCGETS:
		len = LINUX_TERMIOS_SIZE;
		break;
	case TIOCGWINSZ:
		len = LINUX_WINSIZE_SIZE;
		break;
	default:
		return -ENOTTY;
	}
	err = host_ioctl(host_fd(f), cmd, buf, len);
	if (err)
		return err;
	return copy_to_user(arg, buf, len) ? -EFAULT : 0;
}

static int stdio_fstat(struct file *f, struct linux_stat *st)
{
	return (int)host_fstat(host_fd(f), st);
}

static const struct file_ops stdio_fops = {
	.read = stdio_read,
	.write = stdio_write,
	.ioctl = stdio_ioctl,
	.fstat = stdio_fstat,
};

struct file *stdio_file_create(int hfd)
{
	/* O_RDWR: the host fd's own mode decides, as it would for the app natively */
	struct file *f = file_alloc(&stdio_fops, O_RDWR | O_LARGEFILE);

	if (f)
		f->priv = (void *)(uintptr_t)hfd;
	return f;
}

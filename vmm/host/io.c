// SPDX-License-Identifier: Apache-2.0
/*
 * io.c: host services on host fds: read, write, the tty ioctls, fstat.
 * The one implementation (host.h), called directly under ptrace and by the
 * KVM hostcall dispatcher with already translated, bounds-checked pointers.
 * Every function returns -errno (host errno values are Linux's).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "sentry/host.h"

#include "abi/linux/arch/stat.h"

#include "host_state.h"

/* Linux's struct termios as TCGETS writes it (not glibc's 60-byte one). */
#define KERNEL_TERMIOS_SIZE 36
/* The largest buffer TCGETS may be asked to fill (glibc's struct termios). */
#define TERMIOS_ARG_MAX 60
#define WINSIZE_SIZE	8

_Static_assert(sizeof(struct winsize) == WINSIZE_SIZE, "struct winsize");

/* Allowed host fds: 0, 1, 2 from the start (host_state.h). */
static uint64_t fd_allowed[HOST_FD_MAX / 64] = {0x7};

int host_fd_allow(int hfd)
{
	if (hfd < 0 || hfd >= HOST_FD_MAX)
		return -EBADF;
	fd_allowed[hfd / 64] |= 1ULL << (hfd % 64);
	return 0;
}

void host_fd_forbid(int hfd)
{
	if (hfd >= 0 && hfd < HOST_FD_MAX)
		fd_allowed[hfd / 64] &= ~(1ULL << (hfd % 64));
}

bool host_fd_allowed(int hfd)
{
	return hfd >= 0 && hfd < HOST_FD_MAX &&
	       (fd_allowed[hfd / 64] >> (hfd % 64)) & 1;
}

long host_read(int hfd, void *buf, size_t len)
{
	ssize_t n;

	if (!host_fd_allowed(hfd))
		return -EBADF;
	if (len > HOST_IO_MAX)
		len = HOST_IO_MAX;
	do {
		n = read(hfd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

long host_write(int hfd, const void *buf, size_t len)
{
	ssize_t n;

	if (!host_fd_allowed(hfd))
		return -EBADF;
	if (len > HOST_IO_MAX)
		len = HOST_IO_MAX;
	do {
		n = write(hfd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/*
 * Only the two requests a libc makes on stdio: TCGETS (isatty, tcgetattr)
 * and TIOCGWINSZ. Exactly @arglen bytes of @arg are written, never more:
 * under KVM that is all the VMM checked.
 */
long host_ioctl(int hfd, unsigned long cmd, void *arg, size_t arglen)
{
	unsigned char buf[64];
	size_t need;

	if (!host_fd_allowed(hfd))
		return -EBADF;
	switch (cmd) {
	case TCGETS:
		need = KERNEL_TERMIOS_SIZE;
		if (arglen < need || arglen > TERMIOS_ARG_MAX)
			return -EINVAL;
		break;
	case TIOCGWINSZ:
		need = WINSIZE_SIZE;
		if (arglen != need)
			return -EINVAL;
		break;
	default:
		return -ENOTTY;
	}
	memset(buf, 0, sizeof(buf));
	if (ioctl(hfd, cmd, buf) < 0)
		return -errno;
	memcpy(arg, buf, arglen);
	return 0;
}

long host_fstat(int hfd, struct linux_stat *lst)
{
	struct stat st;

	if (!host_fd_allowed(hfd))
		return -EBADF;
	if (fstat(hfd, &st) < 0)
		return -errno;
	memset(lst, 0, sizeof(*lst));
	lst->st_dev = st.st_dev;
	lst->st_ino = st.st_ino;
	lst->st_nlink = st.st_nlink;
	lst->st_mode = st.st_mode;
	lst->st_uid = st.st_uid;
	lst->st_gid = st.st_gid;
	lst->st_rdev = st.st_rdev;
	lst->st_size = st.st_size;
	lst->st_blksize = st.st_blksize;
	lst->st_blocks = st.st_blocks;
	lst->st_atime_sec = (uint64_t)st.st_atim.tv_sec;
	lst->st_atime_nsec = (uint64_t)st.st_atim.tv_nsec;
	lst->st_mtime_sec = (uint64_t)st.st_mtim.tv_sec;
	lst->st_mtime_nsec = (uint64_t)st.st_mtim.tv_nsec;
	lst->st_ctime_sec = (uint64_t)st.st_ctim.tv_sec;
	lst->st_ctime_nsec = (uint64_t)st.st_ctim.tv_nsec;
	return 0;
}

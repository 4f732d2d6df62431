// SPDX-License-Identifier: Apache-2.0
/*
 * fdtable.c: a process's file descriptors: the lowest free fd first, a
 * close-on-exec flag each, numbered below RLIMIT_NOFILE (1024 at first;
 * prlimit changes it). The slot arrays grow by doubling as fds are used.
 */
#include "sentry/kmalloc.h"
#include "sentry/string.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "vfs_internal.h"

int fdtable_create(struct fdtable **out)
{
	struct fdtable *ft = kzalloc(sizeof(*ft));

	if (!ft)
		return -ENOMEM;
	ft->refcount = 1;
	ft->max = FDTABLE_DEFAULT_MAX;
	*out = ft;
	return 0;
}

/* Make room for @fd. */
static int fdtable_grow(struct fdtable *ft, unsigned int fd)
{
	unsigned int size = ft->size ? ft->size : 64;
	struct file **files;
	bool *cloexec;

	while (size <= fd)
		size *= 2;
	if (ft->max > fd)	/* a lowered limit can leave open fds above it */
		size = MIN(size, ft->max);
	files = kzalloc(size * sizeof(*files));
	cloexec = kzalloc(size * sizeof(*cloexec));
	if (!files || !cloexec) {
		kfree(files);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (ft->size) {
		memcpy(files, ft->files, ft->size * sizeof(*files));
		memcpy(cloexec, ft->cloexec, ft->size * sizeof(*cloexec));
	}
	kfree(ft->files);
	kfree(ft->cloexec);
	ft->files = files;
	ft->cloexec = cloexec;
	ft->size = size;
	return 0;
}

static bool fd_valid(const struct fdtable *ft, int fd)
{
	return fd >= 0 && (unsigned int)fd < ft->size && ft->files[fd];
}

struct file *fd_get(struct fdtable *ft, int fd)
{
	return fd_valid(ft, fd) ? file_get(ft->files[fd]) : NULL;
}

struct file *fd_get_io(struct fdtable *ft, int fd)
{
	struct file *f = fd_get(ft, fd);

	if (f && (f->flags & O_PATH)) {
		file_put(f);
		return NULL;
	}
	return f;
}

int fd_install(struct fdtable *ft, int minfd, struct file *f, bool cloexec)
{
	unsigned int fd;

	if (minfd < 0 || (unsigned int)minfd >= ft->max)
		return -EINVAL;
	for (fd = (unsigned int)minfd; fd < ft->size && ft->files[fd]; fd++)
		;
	if (fd >= ft->max)
		return -EMFILE;
	if (fd >= ft->size && fdtable_grow(ft, fd))
		return -ENOMEM;
	ft->files[fd] = f;
	ft->cloexec[fd] = cloexec;
	return (int)fd;
}

int fd_install_at(struct fdtable *ft, int fd, struct file *f, bool cloexec)
{
	struct file *old;

	if (fd < 0 || (unsigned int)fd >= ft->max)
		return -EBADF;
	if ((unsigned int)fd >= ft->size && fdtable_grow(ft, (unsigned int)fd))
		return -ENOMEM;
	old = ft->files[fd];
	ft->files[fd] = file_get(f);
	ft->cloexec[fd] = cloexec;
	lock_release_posix(ft, old);
	file_put(old);
	return fd;
}

int fd_close(struct fdtable *ft, int fd)
{
	struct file *f;

	if (!fd_valid(ft, fd))
		return -EBADF;
	f = ft->files[fd];
	ft->files[fd] = NULL;
	ft->cloexec[fd] = false;
	lock_release_posix(ft, f);
	file_put(f);
	return 0;
}

void fdtable_set_max(struct fdtable *ft, unsigned int max)
{
	ft->max = max;
}

bool fd_is_open(struct fdtable *ft, int fd)
{
	return fd_valid(ft, fd);
}

int fd_get_cloexec(struct fdtable *ft, int fd)
{
	return fd_valid(ft, fd) ? ft->cloexec[fd] : -EBADF;
}

int fd_set_cloexec(struct fdtable *ft, int fd, bool on)
{
	if (!fd_valid(ft, fd))
		return -EBADF;
	ft->cloexec[fd] = on;
	return 0;
}

void fdtable_put(struct fdtable *ft)
{
	unsigned int fd;

	if (!ft || --ft->refcount > 0)
		return;
	for (fd = 0; fd < ft->size; fd++) {
		lock_release_posix(ft, ft->files[fd]);
		file_put(ft->files[fd]);
	}
	kfree(ft->files);
	kfree(ft->cloexec);
	kfree(ft);
}

int fdtable_clone(struct fdtable *ft, bool share, struct fdtable **out)
{
	struct fdtable *c;
	unsigned int fd;
	int err;

	if (share) {
		ft->refcount++;
		*out = ft;
		return 0;
	}
	err = fdtable_create(&c);
	if (err)
		return err;
	c->max = ft->max;
	if (ft->size && fdtable_grow(c, ft->size - 1)) {
		fdtable_put(c);
		return -ENOMEM;
	}
	for (fd = 0; fd < ft->size; fd++) {
		c->files[fd] = ft->files[fd] ? file_get(ft->files[fd]) : NULL;
		c->cloexec[fd] = ft->cloexec[fd];
	}
	*out = c;
	return 0;
}

int fdtable_unshare(struct fdtable **ftp)
{
	struct fdtable *c;
	int err;

	if ((*ftp)->refcount == 1)
		return 0;
	err = fdtable_clone(*ftp, false, &c);
	if (err)
		return err;
	fdtable_put(*ftp);
	*ftp = c;
	return 0;
}

void fdtable_close_on_exec(struct fdtable *ft)
{
	for (unsigned int fd = 0; fd < ft->size; fd++) {
		if (ft->files[fd] && ft->cloexec[fd])
			fd_close(ft, (int)fd);
	}
}

int fdtable_create_stdio(struct fdtable **out)
{
	struct fdtable *ft;
	int fd, err;

	err = fdtable_create(&ft);
	if (err)
		return err;
	for (fd = 0; fd < 3; fd++) {
		struct file *f = stdio_file_create(fd);

		err = f ? fd_install(ft, fd, f, false) : -ENOMEM;
		if (err < 0) {
			file_put(f);
			fdtable_put(ft);
			return err;
		}
	}
	*out = ft;
	return 0;
}

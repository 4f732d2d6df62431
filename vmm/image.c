// SPDX-License-Identifier: Apache-2.0
/*
 * image.c: open the image tar and map it read-only for the whole run. The
 * mapping is shared with the page cache, so many sandboxes of one image
 * share its pages. The sentry indexes it (fs/tarfs); here only what can be
 * told without parsing: it exists, is a regular non-empty file, is not
 * compressed (not supported yet).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/vmm.h"

int image_open(const char *path, struct image *img)
{
	const unsigned char *p;
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		vmm_err("cannot open image %s: %s", path, strerror(errno));
		return err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		vmm_err("image %s is not a regular file (give a rootfs .tar)", path);
		err = -EINVAL;
		goto err_close;
	}
	if (st.st_size < 512) {
		vmm_err("image %s is too small to be a tar archive (%lld bytes)", path,
			(long long)st.st_size);
		err = -EINVAL;
		goto err_close;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		vmm_err("cannot map image %s: %s", path, strerror(errno));
		goto err_close;
	}
	if (p[0] == 0x1f && p[1] == 0x8b) {
		vmm_err("image %s is gzip-compressed; compressed images are not supported yet: gunzip it first", path);
		munmap((void *)p, st.st_size);
		err = -EINVAL;
		goto err_close;
	}
	img->fd = fd;
	img->data = p;
	img->size = st.st_size;
	return 0;

err_close:
	close(fd);
	return err;
}

void image_close(struct image *img)
{
	if (img->data)
		munmap((void *)img->data, img->size);
	if (img->fd >= 0)
		close(img->fd);
	img->data = NULL;
	img->fd = -1;
}

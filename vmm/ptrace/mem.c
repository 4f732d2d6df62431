// SPDX-License-Identifier: Apache-2.0
/*
 * mem.c: "physical memory" of the ptrace platform and plat_phys_to_virt().
 *
 * RAM is a memfd of the configured size (sparse: host pages only where
 * touched), mapped MAP_SHARED here as the sentry's direct map. Stubs map
 * app pages from the same memfd. The image is not copied: physical
 * [GUEST_IMAGE_GPA, +image size) is where image_open() mapped it, and stubs
 * map its pages from the image fd, read-only.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sentry/arch/layout.h"

#include "sentry/platform.h"

#include "ptrace.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: memfd pages may be mapped executable */
#endif

struct ptrace_mem ptrace_mem = {.memfd = -1, .image_fd = -1};

static int memfd_ram(void)
{
	int fd;

	/*
	 * Apps run code from these pages: ask for an executable memfd where
	 * vm.memfd_noexec exists, plain memfd (exec by default) on older hosts.
	 */
	fd = memfd_create("sentry-ram", MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("sentry-ram", MFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ptrace_mem_init(uint64_t ram_size, const void *image, uint64_t image_size,
		    int image_fd)
{
	void *ram;
	int fd, err;

	if (!ram_size || !PAGE_ALIGNED(ram_size) || ram_size > GUEST_IMAGE_GPA)
		return -EINVAL;
	fd = memfd_ram();
	if (fd < 0)
		return fd;
	if (ftruncate(fd, (off_t)ram_size) < 0) {
		err = -errno;
		goto err_close;
	}
	ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ram == MAP_FAILED) {
		err = -errno;
		goto err_close;
	}
	ptrace_mem.memfd = fd;
	ptrace_mem.ram = ram;
	ptrace_mem.ram_size = ram_size;
	ptrace_mem.image = image;
	ptrace_mem.image_size = image ? image_size : 0;
	ptrace_mem.image_fd = image ? image_fd : -1;
	return 0;

err_close:
	close(fd);
	return err;
}

void ptrace_mem_fini(void)
{
	if (ptrace_mem.ram)
		munmap(ptrace_mem.ram, ptrace_mem.ram_size);
	if (ptrace_mem.memfd >= 0)
		close(ptrace_mem.memfd);
	ptrace_mem = (struct ptrace_mem){.memfd = -1, .image_fd = -1};
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

/*
 * Back RAM pages in the memfd with one madvise instead of a host page fault
 * per page (on a nested host each fault costs tens of microseconds). Older
 * kernels answer EINVAL: the pages then fault in as before.
 */
void plat_phys_populate(paddr_t pa, size_t len)
{
	if (pa < ptrace_mem.ram_size && len <= ptrace_mem.ram_size - pa)
		madvise(ptrace_mem.ram + pa, len, MADV_POPULATE_WRITE);
}

/* The image is this process's own file mapping: a copy is a copy. */
void plat_image_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

void *plat_phys_to_virt(paddr_t pa)
{
	if (pa < ptrace_mem.ram_size)
		return ptrace_mem.ram + pa;
	if (pa >= GUEST_IMAGE_GPA &&
	    pa - GUEST_IMAGE_GPA < ptrace_mem.image_size)
		return (void *)(ptrace_mem.image + (pa - GUEST_IMAGE_GPA));
	/* Outside RAM and image: the core computed a bad address. */
	ptrace_warn("BUG: plat_phys_to_virt(%#llx): no such address",
		    (unsigned long long)pa);
	plat_panic();
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake.h: the fake platform of the unit tests (Hafnium's arch/fake). Every
 * unit test binary links it in place of a real platform:
 *
 *   fake_platform.c  plat_*: "physical memory" is a 64 MiB arena
 *                    (plat_phys_to_virt(pa) = arena + pa); address spaces are
 *                    page tables the tests can read back; plat_run_user is
 *                    scriptable
 *   fake_host.c      host_*: stdio on in-memory buffers, deterministic
 *                    randomness, recorded exit status and sleeps
 *   fake_tar.c       builds tar images in memory for vfs_init()
 *
 * Include as "fake/fake.h" (test/unit is on the include path).
 */
#ifndef TEST_UNIT_FAKE_H
#define TEST_UNIT_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sentry/platform.h"
#include "sentry/types.h"

struct task;
struct mm;

#define FAKE_RAM_SIZE	(64UL << 20)	/* physical [0, FAKE_RAM_SIZE) */
#define FAKE_RAM_START	PAGE_SIZE	/* fake_boot(): page_alloc manages [FAKE_RAM_START, FAKE_RAM_SIZE) */

/*
 * fake_boot() - set up RAM, the page allocator, and fresh host and console
 * state. Call it first in every test that uses memory (criterion runs each
 * test in its own process, so state never leaks between tests).
 */
void fake_boot(void);

/* A kzalloc'd task (tid/tgid 1) with an empty mm, made current. */
struct task *fake_task_new(void);
/* Destroy @t's mm and exe_path and free @t (not its files or fs context). */
void fake_task_free(struct task *t);

/* Pages the page allocator has free. */
size_t fake_free_pages(void);
/* VMAs of @mm. */
size_t fake_vma_count(const struct mm *mm);

/* Make [@pa, @pa + @len) resolve to @buf in plat_phys_to_virt (an "image"). */
void fake_set_image(paddr_t pa, const void *buf, size_t len);

/*
 * Address spaces. The fake records one entry per mapped page.
 */
/* The AS of the last plat_as_activate(). */
struct plat_as *fake_as_active(void);
/* Is @va mapped in @as? Then *@pa and *@prot (either may be NULL) say how. */
bool fake_as_lookup(const struct plat_as *as, uaddr_t va, paddr_t *pa,
		    unsigned int *prot);
/* Pages mapped in @as. */
size_t fake_as_pages(const struct plat_as *as);
/* plat_as_map / plat_as_unmap calls made on @as so far. */
unsigned long fake_as_map_calls(const struct plat_as *as);
unsigned long fake_as_unmap_calls(const struct plat_as *as);
/* Make the next @count plat_as_map calls (any AS) fail with @err. */
void fake_as_fail_maps(int err, unsigned int count);

/*
 * The app's view of memory: copy @len bytes at @va through @as as the MMU
 * would (a read needs any PROT bit, a write PROT_WRITE). Return: 0, or -1
 * with *@fault describing the first page that faults (#PF, SIGSEGV,
 * SEGV_MAPERR when unmapped, SEGV_ACCERR when the protection denies it).
 */
int fake_app_read(struct plat_as *as, uaddr_t va, void *buf, size_t len,
		  struct fault_info *fault);
int fake_app_write(struct plat_as *as, uaddr_t va, const void *buf, size_t len,
		   struct fault_info *fault);

/* plat_run_user() calls @fn (NULL: the default, PLAT_STOP_DEAD with SIGKILL). */
typedef enum plat_stop (*fake_run_fn)(struct task *t, struct regs *regs,
				       struct fault_info *fault);
void fake_set_run_user(fake_run_fn fn);

/* Everything plat_console_write() printed since fake_boot() (NUL-terminated; the last 64 KiB). */
const char *fake_console(void);

/*
 * Host services.
 */
#define FAKE_HOST_FDS	3	/* host fds 0, 1, 2 exist; others are -EBADF */
/* What host_read(@hfd) returns next (copied); EOF after it. */
void fake_host_set_input(int hfd, const void *buf, size_t len);
/* Everything host_write(@hfd) got so far (NUL-terminated); *@len its size. */
const char *fake_host_output(int hfd, size_t *len);
/* host_exit() was called: true with *@status. */
bool fake_host_exited(int *status);
/* Total of the host_nanosleep() requests. */
uint64_t fake_host_slept_ns(void);
void fake_host_reset(void);

/*
 * Tar images for vfs_init(): ustar entries built in memory.
 */
struct fake_tar {
	char *buf;
	size_t len, cap;
};

void fake_tar_dir(struct fake_tar *t, const char *path, unsigned int mode);
void fake_tar_file(struct fake_tar *t, const char *path, unsigned int mode,
		   const void *data, size_t len);
void fake_tar_symlink(struct fake_tar *t, const char *path, const char *target);
/* Append the end-of-archive blocks. Return: the image (malloc'd, owned by @t). */
const void *fake_tar_finish(struct fake_tar *t, size_t *len);
void fake_tar_free(struct fake_tar *t);

#endif /* TEST_UNIT_FAKE_H */

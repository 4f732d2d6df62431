// SPDX-License-Identifier: Apache-2.0
/*
 * sys_mmap_test.c: the memory syscalls (kernel/mm/sys_mmap.c) as the app
 * calls them, private file mappings through the real VFS included.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/mman.h"
#include "abi/linux/stat.h"

#include "fake/fake.h"

#define FILE_LEN	(3 * 4096 + 100)
#define P(n)		((n) * PAGE_SIZE)
#define SCRATCH		0x20000000UL	/* app memory for the path argument */

static struct task *t;
static struct fake_tar tar;
static unsigned char data[FILE_LEN];

static long call(syscall_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	struct syscall_args a = { { a0, a1, a2, a3, a4, a5 } };

	return fn(t, &a);
}

static void setup(void)
{
	const void *img;
	size_t len;

	fake_boot();
	t = fake_task_new();
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i % 253 + 1);
	fake_tar_file(&tar, "data", 0644, data, sizeof(data));
	img = fake_tar_finish(&tar, &len);
	cr_assert_eq(vfs_init(img, len), 0);
	cr_assert_eq(fs_context_create("/", &t->fs), 0);
	cr_assert_eq(fdtable_create_stdio(&t->files), 0);
	cr_assert_eq(call(sys_mmap, SCRATCH, P(1), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     (long)SCRATCH);
}

static void teardown(void)
{
	fdtable_put(t->files);
	fs_context_put(t->fs);
	fake_task_free(t);
	fake_tar_free(&tar);
}

TestSuite(sys_mmap, .init = setup, .fini = teardown);

static int open_data(void)
{
	long fd;

	cr_assert_eq(copy_to_user(SCRATCH, "/data", 6), 0);
	fd = call(sys_openat, (uint64_t)AT_FDCWD, SCRATCH, O_RDONLY, 0, 0, 0);
	cr_assert_geq(fd, 3);
	return (int)fd;
}

static long map_file(size_t len, unsigned int prot, unsigned int flags, long off)
{
	return call(sys_mmap, 0, len, prot, flags, (uint64_t)open_data(), (uint64_t)off);
}

Test(sys_mmap, a_private_file_mapping_holds_the_file_then_zeroes)
{
	unsigned char buf[P(4)];
	long a = map_file(P(4), PROT_READ, MAP_PRIVATE, 0);

	cr_assert_gt(a, 0);
	cr_assert_eq(fake_as_pages(t->mm->as), 1 + 4, "populated at once");
	cr_assert_eq(copy_from_user(buf, (uaddr_t)a, sizeof(buf)), 0);
	cr_assert_arr_eq(buf, data, FILE_LEN);
	for (size_t i = FILE_LEN; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0, "byte %zu past EOF", i);
}

Test(sys_mmap, the_offset_selects_the_file_page)
{
	unsigned char buf[100];
	long a = map_file(P(1), PROT_READ, MAP_PRIVATE, P(3));

	cr_assert_gt(a, 0);
	cr_assert_eq(copy_from_user(buf, (uaddr_t)a, sizeof(buf)), 0);
	cr_assert_arr_eq(buf, data + P(3), sizeof(buf));
}

Test(sys_mmap, private_writes_stay_private_and_dontneed_brings_the_file_back)
{
	long a = map_file(P(1), PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	unsigned char c = 0, buf[16];

	cr_assert_gt(a, 0);
	cr_assert_eq(copy_to_user((uaddr_t)a, &c, 1), 0);
	cr_assert_eq(copy_from_user(buf, (uaddr_t)a, 1), 0);
	cr_assert_eq(buf[0], 0);
	cr_assert_eq(call(sys_madvise, (uint64_t)a, P(1), MADV_DONTNEED, 0, 0, 0), 0);
	cr_assert_eq(copy_from_user(buf, (uaddr_t)a, sizeof(buf)), 0);
	cr_assert_arr_eq(buf, data, sizeof(buf));
}

Test(sys_mmap, a_lazy_file_mapping_faults_the_file_in)
{
	long a = map_file(P(2), PROT_READ, MAP_PRIVATE | MAP_NORESERVE, 0);
	unsigned char buf[8];
	struct fault_info f;

	cr_assert_gt(a, 0);
	cr_assert_eq(fake_app_read(t->mm->as, (uaddr_t)a + P(1), buf, 8, &f), -1);
	cr_assert_eq(mm_handle_fault(t->mm, &f), 0);
	cr_assert_eq(fake_app_read(t->mm->as, (uaddr_t)a + P(1), buf, 8, &f), 0);
	cr_assert_arr_eq(buf, data + P(1), 8);
}

Test(sys_mmap, shared_file_mappings_are_read_only_copies)
{
	unsigned char buf[8];
	long a = map_file(P(1), PROT_READ, MAP_SHARED, 0);

	cr_assert_gt(a, 0);
	cr_assert_eq(copy_from_user(buf, (uaddr_t)a, 8), 0);
	cr_assert_arr_eq(buf, data, 8);
	cr_assert_eq(call(sys_mprotect, (uint64_t)a, P(1), PROT_READ | PROT_WRITE, 0, 0, 0), -EACCES);
	cr_assert_eq(map_file(P(1), PROT_READ | PROT_WRITE, MAP_SHARED, 0), -EACCES);
}

Test(sys_mmap, bad_files_and_offsets_are_refused)
{
	cr_assert_eq(call(sys_mmap, 0, P(1), PROT_READ, MAP_PRIVATE, 42, 0), -EBADF);
	cr_assert_eq(call(sys_mmap, 0, P(1), PROT_READ, MAP_PRIVATE, 0, 0), -ENODEV,
		     "stdin is not a regular file");
	cr_assert_eq(map_file(P(1), PROT_READ, MAP_PRIVATE, 100), -EINVAL);
	cr_assert_eq(call(sys_mmap, 0, P(1), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100),
		     -EINVAL, "the offset is checked even for anonymous memory");
	cr_assert_eq(call(sys_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
}

Test(sys_mmap, munmap_and_brk_through_the_syscalls)
{
	t->mm->brk_start = t->mm->brk = 0x600000;
	cr_assert_eq(call(sys_brk, 0, 0, 0, 0, 0, 0), 0x600000);
	cr_assert_eq(call(sys_brk, 0x601000, 0, 0, 0, 0, 0), 0x601000);
	cr_assert_eq(call(sys_brk, 0x100, 0, 0, 0, 0, 0), 0x601000, "failure returns the old break");
	cr_assert_eq(call(sys_munmap, SCRATCH, P(1), 0, 0, 0, 0), 0);
	cr_assert_null(mm_find_vma(t->mm, SCRATCH));
}

// SPDX-License-Identifier: Apache-2.0
/*
 * mremap_test.c: mremap, mincore and msync (kernel/mm/mremap.c) as the app
 * calls them: what the app sees through the MMU after a mapping grows,
 * shrinks or moves, and the errors Linux gives.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/mman.h"
#include "abi/linux/stat.h"

#include "fake/fake.h"

#define P(n)		((n) * PAGE_SIZE)
#define A		0x10000000UL	/* the mapping under test */
#define VEC		0x30000000UL	/* app memory for mincore's vector */
#define FILE_LEN	P(8)
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define MS_ASYNC	1	/* msync(2) flags (not in abi/linux/mman.h) */
#define MS_INVALIDATE	2
#define MS_SYNC		4

static struct task *t;
static struct fake_tar tar;
static unsigned char data[FILE_LEN];

static long call(syscall_fn fn, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4)
{
	struct syscall_args a = { { a0, a1, a2, a3, a4, 0 } };

	return fn(t, &a);
}

static long mremap(uaddr_t addr, size_t old_len, size_t new_len, unsigned int flags,
		   uaddr_t new_addr)
{
	return call(sys_mremap, addr, old_len, new_len, flags, new_addr);
}

static void map_anon(uaddr_t at, size_t len)
{
	cr_assert_eq(mm_mmap(t->mm, at, len, RW, ANON, NULL, 0), (long)at);
}

/* Fill [@at, +@len) with a pattern that says where each byte was written. */
static void fill(uaddr_t at, size_t len)
{
	for (size_t i = 0; i < len; i += 64) {
		unsigned char c = (unsigned char)(i / 64 % 255 + 1);

		cr_assert_eq(copy_to_user(at + i, &c, 1), 0);
	}
}

/* The app reads the pattern of fill(@len) at @at through its page tables. */
static void expect_pattern(uaddr_t at, size_t len)
{
	struct fault_info fault;
	unsigned char c;

	for (size_t i = 0; i < len; i += 64) {
		cr_assert_eq(fake_app_read(t->mm->as, at + i, &c, 1, &fault), 0,
			     "0x%lx readable", (unsigned long)(at + i));
		cr_assert_eq(c, (unsigned char)(i / 64 % 255 + 1), "byte %zu moved with it", i);
	}
}

static bool app_sees(uaddr_t va)
{
	return fake_as_lookup(t->mm->as, va, NULL, NULL);
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
	map_anon(VEC, P(1));
}

static void teardown(void)
{
	fs_context_put(t->fs);
	fake_task_free(t);
	fake_tar_free(&tar);
}

TestSuite(mremap, .init = setup, .fini = teardown);

Test(mremap, a_mapping_grows_in_place_when_the_space_after_it_is_free)
{
	unsigned char buf[P(2)] = { 1 };

	map_anon(A, P(2));
	fill(A, P(2));
	cr_assert_eq(mremap(A, P(2), P(4), 0, 0), (long)A);
	expect_pattern(A, P(2));
	cr_assert_eq(copy_from_user(buf, A + P(2), sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0, "new byte %zu is zero", i);
	cr_assert_eq(mm_find_vma(t->mm, A)->end, A + P(4), "one mapping");
}

Test(mremap, a_mapping_shrinks_in_place)
{
	map_anon(A, P(4));
	fill(A, P(4));
	cr_assert_eq(mremap(A, P(4), P(1) - 100, 0, 0), (long)A, "new size rounds up");
	expect_pattern(A, P(1));
	cr_assert_null(mm_find_vma(t->mm, A + P(1)));
	cr_assert_not(app_sees(A + P(3)));
}

Test(mremap, a_blocked_mapping_moves_only_when_allowed_and_keeps_its_pages)
{
	paddr_t before, after;
	long b;

	map_anon(A, P(2));
	map_anon(A + P(2), P(1));
	fill(A, P(2));
	cr_assert(fake_as_lookup(t->mm->as, A + P(1), &before, NULL));
	cr_assert_eq(mremap(A, P(2), P(4), 0, 0), -ENOMEM);
	expect_pattern(A, P(2));

	b = mremap(A, P(2), P(4), MREMAP_MAYMOVE, 0);
	cr_assert_gt(b, 0);
	cr_assert_neq(b, (long)A);
	expect_pattern((uaddr_t)b, P(2));
	cr_assert(fake_as_lookup(t->mm->as, (uaddr_t)b + P(1), &after, NULL));
	cr_assert_eq(after, before, "moved, not copied");
	cr_assert_null(mm_find_vma(t->mm, A));
	cr_assert_not(app_sees(A));
	cr_assert(app_sees(A + P(2)), "the neighbour stays");
	cr_assert_eq(mm_find_vma(t->mm, (uaddr_t)b)->end, (uaddr_t)b + P(4));
}

Test(mremap, part_of_a_mapping_moves_to_a_fixed_address_over_what_was_there)
{
	const uaddr_t to = 0x20000000UL;

	map_anon(A, P(4));
	fill(A, P(4));
	map_anon(to, P(8));
	cr_assert_eq(mremap(A + P(1), P(2), P(3), MREMAP_MAYMOVE | MREMAP_FIXED, to),
		     (long)to);
	cr_assert(app_sees(A) && app_sees(A + P(3)), "the rest stays");
	cr_assert_null(mm_find_vma(t->mm, A + P(1)));
	cr_assert_null(mm_find_vma(t->mm, A + P(2)));
	cr_assert_eq(mm_find_vma(t->mm, to)->end, to + P(3));
	cr_assert_not_null(mm_find_vma(t->mm, to + P(3)), "only the target range is replaced");
	for (size_t i = 0; i < P(2); i += 64) {
		unsigned char c;
		struct fault_info fault;

		cr_assert_eq(fake_app_read(t->mm->as, to + i, &c, 1, &fault), 0);
		cr_assert_eq(c, (unsigned char)((P(1) + i) / 64 % 255 + 1));
	}
}

Test(mremap, a_file_mapping_keeps_its_file_when_it_moves_and_grows)
{
	struct file *f = vfs_open(t, AT_FDCWD, "/data", O_RDONLY, 0);
	unsigned char buf[P(3)];
	long b;

	cr_assert_eq(mm_mmap(t->mm, A, P(2), PROT_READ, MAP_PRIVATE | MAP_FIXED, f, P(1)),
		     (long)A);
	file_put(f);
	map_anon(A + P(2), P(1));
	b = mremap(A, P(2), P(3), MREMAP_MAYMOVE, 0);
	cr_assert_gt(b, 0);
	cr_assert_eq(copy_from_user(buf, (uaddr_t)b, sizeof(buf)), 0);
	cr_assert_arr_eq(buf, data + P(1), sizeof(buf), "file pages 1..3");
}

Test(mremap, bad_arguments_get_linux_errors)
{
	map_anon(A, P(2));
	map_anon(A + P(2), P(2));
	cr_assert_eq(mremap(A + 1, P(1), P(2), MREMAP_MAYMOVE, 0), -EINVAL, "unaligned");
	cr_assert_eq(mremap(A, P(1), P(2), MREMAP_FIXED, A + P(8)), -EINVAL,
		     "FIXED needs MAYMOVE");
	cr_assert_eq(mremap(A, P(1), P(1), 8, 0), -EINVAL, "unknown flag");
	cr_assert_eq(mremap(A, P(1), P(1), MREMAP_MAYMOVE | 4, 0), -EINVAL, "DONTUNMAP");
	cr_assert_eq(mremap(A, P(1), 0, MREMAP_MAYMOVE, 0), -EINVAL, "new size 0");
	cr_assert_eq(mremap(A, 0, P(1), MREMAP_MAYMOVE, 0), -EINVAL, "old size 0, private");
	cr_assert_eq(mremap(A + P(8), P(1), P(2), MREMAP_MAYMOVE, 0), -EFAULT, "unmapped");
	cr_assert_eq(mremap(A, P(3), P(4), MREMAP_MAYMOVE, 0), -EFAULT, "two mappings");
	cr_assert_eq(mremap(A, P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, A + P(1)), -EINVAL,
		     "overlapping ranges");
	cr_assert_eq(mremap(A, P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, A + 10), -EINVAL,
		     "unaligned target");
	cr_assert_eq(mremap(A, P(2), ~0UL, MREMAP_MAYMOVE, 0), -ENOMEM, "too big");
	cr_assert_eq(mm_find_vma(t->mm, A)->end, A + P(2), "nothing changed");
}

Test(mremap, mincore_says_which_pages_are_in_memory)
{
	unsigned char vec[48], c = 7;

	/* a touch populates its aligned 16-page window (MM_FAULT_AROUND_PAGES) */
	cr_assert_eq(mm_mmap(t->mm, A, P(48), RW, ANON | MAP_NORESERVE, NULL, 0), (long)A);
	cr_assert_eq(copy_to_user(A + P(20), &c, 1), 0);
	cr_assert_eq(call(sys_mincore, A, P(48) - 1, VEC, 0, 0), 0);
	cr_assert_eq(copy_from_user(vec, VEC, sizeof(vec)), 0);
	for (int i = 0; i < 48; i++)
		cr_assert_eq(vec[i], i >= 16 && i < 32, "page %d", i);
	cr_assert_eq(call(sys_mincore, A + 1, P(1), VEC, 0, 0), -EINVAL);
	cr_assert_eq(call(sys_mincore, A, P(49), VEC, 0, 0), -ENOMEM, "a hole after it");
	cr_assert_eq(call(sys_mincore, A, P(1), 0x1000, 0, 0), -EFAULT, "bad vector");
}

Test(mremap, msync_accepts_private_mappings_and_checks_its_arguments)
{
	map_anon(A, P(2));
	cr_assert_eq(call(sys_msync, A, P(2), MS_SYNC, 0, 0), 0);
	cr_assert_eq(call(sys_msync, A, 100, MS_ASYNC | MS_INVALIDATE, 0, 0), 0);
	cr_assert_eq(call(sys_msync, A, 0, MS_SYNC, 0, 0), 0);
	cr_assert_eq(call(sys_msync, A, P(3), MS_SYNC, 0, 0), -ENOMEM, "a hole");
	cr_assert_eq(call(sys_msync, A + 1, P(1), MS_SYNC, 0, 0), -EINVAL);
	cr_assert_eq(call(sys_msync, A, P(1), MS_SYNC | MS_ASYNC, 0, 0), -EINVAL);
	cr_assert_eq(call(sys_msync, A, P(1), 8, 0, 0), -EINVAL);
}

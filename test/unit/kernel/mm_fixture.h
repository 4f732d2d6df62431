/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mm_fixture.h: the fixture the mm tests share: a booted fake platform and
 * one current task with a fresh mm (t, mm), and map() for anonymous fixed
 * mappings that must succeed. Include once per test file, then
 * TestSuite(name, .init = mm_fixture_setup, .fini = mm_fixture_teardown).
 */
#ifndef TEST_UNIT_KERNEL_MM_FIXTURE_H
#define TEST_UNIT_KERNEL_MM_FIXTURE_H

#include <criterion/criterion.h>

#include "sentry/mm.h"
#include "sentry/task.h"

#include "abi/linux/mman.h"

#include "fake/fake.h"

#define RW	(PROT_READ | PROT_WRITE)
#define BASE	0x10000000UL	/* a free spot for MAP_FIXED tests */
#define P(n)	((n) * PAGE_SIZE)

static struct task *t;
static struct mm *mm;

static void mm_fixture_setup(void)
{
	fake_boot();
	t = fake_task_new();
	mm = t->mm;
}

static void mm_fixture_teardown(void)
{
	fake_task_free(t);
}

static __attribute__((unused)) void map(uaddr_t addr, size_t len, unsigned int prot,
					unsigned int flags)
{
	cr_assert_eq(mm_mmap(mm, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | flags,
			     NULL, 0),
		     (long)addr);
}

#endif /* TEST_UNIT_KERNEL_MM_FIXTURE_H */

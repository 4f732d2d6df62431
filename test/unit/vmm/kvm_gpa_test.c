// SPDX-License-Identifier: Apache-2.0
/* kvm_gpa_test.c: vm_gpa_ptr(), the one guest-physical -> host translation. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdlib.h>

#include "sentry/arch/layout.h"

#include "vmm/kvm.h"

#define RAM_SIZE	(1UL << 20)

static struct vm vm;

/* Idempotent: criterion runs the suite's and the test's init (and fini). */
static void setup(void)
{
	if (vm.ram)
		return;
	vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .ram_fd = -1 };
	vm.ram = malloc(RAM_SIZE);
	vm.ram_size = RAM_SIZE;
	cr_assert(vm.ram != NULL);
}

static void teardown(void)
{
	free(vm.ram);
	vm.ram = NULL;
}

TestSuite(kvm_gpa, .init = setup, .fini = teardown);

struct gpa_case {
	uint64_t gpa;
	size_t len;
	bool ok;
};

ParameterizedTestParameters(kvm_gpa, ranges)
{
	static struct gpa_case cases[] = {
		{ 0, RAM_SIZE, true },			/* all of RAM */
		{ 0, 1, true },
		{ 4096, 4096, true },
		{ RAM_SIZE - 1, 1, true },		/* last byte */
		{ RAM_SIZE - 1, 2, false },		/* one past the end */
		{ RAM_SIZE - 8, 8, true },
		{ RAM_SIZE - 8, 9, false },
		{ 0, RAM_SIZE + 1, false },
		{ RAM_SIZE, 1, false },			/* starts at the end */
		{ RAM_SIZE, 0, true },			/* empty range at the end: nothing accessed */
		{ 12345, 0, true },			/* empty range inside */
		{ RAM_SIZE + 1, 0, false },		/* empty range outside */
		{ UINT64_MAX, 0, false },
		{ UINT64_MAX, 1, false },
		{ UINT64_MAX, 2, false },		/* gpa + len wraps to 1 */
		{ UINT64_MAX - 7, 16, false },		/* wraps to 8 */
		{ 16, SIZE_MAX, false },		/* wraps to 15 */
		{ 1, SIZE_MAX, false },			/* wraps to 0 */
		{ 0, SIZE_MAX, false },
		{ GUEST_IMAGE_GPA, 1, false },		/* the image is not reachable */
		{ GUEST_IMAGE_GPA, 0, false },
		{ GUEST_HOSTCALL_GPA, 8, false },	/* nor the doorbell */
	};

	return cr_make_param_array(struct gpa_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct gpa_case *c, kvm_gpa, ranges, .init = setup, .fini = teardown)
{
	void *p = vm_gpa_ptr(&vm, c->gpa, c->len);

	if (c->ok)
		cr_assert(eq(ptr, p, vm.ram + c->gpa), "gpa 0x%llx len %zu",
			  (unsigned long long)c->gpa, c->len);
	else
		cr_assert(eq(ptr, p, NULL), "gpa 0x%llx len %zu should be refused",
			  (unsigned long long)c->gpa, c->len);
}

Test(kvm_gpa, zero_sized_ram_refuses_everything_but_empty_at_0)
{
	vm.ram_size = 0;
	cr_assert(eq(ptr, vm_gpa_ptr(&vm, 0, 1), NULL));
	cr_assert(eq(ptr, vm_gpa_ptr(&vm, 1, 0), NULL));
	cr_assert(eq(ptr, vm_gpa_ptr(&vm, 0, 0), vm.ram));
	vm.ram_size = RAM_SIZE;
}

Test(kvm_gpa, every_edge_of_a_large_ram)
{
	/* Only the arithmetic matters: no access is made. */
	vm.ram_size = 0xfec00000;
	cr_assert(vm_gpa_ptr(&vm, 0xfec00000 - 4096, 4096) != NULL);
	cr_assert(eq(ptr, vm_gpa_ptr(&vm, 0xfec00000 - 4096, 4097), NULL));
	cr_assert(eq(ptr, vm_gpa_ptr(&vm, 0xfebfffff, 2), NULL));
	vm.ram_size = RAM_SIZE;
}

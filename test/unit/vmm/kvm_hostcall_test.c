// SPDX-License-Identifier: Apache-2.0
/*
 * kvm_hostcall_test.c: the hostcall dispatcher (vmm/kvm/hostcall.c) on a
 * struct vm with malloc'd RAM: no /dev/kvm needed. Every misbehaviour must
 * end in vm_fatal (VMM_EXIT_GUEST_FAULT) without touching memory outside
 * guest RAM; valid calls run and write ret back.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "abi/sentry/hostcall.h"

#include "vmm/kvm.h"

#define RAM_SIZE	(1UL << 20)
#define ARGS_GPA	0x1000UL
#define BUF_GPA		0x2000UL

static struct vm vm;

/* Idempotent: criterion runs the suite's and the test's init (and fini). */
static void setup(void)
{
	if (vm.ram)
		return;
	vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .ram_fd = -1 };
	vm.ram = calloc(1, RAM_SIZE);
	vm.ram_size = RAM_SIZE;
	cr_assert(vm.ram != NULL);
}

static void teardown(void)
{
	free(vm.ram);
	vm.ram = NULL;
}

static void setup_capture(void)
{
	cr_redirect_stderr();
	setup();
}

TestSuite(kvm_hostcall, .init = setup, .fini = teardown);

static struct hc_args *args(void)
{
	return (struct hc_args *)(vm.ram + ARGS_GPA);
}

static void set_args(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	*args() = (struct hc_args){ .a = { a0, a1, a2, a3 }, .ret = 0x5a5a };
}

/* The guest's 8-byte store of @args_gpa to doorbell slot @nr. */
static int ring(uint64_t nr, uint64_t args_gpa)
{
	uint8_t data[8];

	memcpy(data, &args_gpa, 8);
	return vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA + nr * HC_SLOT_SIZE, data, 8, true);
}

Test(kvm_hostcall, exit_returns_the_status)
{
	set_args(42, 0, 0, 0);
	cr_assert(eq(int, ring(HC_EXIT, ARGS_GPA), 42));
	set_args(0, 0, 0, 0);
	cr_assert(eq(int, ring(HC_EXIT, ARGS_GPA), 0));
}

Test(kvm_hostcall, exit_status_out_of_range_is_fatal)
{
	set_args(256, 0, 0, 0);
	cr_assert(eq(int, ring(HC_EXIT, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, unknown_number_is_fatal_and_named, .init = setup_capture, .fini = teardown)
{
	set_args(0, 0, 0, 0);
	cr_assert(eq(int, ring(200, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	fflush(stderr);
	cr_assert_stderr_eq_str("sentry-vm: guest stopped: unknown hostcall 200 (rip=0x0)\n");
}

Test(kvm_hostcall, first_number_past_the_table_is_fatal)
{
	set_args(0, 0, 0, 0);
	cr_assert(eq(int, ring(HC_NR_MAX, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, doorbell_must_be_an_aligned_8_byte_write)
{
	uint8_t data[8];
	uint64_t gpa = ARGS_GPA;

	memcpy(data, &gpa, 8);
	set_args(0, 0, 0, 0);
	/* misaligned inside slot 0 */
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA + 4, data, 4, true),
		     VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA + 1, data, 8, true),
		     VMM_EXIT_GUEST_FAULT));
	/* short */
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA, data, 4, true),
		     VMM_EXIT_GUEST_FAULT));
	/* a read */
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA, data, 8, false),
		     VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, mmio_elsewhere_is_fatal)
{
	uint8_t data[8] = { 0 };

	cr_assert(eq(int, vm_handle_mmio(&vm, 0xfee00000, data, 4, true), VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_HOSTCALL_GPA - 8, data, 8, true),
		     VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, vm_handle_mmio(&vm, GUEST_IMAGE_GPA, data, 8, true),
		     VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, vm_handle_mmio(&vm, UINT64_MAX - 3, data, 4, true),
		     VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, argument_block_outside_ram_is_fatal)
{
	cr_assert(eq(int, ring(HC_EXIT, RAM_SIZE), VMM_EXIT_GUEST_FAULT));
	/* straddles the end of RAM */
	cr_assert(eq(int, ring(HC_EXIT, RAM_SIZE - 8), VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, ring(HC_EXIT, UINT64_MAX - 7), VMM_EXIT_GUEST_FAULT));
	cr_assert(eq(int, ring(HC_EXIT, GUEST_IMAGE_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, argument_block_at_the_very_end_of_ram_works)
{
	uint64_t gpa = RAM_SIZE - sizeof(struct hc_args);
	struct hc_args a = { .a = { 3 } };

	memcpy(vm.ram + gpa, &a, sizeof(a));
	cr_assert(eq(int, ring(HC_EXIT, gpa), 3));
}

Test(kvm_hostcall, console_writes_and_returns_the_length, .init = setup_capture,
     .fini = teardown)
{
	memcpy(vm.ram + BUF_GPA, "hello\n", 6);
	set_args(BUF_GPA, 6, 0, 0);
	cr_assert(eq(int, ring(HC_CONSOLE, ARGS_GPA), VM_RUNNING));
	cr_assert(eq(i64, args()->ret, 6));
	fflush(stderr);
	cr_assert_stderr_eq_str("hello\n");
}

Test(kvm_hostcall, console_text_outside_ram_is_fatal)
{
	set_args(RAM_SIZE - 2, 6, 0, 0);
	cr_assert(eq(int, ring(HC_CONSOLE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(UINT64_MAX - 2, 6, 0, 0);
	cr_assert(eq(int, ring(HC_CONSOLE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, buffers_outside_ram_are_fatal)
{
	/* write(1, outside, 16) */
	set_args(1, RAM_SIZE, 16, 0);
	cr_assert(eq(int, ring(HC_WRITE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	/* read(0, buffer wrapping around 2^64) */
	set_args(0, UINT64_MAX - 15, 32, 0);
	cr_assert(eq(int, ring(HC_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	/* getrandom into the end of RAM, one byte too many */
	set_args(RAM_SIZE - 16, 17, 0, 0);
	cr_assert(eq(int, ring(HC_GETRANDOM, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	/* ioctl arg outside */
	set_args(0, 0x5401, RAM_SIZE + 4096, 60);
	cr_assert(eq(int, ring(HC_IOCTL, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, the_image_is_not_writable_through_hostcalls)
{
	/* read(0, image) and fstat(1, image) would write into the image */
	set_args(0, GUEST_IMAGE_GPA, 16, 0);
	cr_assert(eq(int, ring(HC_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(1, GUEST_IMAGE_GPA, 0, 0);
	cr_assert(eq(int, ring(HC_FSTAT, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(GUEST_IMAGE_GPA, 16, 0, 0);
	cr_assert(eq(int, ring(HC_GETRANDOM, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, fstat_struct_straddling_the_end_is_fatal)
{
	set_args(1, RAM_SIZE - 100, 0, 0);	/* struct linux_stat is 144 bytes */
	cr_assert(eq(int, ring(HC_FSTAT, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, panic_stops_the_guest)
{
	set_args(0, 0, 0, 0);
	cr_assert(eq(int, ring(HC_PANIC, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, a_host_fd_above_int_max_is_not_truncated)
{
	/* 2^32 + 1 must not become fd 1: the host service sees -1 and refuses. */
	memcpy(vm.ram + BUF_GPA, "x", 1);
	set_args((1ULL << 32) + 1, BUF_GPA, 1, 0);
	cr_assert(eq(int, ring(HC_WRITE, ARGS_GPA), VM_RUNNING));
	cr_assert(lt(i64, args()->ret, 0));
}

static uint64_t timer_asked;

static int fake_set_timer(struct vm *v, uint64_t deadline_ns)
{
	(void)v;
	timer_asked = deadline_ns;
	return 0;
}

Test(kvm_hostcall, set_timer_reaches_the_vm_timer_or_is_enosys)
{
	set_args(123456789, 0, 0, 0);
	cr_assert(eq(int, ring(HC_SET_TIMER, ARGS_GPA), VM_RUNNING));
	cr_assert(eq(i64, args()->ret, -ENOSYS), "no timer (PVM): ENOSYS");
	vm.set_timer = fake_set_timer;
	cr_assert(eq(int, ring(HC_SET_TIMER, ARGS_GPA), VM_RUNNING));
	cr_assert(eq(i64, args()->ret, 0));
	cr_assert(eq(u64, timer_asked, 123456789));
	vm.set_timer = NULL;
}

Test(kvm_hostcall, populate_takes_whole_pages_of_ram)
{
	set_args(0x4000, 0x2000, 0, 0);	/* whole pages of RAM: runs (ret is the host's) */
	cr_assert(eq(int, ring(HC_POPULATE, ARGS_GPA), VM_RUNNING));
	cr_assert(le(i64, args()->ret, 0));
	set_args(0x4000, 100, 0, 0);	/* not whole pages */
	cr_assert(eq(int, ring(HC_POPULATE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(RAM_SIZE - 4096, 2 * 4096, 0, 0);	/* past the end of RAM */
	cr_assert(eq(int, ring(HC_POPULATE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(GUEST_IMAGE_GPA, 4096, 0, 0);	/* the image is not RAM */
	cr_assert(eq(int, ring(HC_POPULATE, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
}

Test(kvm_hostcall, image_read_copies_image_to_ram_only)
{
	static const uint8_t image[100] = "image bytes";

	set_args(BUF_GPA, GUEST_IMAGE_GPA, 11, 0);	/* no image */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	vm.image = image;
	vm.image_bytes = sizeof(image);
	set_args(BUF_GPA, GUEST_IMAGE_GPA, 11, 0);
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VM_RUNNING));
	cr_assert(eq(i64, args()->ret, 0));
	cr_assert(eq(int, memcmp(vm.ram + BUF_GPA, "image bytes", 11), 0));
	set_args(BUF_GPA, GUEST_IMAGE_GPA + 90, 11, 0);	/* past the image's end */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(RAM_SIZE - 5, GUEST_IMAGE_GPA, 11, 0);	/* past the end of RAM */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(GUEST_IMAGE_GPA, GUEST_IMAGE_GPA, 11, 0);	/* into the image */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(BUF_GPA, BUF_GPA + 4096, 11, 0);	/* from RAM */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	set_args(BUF_GPA, GUEST_IMAGE_GPA + 1, -1ULL, 0);	/* a length that wraps */
	cr_assert(eq(int, ring(HC_IMAGE_READ, ARGS_GPA), VMM_EXIT_GUEST_FAULT));
	vm.image = NULL;
	vm.image_bytes = 0;
}

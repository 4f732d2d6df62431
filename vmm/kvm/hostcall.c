// SPDX-License-Identifier: Apache-2.0
/*
 * hostcall.c: the VMM end of the hostcall ABI (abi/sentry/hostcall.h).
 *
 * The guest writes the guest-physical address of a struct hc_args, 8 bytes,
 * to GUEST_HOSTCALL_GPA + 8 * nr: a page without memslot, so the store exits
 * with KVM_EXIT_MMIO. vm_handle_mmio() checks the store, copies the argument
 * block out of guest RAM, translates every pointer argument with
 * vm_gpa_ptr(), calls the one implementation of the service (vmm/host/,
 * sentry/host.h) and writes ret back. No allocation on this path.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Before sentry/types.h, which defines __unused (a field name in there). */
#include "abi/linux/arch/stat.h"

#include "sentry/arch/layout.h"
#include "sentry/host.h"

#include "abi/sentry/hostcall.h"

#include "vmm/kvm.h"

#define CONSOLE_MAX	(16 * 1024)	/* longest diagnostic line the guest may send */
#define IOCTL_ARG_MAX	4096		/* host_ioctl() args are termios/winsize */

typedef int (*hc_handler)(struct vm *vm, struct hc_args *a);

/* A host fd from the guest: out-of-range values become -1 (host_* say -EBADF). */
static int hc_fd(uint64_t v)
{
	return v <= INT_MAX ? (int)v : -1;
}

static int hc_exit(struct vm *vm, struct hc_args *a)
{
	if (a->a[0] > 255)
		return vm_fatal(vm, "exit hostcall with status %llu (not 0-255)",
				(unsigned long long)a->a[0]);
	return (int)a->a[0];
}

static int hc_console(struct vm *vm, struct hc_args *a)
{
	size_t len = a->a[1] < CONSOLE_MAX ? a->a[1] : CONSOLE_MAX;
	const char *s = vm_gpa_ptr(vm, a->a[0], len);
	size_t done = 0;
	ssize_t n;

	if (!s)
		return vm_fatal(vm, "console hostcall: text at gpa 0x%llx (%zu bytes) is outside guest RAM",
				(unsigned long long)a->a[0], len);
	while (done < len) {
		n = write(STDERR_FILENO, s + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	a->ret = (int64_t)len;
	return VM_RUNNING;
}

/*
 * A buffer argument: its host pointer, or NULL after vm_fatal() (the
 * handler then returns VMM_EXIT_GUEST_FAULT).
 */
static void *hc_buf(struct vm *vm, const char *call, uint64_t gpa, size_t len)
{
	void *p = vm_gpa_ptr(vm, gpa, len);

	if (!p)
		vm_fatal(vm, "%s hostcall: buffer at gpa 0x%llx (%zu bytes) is outside guest RAM",
			 call, (unsigned long long)gpa, len);
	return p;
}

static size_t io_len(uint64_t len)
{
	return len < HOST_IO_MAX ? (size_t)len : HOST_IO_MAX;
}

static int hc_read(struct vm *vm, struct hc_args *a)
{
	size_t len = io_len(a->a[2]);
	void *buf = hc_buf(vm, "read", a->a[1], len);

	if (!buf)
		return VMM_EXIT_GUEST_FAULT;
	a->ret = host_read(hc_fd(a->a[0]), buf, len);
	return VM_RUNNING;
}

static int hc_write(struct vm *vm, struct hc_args *a)
{
	size_t len = io_len(a->a[2]);
	const void *buf = hc_buf(vm, "write", a->a[1], len);

	if (!buf)
		return VMM_EXIT_GUEST_FAULT;
	a->ret = host_write(hc_fd(a->a[0]), buf, len);
	return VM_RUNNING;
}

static int hc_ioctl(struct vm *vm, struct hc_args *a)
{
	size_t len = a->a[3] < IOCTL_ARG_MAX ? a->a[3] : IOCTL_ARG_MAX;
	void *arg = hc_buf(vm, "ioctl", a->a[2], len);

	if (!arg)
		return VMM_EXIT_GUEST_FAULT;
	a->ret = host_ioctl(hc_fd(a->a[0]), (unsigned long)a->a[1], arg, len);
	return VM_RUNNING;
}

static int hc_fstat(struct vm *vm, struct hc_args *a)
{
	void *st = hc_buf(vm, "fstat", a->a[1], sizeof(struct linux_stat));
	struct linux_stat tmp;

	if (!st)
		return VMM_EXIT_GUEST_FAULT;
	/* Through an aligned copy: the guest's struct may be anywhere. */
	a->ret = host_fstat(hc_fd(a->a[0]), &tmp);
	if (a->ret == 0)
		memcpy(st, &tmp, sizeof(tmp));
	return VM_RUNNING;
}

static int hc_getrandom(struct vm *vm, struct hc_args *a)
{
	size_t len = io_len(a->a[1]);
	void *buf = hc_buf(vm, "getrandom", a->a[0], len);

	if (!buf)
		return VMM_EXIT_GUEST_FAULT;
	a->ret = host_getrandom(buf, len);
	return VM_RUNNING;
}

static int hc_nanosleep(struct vm *vm, struct hc_args *a)
{
	a->ret = host_nanosleep(a->a[0]);
	return VM_RUNNING;
}

static int hc_panic(struct vm *vm, struct hc_args *a)
{
	return vm_fatal(vm, "the sentry panicked (its message is above)");
}

static int hc_set_timer(struct vm *vm, struct hc_args *a)
{
	a->ret = vm->set_timer ? vm->set_timer(vm, a->a[0]) : -ENOSYS;
	return VM_RUNNING;
}

/* Errors are the guest's to ignore: the pages are then backed on first touch. */
static int hc_populate(struct vm *vm, struct hc_args *a)
{
	void *p = vm_gpa_ptr(vm, a->a[0], a->a[1]);

	if (!p || (a->a[0] | a->a[1]) & 4095)
		return vm_fatal(vm, "populate hostcall: 0x%llx bytes at gpa 0x%llx are not whole pages of RAM",
				(unsigned long long)a->a[1], (unsigned long long)a->a[0]);
	a->ret = madvise(p, a->a[1], MADV_POPULATE_WRITE) ? -errno : 0;
	return VM_RUNNING;
}

static int hc_image_read(struct vm *vm, struct hc_args *a)
{
	uint64_t len = a->a[2], off = a->a[1] - GUEST_IMAGE_GPA;
	void *dst = vm_gpa_ptr(vm, a->a[0], len);

	if (!dst || !vm->image || a->a[1] < GUEST_IMAGE_GPA || off > vm->image_bytes ||
	    len > vm->image_bytes - off)
		return vm_fatal(vm, "image read hostcall: 0x%llx bytes from gpa 0x%llx to 0x%llx are not image to RAM",
				(unsigned long long)len, (unsigned long long)a->a[1],
				(unsigned long long)a->a[0]);
	memcpy(dst, vm->image + off, len);
	a->ret = 0;
	return VM_RUNNING;
}

static const hc_handler hc_table[HC_NR_MAX] = {
	[HC_EXIT]	= hc_exit,
	[HC_CONSOLE]	= hc_console,
	[HC_READ]	= hc_read,
	[HC_WRITE]	= hc_write,
	[HC_IOCTL]	= hc_ioctl,
	[HC_FSTAT]	= hc_fstat,
	[HC_GETRANDOM]	= hc_getrandom,
	[HC_NANOSLEEP]	= hc_nanosleep,
	[HC_PANIC]	= hc_panic,
	[HC_SET_TIMER]	= hc_set_timer,
	[HC_POPULATE]	= hc_populate,
	[HC_IMAGE_READ]	= hc_image_read,
};

int vm_handle_mmio(struct vm *vm, uint64_t addr, const uint8_t *data, uint32_t len,
		   bool is_write)
{
	uint64_t off = addr - GUEST_HOSTCALL_GPA, args_gpa;
	struct hc_args a;
	void *ga;
	int ret;

	if (addr < GUEST_HOSTCALL_GPA || off >= (uint64_t)HC_NR_MAX * HC_SLOT_SIZE) {
		if (addr >= GUEST_HOSTCALL_GPA && off < 4096)
			return vm_fatal(vm, "unknown hostcall %llu", (unsigned long long)(off / HC_SLOT_SIZE));
		return vm_fatal(vm, "MMIO %s of %u bytes at gpa 0x%llx (no device there)",
				is_write ? "write" : "read", len, (unsigned long long)addr);
	}
	if (!is_write || len != 8 || off % HC_SLOT_SIZE)
		return vm_fatal(vm, "bad hostcall doorbell access: %s of %u bytes at gpa 0x%llx (need an aligned 8-byte write)",
				is_write ? "write" : "read", len, (unsigned long long)addr);
	memcpy(&args_gpa, data, sizeof(args_gpa));
	ga = vm_gpa_ptr(vm, args_gpa, sizeof(a));
	if (!ga)
		return vm_fatal(vm, "hostcall %llu: argument block at gpa 0x%llx is outside guest RAM",
				(unsigned long long)(off / HC_SLOT_SIZE), (unsigned long long)args_gpa);
	if (!hc_table[off / HC_SLOT_SIZE])
		return vm_fatal(vm, "unknown hostcall %llu", (unsigned long long)(off / HC_SLOT_SIZE));

	/* A private copy: the guest cannot change the arguments under us. */
	memcpy(&a, ga, sizeof(a));
	a.ret = -ENOSYS;
	vm->hostcalls++;
	ret = hc_table[off / HC_SLOT_SIZE](vm, &a);
	memcpy((char *)ga + offsetof(struct hc_args, ret), &a.ret, sizeof(a.ret));
	return ret;
}

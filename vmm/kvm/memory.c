// SPDX-License-Identifier: Apache-2.0
/*
 * memory.c: guest memory. RAM is a memfd mapped MAP_SHARED (host pages only
 * where the guest touches) as memslot 0 at GPA 0; the image is memslot 1 at
 * GUEST_IMAGE_GPA, read-only. vm_gpa_ptr() is the one checked translation
 * from guest-physical addresses to host pointers.
 *
 *   GPA 0 ........ ram_size    RAM (slot 0): kernel, boot area, sentry heap, app pages
 *   GUEST_HOSTCALL_GPA         no slot: every access is an MMIO exit (doorbell)
 *   GUEST_IMAGE_GPA .. +size   the image tar (slot 1, KVM_MEM_READONLY)
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sentry/arch/layout.h"

#include "vmm/kvm.h"

#define SLOT_RAM	0
#define SLOT_IMAGE	1

void *vm_gpa_ptr(struct vm *vm, uint64_t gpa, size_t len)
{
	/* Both tests, in this order, so that gpa + len never overflows. */
	if (gpa > vm->ram_size || len > vm->ram_size - gpa)
		return NULL;
	return vm->ram + gpa;
}

static int set_slot(struct vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		    uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

/*
 * Guest RAM: refuse sizes that would run into the doorbell page (RAM must
 * stay below it: an access to it must exit) and round to 2 MiB, the page
 * size of the boot direct map.
 */
int vm_setup_ram(struct vm *vm, uint64_t ram_size)
{
	const uint64_t ram_max = GUEST_HOSTCALL_GPA & ~((2UL << 20) - 1);
	int err;

	ram_size &= ~((2UL << 20) - 1);
	if (ram_size < (16UL << 20) || ram_size > ram_max) {
		vmm_err("guest RAM must be 16 MiB to %lu MiB under KVM (-m)",
			(unsigned long)(ram_max >> 20));
		return -EINVAL;
	}
	vm->ram_fd = memfd_create("sentry-vm-ram", MFD_CLOEXEC);
	if (vm->ram_fd < 0 || ftruncate(vm->ram_fd, (off_t)ram_size) < 0) {
		err = -errno;
		vmm_err("cannot create guest RAM (%lu MiB): %s",
			(unsigned long)(ram_size >> 20), strerror(-err));
		return err;
	}
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->ram_fd, 0);
	if (vm->ram == MAP_FAILED) {
		err = -errno;
		vm->ram = NULL;
		vmm_err("cannot map guest RAM: %s", strerror(-err));
		return err;
	}
	vm->ram_size = ram_size;
	err = set_slot(vm, SLOT_RAM, 0, 0, ram_size, vm->ram);
	if (err)
		vmm_err("KVM_SET_USER_MEMORY_REGION (RAM): %s", strerror(-err));
	return err;
}

/*
 * The image: read-only slot over the caller's read-only file mapping. Where
 * KVM refuses read-only slots, a private anonymous copy serves instead
 * (guest writes then land in the copy, never in the file).
 */
int vm_setup_image(struct vm *vm, const struct image *img)
{
	uint64_t size = (img->size + 4095) & ~4095UL;
	void *copy;
	int err;

	if (!img->size)
		return 0;
	if (size > (1UL << 39)) {
		vmm_err("image too large for the KVM platform (%zu bytes)", img->size);
		return -EFBIG;
	}
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0) {
		err = set_slot(vm, SLOT_IMAGE, KVM_MEM_READONLY, GUEST_IMAGE_GPA, size,
			       (void *)img->data);
		if (!err) {
			vm->image = img->data;
			vm->image_bytes = img->size;
			return 0;
		}
	}
	/* KVM has no read-only memslots here: the guest gets a private copy. */
	if (vm->debug)
		vmm_info("kvm: no read-only memory slots; the image is copied for the guest");
	copy = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (copy == MAP_FAILED) {
		err = -errno;
		vmm_err("cannot copy the image for the guest: %s", strerror(-err));
		return err;
	}
	memcpy(copy, img->data, img->size);
	vm->image_copy = copy;
	vm->image_copy_size = size;
	err = set_slot(vm, SLOT_IMAGE, 0, GUEST_IMAGE_GPA, size, copy);
	if (err)
		vmm_err("KVM_SET_USER_MEMORY_REGION (image): %s", strerror(-err));
	vm->image = copy;
	vm->image_bytes = img->size;
	return err;
}

void vm_free_memory(struct vm *vm)
{
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->ram_fd >= 0)
		close(vm->ram_fd);
	if (vm->image_copy)
		munmap(vm->image_copy, vm->image_copy_size);
	vm->ram = NULL;
	vm->ram_fd = -1;
	vm->image_copy = NULL;
	vm->image = NULL;
}

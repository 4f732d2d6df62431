// SPDX-License-Identifier: Apache-2.0
/*
 * run.c: create the VM, load the guest, build its boot info, run its one
 * vCPU until it exits or misbehaves, tear everything down.
 *
 * Order (each step needs the previous ones):
 *   1. /dev/kvm, the VM, arch VM setup (ring 0: TSS area)
 *   2. guest RAM (memfd, slot 0) and the image (read-only slot 1)
 *   3. the vCPU; the KVM flavour (PVM or ring 0) is known from here on
 *   4. the guest ELF into RAM, then the boot area after it (arch)
 *   5. vCPU state: CPUID, sregs, MSRs (arch)
 *   6. host clocks + TSC, the FDT, the boot registers; KVM_RUN loop
 */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "sentry/arch/layout.h"

#include "abi/sentry/bootinfo.h"

#include "vmm/kvm.h"

#include "../sandbox/seccomp.h"

static int vm_open(struct vm *vm)
{
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		vmm_err("cannot open /dev/kvm: %s", strerror(errno));
		return -errno;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		vmm_err("KVM_CREATE_VM: %s", strerror(errno));
		return -errno;
	}
	arch_vm_prepare(vm);
	return 0;
}

static int vcpu_open(struct vm *vm)
{
	int size;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		vmm_err("KVM_CREATE_VCPU: %s", strerror(errno));
		return -errno;
	}
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		vmm_err("KVM_GET_VCPU_MMAP_SIZE: %s", size < 0 ? strerror(errno) : "too small");
		return -EINVAL;
	}
	vm->run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		vmm_err("cannot map the vCPU run page: %s", strerror(errno));
		return -errno;
	}
	vm->run_size = (size_t)size;
	return 0;
}

static void vm_close(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	vm_free_memory(vm);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The FDT, with the clocks taken now (right before the first KVM_RUN). */
static int vm_bootinfo(struct vm *vm, const struct vmm_config *cfg, const struct image *img,
		       const struct vm_layout *lay, uint64_t *size)
{
	struct boot_params bp;
	void *fdt = vm_gpa_ptr(vm, lay->fdt_gpa, BOOTINFO_MAX_SIZE);
	int err;

	boot_params_from_config(cfg, img, &bp);
	bp.flavour = vm->flavour;
	bp.ncpus = 1;
	bp.ram_size = vm->ram_size;
	bp.ram_free = lay->boot_end;
	bp.image_pa = img->size ? GUEST_IMAGE_GPA : 0;
	bp.image_size = img->size;
	bp.tsc_khz = arch_vm_tsc_khz(vm);
	bp.boot_realtime_ns = clock_ns(CLOCK_REALTIME);
	bp.boot_tsc = arch_vm_read_tsc();
	bp.boot_monotonic_ns = clock_ns(CLOCK_MONOTONIC);
	if (!fdt)
		return -ENOSPC;
	err = bootinfo_build(fdt, BOOTINFO_MAX_SIZE, &bp);
	if (err) {
		vmm_err("the boot info does not fit in %d KiB (too many arguments or environment variables?)",
			BOOTINFO_MAX_SIZE / 1024);
		return err;
	}
	*size = fdt_totalsize(fdt);
	return 0;
}

static int vm_exit_reason(struct vm *vm)
{
	struct kvm_run *run = vm->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return vm_handle_mmio(vm, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
				      run->mmio.is_write);
	case KVM_EXIT_IO:
		return vm_fatal(vm, "port I/O: %s of %u bytes at port 0x%x",
				run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
				run->io.size, run->io.port);
	case KVM_EXIT_HLT:
		return vm_fatal(vm, "halted with no interrupt that could wake it");
	case KVM_EXIT_SHUTDOWN:
		return vm_fatal(vm, "triple fault (an exception it could not handle)");
	case KVM_EXIT_INTERNAL_ERROR:
		return vm_fatal(vm, "KVM could not run it (internal error, suberror %u)",
				run->internal.suberror);
	case KVM_EXIT_FAIL_ENTRY:
		return vm_fatal(vm, "VM entry failed (hardware reason 0x%llx)",
				(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
	case KVM_EXIT_INTR:
	case KVM_EXIT_IRQ_WINDOW_OPEN:	/* the timer interrupt can go in now */
		return VM_RUNNING;
	default:
		return vm_fatal(vm, "unexpected KVM exit %u", run->exit_reason);
	}
}

static int vm_loop(struct vm *vm)
{
	int st;

	for (;;) {
		vm_timer_inject(vm);
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vmm_err("KVM_RUN: %s", strerror(errno));
			return VMM_EXIT_ERROR;
		}
		st = vm_exit_reason(vm);
		if (st != VM_RUNNING)
			return st;
	}
}

int kvm_run_elf(const struct vmm_config *cfg, const struct image *img, const void *elf,
		size_t elf_size)
{
	struct vm vm = { .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .ram_fd = -1,
			 .guest_pc = arch_vm_guest_pc, .debug = cfg->loglevel >= 7 };
	struct vm_layout lay = { 0 };
	uint64_t fdt_size;
	int status = VMM_EXIT_ERROR;

	if (vm_open(&vm) || vm_setup_ram(&vm, cfg->ram_size) || vm_setup_image(&vm, img) ||
	    vcpu_open(&vm))
		goto out;
	vm.flavour = arch_vm_flavour(&vm);
	if (vm_load_elf(&vm, elf, elf_size, &lay) || arch_vm_boot_area(&vm, img->size, &lay) ||
	    arch_vm_vcpu_init(&vm, &lay) || vm_bootinfo(&vm, cfg, img, &lay, &fdt_size) ||
	    arch_vm_boot_regs(&vm, &lay, fdt_size))
		goto out;
	if (vm.debug)
		vmm_info("kvm: %s flavour, %llu MiB RAM, boot area ends at 0x%llx",
			 vm.flavour == BOOT_FLAVOUR_KVM_PVM ? "PVM" : "ring-0",
			 (unsigned long long)(vm.ram_size >> 20), (unsigned long long)lay.boot_end);
	if (vm_timer_init(&vm))
		vmm_info("kvm: no preemption timer: a task that never stops keeps the vCPU");
	if (seccomp_vmm_enter()) {
		vmm_err("cannot enter the VMM's seccomp allowlist");
		goto out;
	}
	status = vm_loop(&vm);
	if (vm.debug)
		vmm_info("kvm: guest done, status %d, %llu hostcalls", status,
			 (unsigned long long)vm.hostcalls);
out:
	vm_timer_fini(&vm);
	vm_close(&vm);
	return status;
}

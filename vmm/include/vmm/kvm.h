/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kvm.h: the KVM platform's internals, shared by vmm/kvm/ (generic: VM,
 * memory, ELF loader, run loop, hostcall dispatcher), arch/<a>/vmm/ (boot
 * structures and vCPU state) and their unit tests. Host only.
 *
 * Guest misbehaviour policy: anything the guest does that the VMM does not
 * serve (an unknown hostcall, a pointer outside RAM, MMIO or port I/O
 * elsewhere, a triple fault, an emulation failure) goes through the one
 * function vm_fatal(), which names what the guest did and makes kvm_run()
 * return VMM_EXIT_GUEST_FAULT. Nothing the guest does may crash the VMM.
 */
#ifndef VMM_KVM_H
#define VMM_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/vmm.h"

struct kvm_run;

/* The run loop goes on while handlers return this; else it is the exit status. */
#define VM_RUNNING	(-1)

struct vm {
	int kvm_fd, vm_fd, vcpu_fd;	/* -1 when not open (unit tests) */
	struct kvm_run *run;		/* the vCPU's shared run page */
	size_t run_size;
	int ram_fd;			/* memfd behind guest RAM */
	uint8_t *ram;			/* guest RAM [0, ram_size), host mapping */
	uint64_t ram_size;
	void *image_copy;		/* private image copy when KVM has no read-only slots */
	size_t image_copy_size;
	const uint8_t *image;		/* what the image slot maps (HC_IMAGE_READ) */
	uint64_t image_bytes;		/* the image's size: what may be read of it */
	uint32_t flavour;		/* BOOT_FLAVOUR_* */
	uint64_t (*guest_pc)(struct vm *vm);	/* for vm_fatal; NULL: unknown (unit tests) */
	uint64_t hostcalls;		/* statistics: hostcalls served */
	/* HC_SET_TIMER (vmm/kvm/timer.c); NULL: no timer for this VM (-ENOSYS) */
	int (*set_timer)(struct vm *vm, uint64_t deadline_ns);
	bool debug;			/* -v: say how the VM was set up */
};

/* Where the loader and the arch boot code put things (guest-physical). */
struct vm_layout {
	uint64_t entry;			/* e_entry (guest virtual) */
	uint64_t kernel_end;		/* first page after the last PT_LOAD */
	uint64_t boot_end;		/* first byte after the boot area: ram_free */
	uint64_t fdt_gpa;		/* BOOTINFO_MAX_SIZE reserved for the FDT */
	uint64_t fdt_va;		/* the FDT's address for the guest (direct map) */
	/* x86_64 */
	uint64_t root;			/* boot page-table root (even page) */
	uint64_t gdt_va, tss_va, pcpu_va;	/* kernel-half virtual addresses */
	uint64_t stack_top;		/* the sentry stack (kernel half) */
};

/**
 * vm_gpa_ptr() - THE guest-physical -> host translation: every guest
 * address the VMM dereferences goes through here.
 * @gpa: guest-physical address.
 * @len: bytes the caller will access from @gpa; 0 is allowed anywhere in
 *       [0, ram_size] (nothing is accessed).
 * Only guest RAM is reachable (never the image: the guest cannot make the
 * VMM write into it). Overflow-safe for any @gpa and @len.
 * Return: the host pointer, or NULL when [@gpa, @gpa + @len) is not in RAM.
 */
void *vm_gpa_ptr(struct vm *vm, uint64_t gpa, size_t len);

/**
 * vm_setup_ram() - create guest RAM (@ram_size rounded down to 2 MiB, below
 * the doorbell) as memslot 0. Return: 0 or -errno (logged).
 */
int vm_setup_ram(struct vm *vm, uint64_t ram_size);

/** vm_setup_image() - map @img read-only at GUEST_IMAGE_GPA. Return: 0 or -errno (logged). */
int vm_setup_image(struct vm *vm, const struct image *img);

/** vm_free_memory() - unmap and close what vm_setup_ram/image made. */
void vm_free_memory(struct vm *vm);

/**
 * vm_fatal() - stop a misbehaving guest: prints
 * "sentry-vm: guest stopped: <what> (rip=0x...)" on stderr.
 * Return: VMM_EXIT_GUEST_FAULT, for the run loop to return.
 */
int vm_fatal(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * vm_handle_mmio() - a KVM_EXIT_MMIO: hostcall doorbell or misbehaviour.
 * @addr, @data, @len, @is_write: the exit's mmio fields.
 * Return: VM_RUNNING, the guest's exit status (HC_EXIT), or
 * VMM_EXIT_GUEST_FAULT (vm_fatal).
 */
int vm_handle_mmio(struct vm *vm, uint64_t addr, const uint8_t *data,
		   uint32_t len, bool is_write);

/**
 * vm_load_elf() - load the guest ELF @elf (@size bytes) into RAM by its
 * PT_LOAD p_paddr; every field is checked against the blob and RAM.
 * Sets @lay->entry and @lay->kernel_end. Return: 0 or -ENOEXEC (logged).
 */
int vm_load_elf(struct vm *vm, const void *elf, size_t size, struct vm_layout *lay);

/**
 * kvm_run_elf() - kvm_run() with another guest ELF than the embedded
 * sentry (test/vmm's loader). @img may be empty (size 0: no image slot).
 */
int kvm_run_elf(const struct vmm_config *cfg, const struct image *img,
		const void *elf, size_t elf_size);

/* --- arch/<a>/vmm ------------------------------------------------------- */

/** arch_vm_flavour() - BOOT_FLAVOUR_* of this host's KVM (vCPU created). */
uint32_t arch_vm_flavour(struct vm *vm);

/**
 * arch_vm_boot_area() - build page tables, GDT/TSS, per-CPU page and stacks
 * in RAM after @lay->kernel_end, reserve the FDT; fills the rest of @lay.
 * Return: 0 or -ENOSPC (logged) when RAM is too small.
 */
int arch_vm_boot_area(struct vm *vm, uint64_t image_size, struct vm_layout *lay);

/** arch_vm_vcpu_init() - CPUID, sregs, MSRs. Return: 0 or -errno (logged). */
int arch_vm_vcpu_init(struct vm *vm, const struct vm_layout *lay);

/**
 * arch_vm_boot_regs() - the entry registers (boot.h): the FDT at
 * @lay->fdt_va, @fdt_size bytes. Return: 0 or -errno (logged).
 */
int arch_vm_boot_regs(struct vm *vm, const struct vm_layout *lay, uint64_t fdt_size);

/** arch_vm_tsc_khz() - the guest TSC rate; 0 when unknown. */
uint64_t arch_vm_tsc_khz(struct vm *vm);

/** arch_vm_guest_pc() - the vCPU's instruction pointer, 0 when unknown. */
uint64_t arch_vm_guest_pc(struct vm *vm);

/**
 * vm_timer_init() - give @vm the preemption timer (ring-0 flavour): a POSIX
 * timer signals the vCPU thread, KVM_RUN stops at once (immediate_exit)
 * and vm_timer_inject() delivers X86_TIMER_VECTOR when the guest can take
 * it. Before seccomp. Return: 0 or -errno (then the VM runs without).
 */
int vm_timer_init(struct vm *vm);
/** vm_timer_fini() - disarm it for good (before the run page goes). */
void vm_timer_fini(struct vm *vm);
/** vm_timer_inject() - before each KVM_RUN: inject a fired timer, or ask for the window. */
void vm_timer_inject(struct vm *vm);

/**
 * arch_vm_inject_irq() - inject interrupt @vector now if the vCPU can take
 * it (interrupts on, injection ready); else ask KVM to exit when it can.
 * Return: true when injected.
 */
bool arch_vm_inject_irq(struct vm *vm, unsigned int vector);

/** arch_vm_read_tsc() - the host TSC (PVM: also the guest's). */
uint64_t arch_vm_read_tsc(void);

/** arch_vm_prepare() - VM-level setup before memory (ring 0: TSS/identity map). */
void arch_vm_prepare(struct vm *vm);

#endif /* VMM_KVM_H */

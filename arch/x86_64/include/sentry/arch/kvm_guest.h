/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kvm_guest.h: what the KVM guest's generic files (kernel/plat_kvm.c,
 * kernel/hostcall.c) need from the arch (arch/x86_64/kernel). Guest only:
 * never included by hosted builds.
 */
#ifndef SENTRY_ARCH_KVM_GUEST_H
#define SENTRY_ARCH_KVM_GUEST_H

#include "sentry/arch/layout.h"
#include "sentry/types.h"

/* The hostcall doorbell: an uncached mapping of GUEST_HOSTCALL_GPA. */
#define HOSTCALL_DOORBELL_VA	(DIRECT_MAP_BASE + GUEST_HOSTCALL_GPA)

/*
 * arch_virt_to_phys() - guest-physical address of a sentry pointer: one in
 * the kernel image / boot area (KERNEL_VBASE + gpa) or in the direct map
 * (DIRECT_MAP_BASE + gpa). Anything else is a sentry bug (panics).
 */
paddr_t arch_virt_to_phys(const void *p);

/*
 * One 8-byte store to MMIO: a plain "mov reg, (reg)" so that every KVM
 * flavour's instruction decoder handles it. Also a compiler barrier: the
 * argument block is written before, the result read after.
 */
static inline void arch_mmio_write64(uint64_t va, uint64_t val)
{
	__asm__ volatile("movq %1, (%0)" : : "r"(va), "r"(val) : "memory");
}

/* The TSC: native on every flavour (PVM: the host's TSC). */
static inline uint64_t arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * kvm_hostcall() - hostcall @nr (abi/sentry/hostcall.h) with raw arguments
 * (pointers already converted to guest-physical addresses). In
 * kernel/hostcall.c. Return: the VMM's ret.
 */
int64_t kvm_hostcall(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3);

/* kvm_populate() - HC_POPULATE (kernel/hostcall.c). Return: 0 or -errno. */
long kvm_populate(uint64_t gpa, uint64_t len);
/* kvm_image_read() - HC_IMAGE_READ (kernel/hostcall.c). Return: 0 or -errno. */
long kvm_image_read(uint64_t dst_gpa, uint64_t src_gpa, uint64_t len);
/* kvm_set_timer() - HC_SET_TIMER (kernel/hostcall.c). Return: 0 or -ENOSYS. */
long kvm_set_timer(uint64_t deadline_ns);
/* kvm_timer_fired() - the timer interrupt arrived: nothing is armed now (kernel/plat_kvm.c). */
void kvm_timer_fired(void);

#endif /* SENTRY_ARCH_KVM_GUEST_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * boot.c: the C half of the guest's bring-up (after head.S), the flavour
 * flags the entry code reads, and the sentry's virtual -> physical helper.
 */
#include "sentry/arch/kvm_guest.h"
#include "sentry/arch/layout.h"

#include "sentry/bootinfo.h"
#include "sentry/bug.h"
#include "sentry/host.h"
#include "sentry/platform.h"

#include "abi/sentry/bootinfo.h"

#include "x86.h"

_Static_assert(BOOT_FLAVOUR_KVM_PVM == 1, "head.S and x86_is_pvm() hard-code the PVM flavour");

uint32_t x86_flavour;
uint8_t x86_need_swapgs;
bool x86_pvm_gates = true;
uint64_t x86_boot_root;

extern const char __kernel_vbase[];	/* sentry.lds */

paddr_t arch_virt_to_phys(const void *p)
{
	uint64_t va = (uint64_t)p;

	if (va >= KERNEL_VBASE)
		return va - KERNEL_VBASE;
	if (va >= DIRECT_MAP_BASE && va - DIRECT_MAP_BASE < 2 * GUEST_IMAGE_GPA)
		return va - DIRECT_MAP_BASE;
	panic("arch_virt_to_phys: %p is not a sentry address", p);
}

void arch_boot(const void *fdt, size_t size, uint32_t flavour)
{
	x86_flavour = flavour;
	x86_need_swapgs = flavour != BOOT_FLAVOUR_KVM_PVM;
	x86_boot_root = read_cr3() & PAGE_MASK & ~(1UL << 63);
	x86_fsgsbase = x86_is_pvm() || (read_cr4() & X86_CR4_FSGSBASE);
	x86_idt_init();
	if ((uint64_t)__kernel_vbase != KERNEL_VBASE)
		panic("sentry.lds and layout.h disagree on KERNEL_VBASE");

	host_exit(sentry_main(fdt, size));
	plat_panic();	/* host_exit() does not return under KVM */
}

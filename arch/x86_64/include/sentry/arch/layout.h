/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layout.h: every fixed address of the x86_64 build, one comment each.
 * Dual-use (core, guest, VMM).
 *
 * App virtual addresses (lower half), same on both platforms:
 */
#ifndef SENTRY_ARCH_LAYOUT_H
#define SENTRY_ARCH_LAYOUT_H

#define USER_VA_START	0x0000000000010000UL	/* lowest app mapping (mmap_min_addr) */
#define USER_VA_END	0x00007fff00000000UL	/* app space ends here; above: platform use */
#define USER_STACK_TOP	0x00007ffeff000000UL	/* initial stack grows down from here */
#define USER_STACK_SIZE	(8UL << 20)		/* initial stack VMA (populated on demand) */
#define USER_MMAP_BASE	0x00007ff000000000UL	/* top-down mmap area starts below this */
#define USER_PIE_BASE	0x0000555555554000UL	/* ET_DYN main programs load here */
#define USER_VDSO_VA	0x00007ffeff800000UL	/* [vvar] page, the [vdso] image above it */

/* ptrace platform: the stub's code page in the traced process (above USER_VA_END). */
#define PTRACE_STUB_VA	0x00007fff00000000UL

/*
 * Guest physical layout (KVM):
 *   [0, RAM size)          guest RAM, the memfd (memslot 0)
 *   GUEST_IMAGE_GPA        the image tar, read-only memslot 1
 *   GUEST_HOSTCALL_GPA     unbacked page: hostcall doorbell (MMIO exit)
 * Sentry virtual layout (upper half, KVM):
 *   KERNEL_VBASE + gpa     kernel image and its boot data (-mcmodel=kernel)
 *   DIRECT_MAP_BASE + gpa  all of RAM and the image: plat_phys_to_virt()
 */
#define GUEST_RAM_DEFAULT	(512UL << 20)	/* default guest RAM (sparse memfd) */
#define GUEST_KERNEL_GPA	0x200000UL	/* sentry.elf loads at 2 MiB */
#define GUEST_IMAGE_GPA		0x0000008000000000UL	/* 512 GiB: above any RAM size */
#define GUEST_HOSTCALL_GPA	0x00000000fed00000UL	/* 1 MiB below the LAPIC page */
#define KERNEL_VBASE		0xffffffff80000000UL
#define DIRECT_MAP_BASE		0xffff888000000000UL

#endif /* SENTRY_ARCH_LAYOUT_H */

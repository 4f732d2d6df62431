/* SPDX-License-Identifier: Apache-2.0 */
/*
 * boot.h: the x86_64 KVM boot contract between the VMM (arch/x86_64/vmm)
 * and the sentry's entry code (arch/x86_64/kernel/head.S). Dual-use, C99
 * and assembler (only #defines).
 *
 * The VMM loads sentry.elf by p_paddr, builds the boot area right after it
 * (page tables, GDT + TSS, the per-CPU page, stacks, the FDT) and starts
 * vCPU 0 at e_entry in 64-bit mode, CPL 0 (PVM: emulated kernel mode):
 *
 *   rdi = FDT, direct-map virtual address     rsi = FDT size
 *   rdx = BOOT_FLAVOUR_KVM_PVM or BOOT_FLAVOUR_KVM_RING0
 *   rsp = top of the sentry stack (upper half)
 *   GS_BASE = the per-CPU page (kernel half); its first qword holds its own
 *   address. PVM: KERNEL_GS_BASE = the same page (see head.S); ring 0: 0.
 *   CR3 = the boot root (even page; PVM: its odd twin is empty)
 *   STAR, SFMASK set; LSTAR and the IDT are the guest's to set.
 *
 * Virtual layout (layout.h): KERNEL_VBASE + gpa maps [0, boot area end) in
 * 2 MiB pages; DIRECT_MAP_BASE + gpa maps RAM and the image (read-only);
 * DIRECT_MAP_BASE + GUEST_HOSTCALL_GPA is the doorbell page, uncached.
 * PVM: every paging entry has U=1 (pvm.md 3.5); ring 0: U=0.
 */
#ifndef ABI_SENTRY_ARCH_BOOT_H
#define ABI_SENTRY_ARCH_BOOT_H

/* GDT selectors: the Linux layout (pvm.md 3.6). */
#define X86_KERNEL_CS		0x10
#define X86_KERNEL_DS		0x18
#define X86_USER32_CS		0x23
#define X86_USER_DS		0x2b
#define X86_USER_CS		0x33
#define X86_TSS_SEL		0x40
#define X86_GDT_ENTRIES		10	/* 8 segments + the 16-byte TSS descriptor */

/* STAR: syscall CS 0x10/SS 0x18; sysret CS 0x20+16|3 = 0x33, SS 0x20+8|3 = 0x2b. */
#define X86_STAR_VALUE		0x0020001000000000
/* SFMASK: TF, IF, DF, IOPL, NT, AC (and ID) cleared on syscall entry. */
#define X86_SFMASK_VALUE	0x47700

/* Stacks in the boot area (sizes in bytes). */
#define BOOT_STACK_SIZE		(128 * 1024)	/* the sentry's own stack */
#define BOOT_TRAP_STACK_SIZE	(16 * 1024)	/* TSS.RSP0: events from user mode */
#define BOOT_IST_STACK_SIZE	(16 * 1024)	/* TSS.IST1: #GP, #DF, NMI, #MC */
#define BOOT_IST_GP		1		/* the IST index of those vectors */

/* PVM (pvm.md 3.1, 3.4, 3.7, 9): MSRs, feature word, hypercalls, gates. */
#define PVM_MSR_FEATURES	0x4b564d10	/* guest-writable feature word */
#define PVM_MSR_SIGNATURE	0x4b564d11	/* reads PVM_SIGNATURE */
#define PVM_MSR_TSC_KHZ		0x4b564d13	/* TSC rate, kHz */
#define PVM_SIGNATURE		0x4d5650	/* "PVM" */
#define PVM_FEATURES_BOOT	0x1		/* bit 0: PV kernel (emulated boot stub) */
#define PVM_FEATURES		0x306f		/* 0x3027 + exit-free gates 0x19/0x17 */
#define PVM_HC_SET_CR3		4097
#define PVM_HC_LOAD_IDT		4101
#define PVM_HC_FLUSH_TLB	4103
#define PVM_HC_SET_VIF_GPA	4108
#define PVM_HC_IRET_FRAME	4109

#endif /* ABI_SENTRY_ARCH_BOOT_H */

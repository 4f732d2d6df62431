// SPDX-License-Identifier: Apache-2.0
/*
 * vcpu.c: x86_64 vCPU state for the sentry (contract:
 * abi/sentry/arch/boot.h), for both KVM flavours:
 *
 *   PVM (pvm.md 3.1, 3.2): detected by /sys/module/kvm_pvm or its signature
 *   MSR; 64-bit CPL 0 state exactly as measured there (CR4 0x10620, no
 *   PCIDE); the guest opts in to native execution itself (head.S).
 *   Ring 0 (VMX/SVM): ordinary long mode; the guest TSC is set to the
 *   host's so that the boot info's TSC baseline holds in the guest.
 *
 * KVM_SET_CPUID2 goes first: 6.12 rejects long-mode sregs before it.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "abi/sentry/arch/boot.h"
#include "abi/sentry/bootinfo.h"

#include "vmm/kvm.h"

#define MSR_IA32_TSC		0x00000010
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

#define X86_CR0_BOOT	0x80050033ULL	/* PG AM WP NE ET MP PE */
#define X86_CR4_BOOT	0x620ULL	/* PAE OSFXSR OSXMMEXCPT */
#define X86_CR4_FSGSBASE (1ULL << 16)
#define X86_CR4_OSXSAVE	(1ULL << 18)

/*
 * XSAVE features the guest turns on where KVM offers them: x87, SSE, AVX
 * and AVX-512 (opmask, ZMM_Hi256, Hi16_ZMM): at most 2.7 KiB of state,
 * which signal frames carry (PLAT_FPU_MAX). Not MPX, PKRU, AMX.
 */
#define XCR0_WANTED	0xe7ULL
#define XCR0_X87_SSE	0x3ULL
#define CPUID1_XSAVE	(1U << 26)	/* ECX */

/* What the guest's CPUID offers that the boot state turns on. */
struct cpu_caps {
	bool fsgsbase;
	uint64_t xcr0;		/* 0: no XSAVE */
};
#define X86_EFER_BOOT	0xd01ULL	/* SCE LME LMA NXE */

#define PVM_SYSFS	"/sys/module/kvm_pvm"
#define MAX_MSRS	8

/* struct kvm_msrs with room for its entries. */
struct msr_list {
	uint32_t nmsrs;
	uint32_t pad;
	struct kvm_msr_entry e[MAX_MSRS];
};

static int get_msr(struct vm *vm, uint32_t index, uint64_t *val)
{
	struct msr_list m = { .nmsrs = 1, .e[0].index = index };

	/* Returns the number of MSRs read: 0 when KVM has no such MSR. */
	if (ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m) != 1)
		return -ENOENT;
	*val = m.e[0].data;
	return 0;
}

static void add_msr(struct msr_list *m, uint32_t index, uint64_t val)
{
	m->e[m->nmsrs].index = index;
	m->e[m->nmsrs].data = val;
	m->nmsrs++;
}

uint64_t arch_vm_read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint32_t arch_vm_flavour(struct vm *vm)
{
	uint64_t sig;

	if (access(PVM_SYSFS, F_OK) == 0)
		return BOOT_FLAVOUR_KVM_PVM;
	if (get_msr(vm, PVM_MSR_SIGNATURE, &sig) == 0 && sig == PVM_SIGNATURE)
		return BOOT_FLAVOUR_KVM_PVM;
	return BOOT_FLAVOUR_KVM_RING0;
}

void arch_vm_prepare(struct vm *vm)
{
	/*
	 * VMX without unrestricted guest needs 3 pages of guest-physical
	 * space for its real-mode TSS; nothing of ours lives there. Harmless
	 * elsewhere; PVM has no use for it.
	 */
	if (access(PVM_SYSFS, F_OK) != 0)
		ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
}

/* Measure the TSC against CLOCK_MONOTONIC for 10 ms (last resort). */
static uint64_t tsc_calibrate(void)
{
	struct timespec a, b, d = { 0, 10 * 1000 * 1000 };
	uint64_t t0, t1, ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = arch_vm_read_tsc();
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t1 = arch_vm_read_tsc();
	ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ULL + (uint64_t)(b.tv_nsec - a.tv_nsec);
	return ns ? (t1 - t0) * 1000000ULL / ns : 0;
}

uint64_t arch_vm_tsc_khz(struct vm *vm)
{
	uint64_t khz = 0;
	int r;

	if (vm->flavour == BOOT_FLAVOUR_KVM_PVM) {
		if (get_msr(vm, PVM_MSR_TSC_KHZ, &khz) == 0 && khz)
			return khz;
	} else {
		r = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
		if (r > 0)
			return (uint64_t)r;
	}
	return tsc_calibrate();
}

uint64_t arch_vm_guest_pc(struct vm *vm)
{
	struct kvm_regs r;

	if (vm->vcpu_fd < 0 || ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0)
		return 0;
	return r.rip;
}

/* The host's supported CPUID as the guest's; reports what it offers. */
static int set_cpuid(struct vm *vm, struct cpu_caps *caps)
{
	struct kvm_cpuid2 *c = NULL;
	int n = 64, err = 0;

	for (;;) {
		c = calloc(1, sizeof(*c) + (size_t)n * sizeof(c->entries[0]));
		if (!c)
			return -ENOMEM;
		c->nent = (uint32_t)n;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		err = -errno;
		free(c);
		if (err != -E2BIG || n >= 4096) {
			vmm_err("KVM_GET_SUPPORTED_CPUID: %s", strerror(-err));
			return err;
		}
		n *= 2;
	}
	*caps = (struct cpu_caps){ 0 };
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 7 && e->index == 0)
			caps->fsgsbase = e->ebx & 1;
		if (e->function == 0xd && e->index == 0)	/* XCR0 bits KVM supports */
			caps->xcr0 = ((uint64_t)e->edx << 32 | e->eax) & XCR0_WANTED;
	}
	if ((caps->xcr0 & XCR0_X87_SSE) != XCR0_X87_SSE)
		caps->xcr0 = 0;
	/* PVM lists XCR0 bits in leaf 0xd but not XSAVE in leaf 1: say it there */
	for (uint32_t i = 0; i < c->nent; i++)
		if (caps->xcr0 && c->entries[i].function == 1)
			c->entries[i].ecx |= CPUID1_XSAVE;
	if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c) < 0) {
		err = -errno;
		vmm_err("KVM_SET_CPUID2: %s", strerror(-err));
	}
	free(c);
	return err;
}

static int set_sregs(struct vm *vm, const struct vm_layout *lay, const struct cpu_caps *caps)
{
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = X86_KERNEL_CS, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.limit = 0xffffffff, .selector = X86_KERNEL_DS, .type = 3,
		.present = 1, .db = 1, .s = 1, .g = 1,
	};
	struct kvm_sregs s;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0) {
		vmm_err("KVM_GET_SREGS: %s", strerror(errno));
		return -errno;
	}
	s.cs = code;
	s.ds = s.es = s.fs = s.ss = s.gs = data;
	s.gs.base = lay->pcpu_va;
	s.tr = (struct kvm_segment){
		.base = lay->tss_va, .limit = 0x67, .selector = X86_TSS_SEL,
		.type = 11, .present = 1,
	};
	s.ldt = (struct kvm_segment){ .type = 2, .unusable = 1 };
	s.gdt.base = lay->gdt_va;
	s.gdt.limit = X86_GDT_ENTRIES * 8 - 1;
	/* Mapped (the emulated boot walks it) but empty: the guest loads its own. */
	s.idt.base = lay->gdt_va;
	s.idt.limit = 0;
	s.cr0 = X86_CR0_BOOT;
	s.cr3 = lay->root;
	s.cr4 = X86_CR4_BOOT | (caps->fsgsbase || vm->flavour == BOOT_FLAVOUR_KVM_PVM ?
				 X86_CR4_FSGSBASE : 0);
	if (caps->xcr0)
		s.cr4 |= X86_CR4_OSXSAVE;
	s.efer = X86_EFER_BOOT;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s) < 0) {
		vmm_err("KVM_SET_SREGS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int set_msrs(struct vm *vm, const struct vm_layout *lay)
{
	bool pvm = vm->flavour == BOOT_FLAVOUR_KVM_PVM;
	struct msr_list m = { 0 };
	int n;

	add_msr(&m, MSR_STAR, X86_STAR_VALUE);
	add_msr(&m, MSR_SFMASK, X86_SFMASK_VALUE);
	add_msr(&m, MSR_GS_BASE, lay->pcpu_va);
	/* PVM: see head.S; ring 0: the app's GS base starts at 0. */
	add_msr(&m, MSR_KERNEL_GS_BASE, pvm ? lay->pcpu_va : 0);
	add_msr(&m, MSR_TSC_AUX, 0);
	/* Ring 0: guest TSC = host TSC (PVM's already is, pvm.md 3.2). */
	if (!pvm)
		add_msr(&m, MSR_IA32_TSC, arch_vm_read_tsc());
	n = ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m);
	if (n != (int)m.nmsrs) {
		/* It stops at the first MSR it refuses and returns how many it took. */
		vmm_err("KVM_SET_MSRS: MSR 0x%x refused",
			n >= 0 && n < (int)m.nmsrs ? m.e[n].index : 0);
		return -EINVAL;
	}
	return 0;
}

/* XCR0 (with CR4.OSXSAVE from set_sregs): the app gets AVX where the host has it. */
static int set_xcr0(struct vm *vm, uint64_t xcr0)
{
	struct kvm_xcrs x = { .nr_xcrs = 1 };

	if (!xcr0)
		return 0;
	x.xcrs[0].xcr = 0;
	x.xcrs[0].value = xcr0;
	if (ioctl(vm->vcpu_fd, KVM_SET_XCRS, &x) < 0)
		return -errno;
	return 0;
}

int arch_vm_vcpu_init(struct vm *vm, const struct vm_layout *lay)
{
	struct cpu_caps caps;
	int err;

	err = set_cpuid(vm, &caps);
	if (!err)
		err = set_sregs(vm, lay, &caps);
	if (!err && set_xcr0(vm, caps.xcr0)) {
		if (vm->debug)
			vmm_info("kvm: XCR0 0x%llx refused: no AVX for the app",
				 (unsigned long long)caps.xcr0);
		caps.xcr0 = 0;
		err = set_sregs(vm, lay, &caps);
	}
	if (!err)
		err = set_msrs(vm, lay);
	return err;
}

int arch_vm_boot_regs(struct vm *vm, const struct vm_layout *lay, uint64_t fdt_size)
{
	struct kvm_regs r = {
		.rip = lay->entry,
		.rsp = lay->stack_top,
		.rflags = 2,
		.rdi = lay->fdt_va,
		.rsi = fdt_size,
		.rdx = vm->flavour,
	};

	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r) < 0) {
		vmm_err("KVM_SET_REGS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

bool arch_vm_inject_irq(struct vm *vm, unsigned int vector)
{
	struct kvm_run *run = vm->run;
	struct kvm_interrupt irq = { .irq = vector };

	if (run->ready_for_interrupt_injection && run->if_flag &&
	    ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq) == 0) {
		run->request_interrupt_window = 0;
		return true;
	}
	run->request_interrupt_window = 1;	/* exit when the guest can take it */
	return false;
}

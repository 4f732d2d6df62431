/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86.h: private interfaces of arch/x86_64/kernel (guest only), shared by
 * its C and assembler files: the per-CPU block, the struct regs offsets
 * (checked against sentry/arch/regs.h in trap.c), MSRs, and the entry
 * points of entry.S.
 *
 * The per-CPU block is the page GS_BASE points at (boot.h). The entry code
 * reaches it through %gs before it has any free register:
 *
 *   0x00 self      its own address            0x20 trapno   vector of the stop
 *   0x08 ksp       sentry rsp in plat_run_user 0x28 error    its error code
 *   0x10 regs      struct regs * being run     0x30 cr2      #PF address
 *   0x18 scratch   user rsp at syscall entry   0x38 frame[8] return frame (below)
 *   0x78 fs_base   FS base the app runs with  0x80 gs_base  its GS base (KERNEL_GS_BASE)
 *
 * frame[] is PVM_HC_IRET_FRAME's {rax, rbx, rdi, rip, cs, rflags, rsp, ss};
 * its tail from rip on is an iretq frame, used by iretq and int $0x17.
 */
#ifndef ARCH_X86_64_KERNEL_X86_H
#define ARCH_X86_64_KERNEL_X86_H

#define PCPU_SELF	0x00
#define PCPU_KSP	0x08
#define PCPU_REGS	0x10
#define PCPU_SCRATCH	0x18
#define PCPU_TRAPNO	0x20
#define PCPU_ERROR	0x28
#define PCPU_CR2	0x30
#define PCPU_FRAME	0x38
#define PCPU_IRETQ	(PCPU_FRAME + 24)
#define PCPU_FS_BASE	0x78
#define PCPU_GS_BASE	0x80

/* struct regs (sentry/arch/regs.h = user_regs_struct) offsets. */
#define R_R15		0
#define R_R14		8
#define R_R13		16
#define R_R12		24
#define R_RBP		32
#define R_RBX		40
#define R_R11		48
#define R_R10		56
#define R_R9		64
#define R_R8		72
#define R_RAX		80
#define R_RCX		88
#define R_RDX		96
#define R_RSI		104
#define R_RDI		112
#define R_ORIG_RAX	120
#define R_RIP		128
#define R_CS		136
#define R_RFLAGS	144
#define R_RSP		152
#define R_SS		160
#define R_SIZE		216	/* sizeof(struct regs) */

/* How x86_enter_user() returns to user mode. */
#define X86_RET_SYSRET		0	/* ring 0: sysretq (RIP<-RCX, RFLAGS<-R11) */
#define X86_RET_IRETQ		1	/* ring 0: iretq on pcpu frame */
#define X86_RET_PVM_SYSRET	2	/* PVM: int $0x19 gate (exit-free) */
#define X86_RET_PVM_IRETQ	3	/* PVM: int $0x17 gate on pcpu frame (exit-free) */
#define X86_RET_PVM_IRET_FRAME	4	/* PVM: PVM_HC_IRET_FRAME hypercall (one exit) */

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

#define X86_CR4_FSGSBASE	(1UL << 16)

#ifndef __ASSEMBLY__

#include "sentry/arch/regs.h"
#include "sentry/types.h"

struct fault_info;

struct pcpu {
	struct pcpu *self;
	uint64_t ksp;
	struct regs *regs;
	uint64_t scratch;
	uint64_t trapno;
	uint64_t error;
	uint64_t cr2;
	uint64_t frame[8];
	uint64_t fs_base;
	uint64_t gs_base;
};

/* The frame a kernel-mode trap leaves for x86_kernel_trap() (entry.S). */
struct ktrap_frame {
	struct regs r;		/* rip/cs/rflags/rsp/ss copied from the hardware frame */
	uint64_t vector;
	uint64_t error;
};

/* The flavour this sentry runs as (BOOT_FLAVOUR_*), set once by head.S. */
extern uint32_t x86_flavour;
/* Ring 0 only: the entry code must swapgs (PVM swaps GS itself). */
extern uint8_t x86_need_swapgs;
/* PVM: the exit-free return gates work (cleared by the #GP fallback). */
extern bool x86_pvm_gates;
/* CR3 at boot: the root whose upper half every address space copies. */
extern uint64_t x86_boot_root;

static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	__asm__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

static inline bool x86_is_pvm(void)
{
	return x86_flavour == 1;	/* BOOT_FLAVOUR_KVM_PVM */
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* PVM hypercall (pvm.md 3.7): int $0x1b, RAX = nr, args RBX, RCX, RDX. */
static inline long pvm_hypercall(unsigned long nr, unsigned long a0,
				 unsigned long a1, unsigned long a2)
{
	long ret;

	__asm__ volatile("int $0x1b"
			 : "=a"(ret)
			 : "a"(nr), "b"(a0), "c"(a1), "d"(a2)
			 : "memory");
	return ret;
}

/* entry.S */
void entry_syscall_ring0(void);
void entry_syscall_pvm(void);
extern const uint64_t x86_trap_stubs[33];	/* IDT handlers, vectors 0-32 */
extern const char x86_pvm_gate19[], x86_pvm_gate17[];	/* the gates' own RIPs */
int x86_enter_user(struct regs *regs, int how, uint64_t *frame);
__noreturn void x86_pvm_iret_frame_resume(struct regs *regs, uint64_t *frame);

/* run.c: PVM_HC_IRET_FRAME's frame {rax, rbx, rdi, rip, cs, rflags, rsp, ss} from @r. */
void x86_pvm_fill_iret_frame(uint64_t *frame, const struct regs *r);
/* run.c: the FS/GS base instructions are usable (PVM: always; ring 0: CR4). */
extern bool x86_fsgsbase;

/* trap.c */
__noreturn void x86_pvm_return_failed(long err);
void x86_idt_init(void);
void x86_kernel_trap(struct ktrap_frame *f);
void x86_fill_fault(const struct pcpu *pc, const struct regs *regs,
		    struct fault_info *fault);

/* boot.c (C entry from head.S) */
__noreturn void arch_boot(const void *fdt, size_t size, uint32_t flavour);

#endif /* __ASSEMBLY__ */
#ifndef __ASSEMBLER__
struct task;
/* fpu.c: give the FPU/SSE state to @t before it runs app code. */
void x86_fpu_switch_to(struct task *t);
#endif

#endif /* ARCH_X86_64_KERNEL_X86_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * trap.c: the IDT, what an exception from the app means for the core
 * (struct fault_info, Linux's signal for each vector), and exceptions in the
 * sentry itself, which are bugs: registers to the console, then panic.
 *
 * Gates: 64-bit interrupt gates, selector 0x10, DPL 0 (pvm.md 3.10: the app
 * cannot reach them with int n), except #BP/#OF on ring 0, DPL 3 as on
 * Linux so that the app's int3 is a SIGTRAP. #GP, #DF, NMI and #MC use
 * IST1: on PVM a return gate that #GPs does so with the app's RSP loaded.
 */
#include "sentry/arch/regs.h"

#include "sentry/bug.h"
#include "sentry/log.h"
#include "sentry/platform.h"

#include "abi/linux/signal.h"

#include "x86.h"

/* si_code values (Linux uapi siginfo.h). */
#define SI_KERNEL	0x80
#define ILL_ILLOPN	2
#define FPE_INTDIV	1
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define TRAP_BRKPT	1
#define TRAP_TRACE	2

#define PF_PRESENT	(1UL << 0)
#define PF_WRITE	(1UL << 1)
#define PF_FETCH	(1UL << 4)

#define IDT_VECTORS	33	/* the exceptions and X86_TIMER_VECTOR */

_Static_assert(PLAT_STOP_SYSCALL == 0 && PLAT_STOP_FAULT == 1, "entry.S stop codes");
_Static_assert(offsetof(struct pcpu, self) == PCPU_SELF, "pcpu");
_Static_assert(offsetof(struct pcpu, ksp) == PCPU_KSP, "pcpu");
_Static_assert(offsetof(struct pcpu, regs) == PCPU_REGS, "pcpu");
_Static_assert(offsetof(struct pcpu, scratch) == PCPU_SCRATCH, "pcpu");
_Static_assert(offsetof(struct pcpu, trapno) == PCPU_TRAPNO, "pcpu");
_Static_assert(offsetof(struct pcpu, error) == PCPU_ERROR, "pcpu");
_Static_assert(offsetof(struct pcpu, cr2) == PCPU_CR2, "pcpu");
_Static_assert(offsetof(struct pcpu, frame) == PCPU_FRAME, "pcpu");
_Static_assert(offsetof(struct pcpu, fs_base) == PCPU_FS_BASE, "pcpu");
_Static_assert(offsetof(struct pcpu, gs_base) == PCPU_GS_BASE, "pcpu");
_Static_assert(offsetof(struct regs, r15) == R_R15, "regs");
_Static_assert(offsetof(struct regs, r14) == R_R14, "regs");
_Static_assert(offsetof(struct regs, r13) == R_R13, "regs");
_Static_assert(offsetof(struct regs, r12) == R_R12, "regs");
_Static_assert(offsetof(struct regs, rbp) == R_RBP, "regs");
_Static_assert(offsetof(struct regs, rbx) == R_RBX, "regs");
_Static_assert(offsetof(struct regs, r11) == R_R11, "regs");
_Static_assert(offsetof(struct regs, r10) == R_R10, "regs");
_Static_assert(offsetof(struct regs, r9) == R_R9, "regs");
_Static_assert(offsetof(struct regs, r8) == R_R8, "regs");
_Static_assert(offsetof(struct regs, rax) == R_RAX, "regs");
_Static_assert(offsetof(struct regs, rcx) == R_RCX, "regs");
_Static_assert(offsetof(struct regs, rdx) == R_RDX, "regs");
_Static_assert(offsetof(struct regs, rsi) == R_RSI, "regs");
_Static_assert(offsetof(struct regs, rdi) == R_RDI, "regs");
_Static_assert(offsetof(struct regs, orig_rax) == R_ORIG_RAX, "regs");
_Static_assert(offsetof(struct regs, rip) == R_RIP, "regs");
_Static_assert(offsetof(struct regs, cs) == R_CS, "regs");
_Static_assert(offsetof(struct regs, rflags) == R_RFLAGS, "regs");
_Static_assert(offsetof(struct regs, rsp) == R_RSP, "regs");
_Static_assert(offsetof(struct regs, ss) == R_SS, "regs");
_Static_assert(sizeof(struct regs) == R_SIZE, "regs");
_Static_assert(offsetof(struct ktrap_frame, vector) == R_SIZE, "entry.S kernel trap frame");

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;		/* P | DPL | 0xe (64-bit interrupt gate) */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

static struct idt_gate idt[IDT_VECTORS] __aligned(4096);

static bool vector_uses_ist(unsigned int v)
{
	return v == 2 || v == 8 || v == 13 || v == 18;
}

void x86_idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed desc = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned int v = 0; v < IDT_VECTORS; v++) {
		uint64_t h = x86_trap_stubs[v];
		unsigned int dpl = !x86_is_pvm() && (v == 3 || v == 4) ? 3 : 0;

		idt[v] = (struct idt_gate){
			.off_lo = (uint16_t)h,
			.sel = 0x10,
			.ist = vector_uses_ist(v) ? 1 : 0,
			.type = (uint8_t)(0x80 | (dpl << 5) | 0xe),
			.off_mid = (uint16_t)(h >> 16),
			.off_hi = (uint32_t)(h >> 32),
		};
	}
	/* PVM: lidt traps and is emulated (one exit, pvm.md 3.3). */
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void x86_fill_fault(const struct pcpu *pc, const struct regs *regs,
		    struct fault_info *f)
{
	f->trapno = (unsigned int)pc->trapno;
	f->error = pc->error;
	f->addr = regs->rip;
	f->signo = SIGSEGV;
	f->code = SI_KERNEL;
	switch (pc->trapno) {
	case 14:	/* #PF */
		f->addr = pc->cr2;
		f->write = pc->error & PF_WRITE;
		f->exec = pc->error & PF_FETCH;
		f->code = pc->error & PF_PRESENT ? SEGV_ACCERR : SEGV_MAPERR;
		break;
	case 0:		/* #DE */
		f->signo = SIGFPE;
		f->code = FPE_INTDIV;
		break;
	case 16:	/* #MF */
	case 19:	/* #XM */
		f->signo = SIGFPE;
		f->code = 0;
		break;
	case 1:		/* #DB */
		f->signo = SIGTRAP;
		f->code = TRAP_TRACE;
		break;
	case 3:		/* #BP (int3) */
		f->signo = SIGTRAP;
		f->code = SI_KERNEL;
		break;
	case 6:		/* #UD */
		f->signo = SIGILL;
		f->code = ILL_ILLOPN;
		break;
	case 12:	/* #SS */
		f->signo = SIGBUS;
		break;
	case 17:	/* #AC */
		f->signo = SIGBUS;
		f->code = BUS_ADRALN;
		break;
	default:	/* #GP and the rest */
		f->addr = 0;
		break;
	}
}

/* PVM: the IRET_FRAME return failed; the app's state is lost. */
void x86_pvm_return_failed(long err)
{
	panic("PVM_HC_IRET_FRAME returned %ld: cannot return to the app", err);
}

static const char *const vector_names[IDT_VECTORS] = {
	[0] = "#DE divide error",	[1] = "#DB debug",	[2] = "NMI",
	[3] = "#BP breakpoint",		[6] = "#UD invalid opcode",
	[7] = "#NM device not available",	[8] = "#DF double fault",
	[12] = "#SS stack fault",	[13] = "#GP general protection",
	[14] = "#PF page fault",	[17] = "#AC alignment check",
	[18] = "#MC machine check",
};

void x86_kernel_trap(struct ktrap_frame *f)
{
	const struct regs *r = &f->r;
	const char *name = f->vector < IDT_VECTORS && vector_names[f->vector] ?
			   vector_names[f->vector] : "exception";

	/*
	 * PVM without the exit-free gates (pvm.md 9.4): int $0x19/$0x17 #GP
	 * at their own RIP. Switch to PVM_HC_IRET_FRAME for good and finish
	 * this return with it; the app's registers are still in pc->regs.
	 */
	if (x86_is_pvm() && f->vector == 13 &&
	    (r->rip == (uint64_t)x86_pvm_gate19 || r->rip == (uint64_t)x86_pvm_gate17)) {
		struct pcpu *pc = this_pcpu();

		x86_pvm_gates = false;
		pr_warn("x86: PVM return gates unavailable; using PVM_HC_IRET_FRAME (slower)");
		x86_pvm_fill_iret_frame(pc->frame, pc->regs);
		x86_pvm_iret_frame_resume(pc->regs, pc->frame);
	}

	pr_err("x86: %s in the sentry, vector %lu error 0x%lx", name,
	       (unsigned long)f->vector, (unsigned long)f->error);
	pr_err("  rip %016lx  rsp %016lx  rflags %08lx  cs %lx ss %lx",
	       (unsigned long)r->rip, (unsigned long)r->rsp, (unsigned long)r->rflags,
	       (unsigned long)r->cs, (unsigned long)r->ss);
	if (f->vector == 14)
		pr_err("  cr2 %016lx", (unsigned long)read_cr2());
	pr_err("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx",
	       (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx,
	       (unsigned long)r->rdx);
	pr_err("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx",
	       (unsigned long)r->rsi, (unsigned long)r->rdi, (unsigned long)r->rbp,
	       (unsigned long)r->r8);
	pr_err("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx",
	       (unsigned long)r->r9, (unsigned long)r->r10, (unsigned long)r->r11,
	       (unsigned long)r->r12);
	pr_err("  r13 %016lx  r14 %016lx  r15 %016lx",
	       (unsigned long)r->r13, (unsigned long)r->r14, (unsigned long)r->r15);
	plat_panic();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * run.c: plat_run_user() for the KVM guest, both flavours. The switch
 * itself is x86_enter_user() (entry.S); this file picks the way back to
 * user mode, keeps the app's FS/GS bases loaded and turns a trap into the
 * core's struct fault_info.
 *
 * Return paths, cheapest first (pvm.md 9):
 *   the app stopped at a syscall and its RCX/R11 still equal RIP/RFLAGS:
 *     ring 0 sysretq, PVM int $0x19 (no exit); RCX/R11 come back as Linux
 *     leaves them after a syscall (= RIP/RFLAGS), so nothing is lost;
 *   anything else (first entry into a program, after a fault or a changed
 *     register file): ring 0 iretq, PVM int $0x17, both restoring every GPR;
 *   PVM without the gates: PVM_HC_IRET_FRAME (one exit).
 */
#include "sentry/arch/kvm_guest.h"
#include "sentry/arch/layout.h"
#include "sentry/arch/regs.h"

#include "sentry/bug.h"
#include "sentry/platform.h"

#include "abi/linux/signal.h"
#include "abi/sentry/hostcall.h"

#include "x86.h"

#define USER_CANONICAL_END	(1UL << 47)	/* first non-canonical lower-half address */
/* CF PF AF ZF SF TF DF OF AC ID: the flags an app may set itself. */
#define RFLAGS_USER		0x240dd5UL

bool x86_fsgsbase;

void x86_pvm_fill_iret_frame(uint64_t *frame, const struct regs *r)
{
	frame[0] = r->rax;
	frame[1] = r->rbx;
	frame[2] = r->rdi;
	frame[3] = r->rip;
	frame[4] = USER_CS;
	frame[5] = r->rflags;
	frame[6] = r->rsp;
	frame[7] = USER_DS;
}

static void write_fs_base(uint64_t v)
{
	if (x86_fsgsbase)
		__asm__ volatile("wrfsbase %0" : : "r"(v));
	else
		wrmsr(MSR_FS_BASE, v);
}

/* The app's TLS bases, written only when the core changed them. */
static void load_user_bases(struct pcpu *pc, const struct regs *r)
{
	if (r->fs_base != pc->fs_base && r->fs_base < USER_CANONICAL_END) {
		write_fs_base(r->fs_base);
		pc->fs_base = r->fs_base;
	}
	/* The user's GS base waits in KERNEL_GS_BASE until the swap back. */
	if (r->gs_base != pc->gs_base && r->gs_base < USER_CANONICAL_END) {
		wrmsr(MSR_KERNEL_GS_BASE, r->gs_base);
		pc->gs_base = r->gs_base;
	}
}

static int return_path(struct pcpu *pc, const struct regs *r, bool from_syscall)
{
	if (!x86_is_pvm()) {
		if (from_syscall)
			return X86_RET_SYSRET;
		x86_pvm_fill_iret_frame(pc->frame, r);
		return X86_RET_IRETQ;
	}
	x86_pvm_fill_iret_frame(pc->frame, r);
	if (!x86_pvm_gates)
		return X86_RET_PVM_IRET_FRAME;
	return from_syscall ? X86_RET_PVM_SYSRET : X86_RET_PVM_IRETQ;
}

enum plat_stop plat_run_user(struct task *t, struct regs *regs, struct fault_info *fault)
{
	struct pcpu *pc = this_pcpu();
	bool from_syscall = regs->rcx == regs->rip && regs->r11 == regs->rflags;
	int how;

	/*
	 * A non-canonical RIP would fault in the sentry on the way out (sysret
	 * and iretq check it in kernel mode): deliver what Linux does, a #GP
	 * in the app.
	 */
	if (regs->rip >= USER_CANONICAL_END) {
		pc->trapno = 13;
		pc->error = 0;
		x86_fill_fault(pc, regs, fault);
		return PLAT_STOP_FAULT;
	}
	x86_fpu_switch_to(t);
	regs->rflags = (regs->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_RESERVED;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	load_user_bases(pc, regs);
	pc->regs = regs;
	how = return_path(pc, regs, from_syscall);

	if (x86_enter_user(regs, how, pc->frame) == PLAT_STOP_SYSCALL)
		return PLAT_STOP_SYSCALL;

	switch (pc->trapno) {
	case 2:		/* NMI: nothing of the app's */
		return PLAT_STOP_INTERRUPT;
	case X86_TIMER_VECTOR:	/* the VMM's timer (plat_set_timer) */
		kvm_timer_fired();
		return PLAT_STOP_INTERRUPT;
	case 8:
	case 18:
		panic("x86: %s while the app ran (rip 0x%lx)",
		      pc->trapno == 8 ? "double fault" : "machine check",
		      (unsigned long)regs->rip);
	default:
		x86_fill_fault(pc, regs, fault);
		return PLAT_STOP_FAULT;
	}
}

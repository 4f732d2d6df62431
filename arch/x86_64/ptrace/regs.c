// SPDX-License-Identifier: Apache-2.0
/*
 * regs.c: x86_64 half of the ptrace platform: what may be handed to
 * PTRACE_SETREGS, how a syscall is injected into a stub, and how a host
 * fault signal maps back to the x86 trap the core expects (fault_info).
 *
 * struct regs is user_regs_struct (checked below), so registers move with
 * one PTRACE_GETREGS/SETREGS and no conversion; only sanitizing.
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/user.h>
/* <sys/user.h> defines PAGE_* too; the core's (sentry/types.h) win. */
#undef PAGE_SHIFT
#undef PAGE_SIZE
#undef PAGE_MASK

#include "sentry/arch/regs.h"

#include "sentry/platform.h"

#include "../../../vmm/ptrace/ptrace.h"

#define REGS_AT(ours, theirs)                                                  \
	_Static_assert(offsetof(struct regs, ours) ==                          \
			       offsetof(struct user_regs_struct, theirs),      \
		       "struct regs." #ours                                    \
		       " is not user_regs_struct." #theirs)
REGS_AT(r15, r15);
REGS_AT(r11, r11);
REGS_AT(rax, rax);
REGS_AT(rdi, rdi);
REGS_AT(orig_rax, orig_rax);
REGS_AT(rip, rip);
REGS_AT(rflags, eflags);
REGS_AT(fs_base, fs_base);
REGS_AT(gs, gs);
_Static_assert(sizeof(struct regs) == sizeof(struct user_regs_struct),
	       "struct regs is user_regs_struct");

/* Flags user code may change with popf (Linux FLAG_MASK less RF). */
#define RFLAGS_USER                                                            \
	(0x1UL /* CF */ | 0x4UL /* PF */ | 0x10UL /* AF */ | 0x40UL /* ZF */ | \
	 0x80UL /* SF */ | 0x100UL /* TF */ | 0x400UL /* DF */ |               \
	 0x800UL /* OF */ | 0x40000UL /* AC */ | 0x200000UL /* ID */)
#define RFLAGS_TF 0x100UL

/* Largest fs/gs base PTRACE_SETREGS takes (TASK_SIZE_MAX, 4-level paging). */
#define SEG_BASE_LIMIT 0x00007ffffffff000UL

/* Linux's internal restart codes (-ERESTARTSYS ... -ERESTART_RESTARTBLOCK). */
#define ERESTARTSYS	      512
#define ERESTART_RESTARTBLOCK 516

/* x86 exception vectors reported in fault_info.trapno. */
enum {
	X86_TRAP_DE = 0,
	X86_TRAP_DB = 1,
	X86_TRAP_BP = 3,
	X86_TRAP_UD = 6,
	X86_TRAP_NP = 11,
	X86_TRAP_GP = 13,
	X86_TRAP_PF = 14,
	X86_TRAP_MF = 16,
	X86_TRAP_AC = 17,
};

/* #PF error code bits. */
#define PF_PROT	 0x1UL
#define PF_WRITE 0x2UL
#define PF_USER	 0x4UL
#define PF_INSTR 0x10UL
#define PF_PK	 0x20UL

const size_t ptrace_arch_ret_offset = offsetof(struct user_regs_struct, rax);

/* A selector the kernel accepts for ds/es/fs/gs: null, or RPL 3. */
static uint64_t sane_selector(uint64_t sel)
{
	if (sel > 0xffff || (sel != 0 && (sel & 3) != 3))
		return 0;
	return sel;
}

void ptrace_arch_sanitize(struct regs *r)
{
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->rflags = (r->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_RESERVED;
	/*
	 * Not "in a syscall": the host kernel must never apply its syscall
	 * restart logic (rip -= 2, rax = orig_rax) to the app's registers.
	 */
	r->orig_rax = (uint64_t)-1;
	r->ds = sane_selector(r->ds);
	r->es = sane_selector(r->es);
	r->fs = sane_selector(r->fs);
	r->gs = sane_selector(r->gs);
	if (r->fs_base >= SEG_BASE_LIMIT)
		r->fs_base = 0;
	if (r->gs_base >= SEG_BASE_LIMIT)
		r->gs_base = 0;
}

bool ptrace_arch_restart_result(uint64_t ret)
{
	return ret >= (uint64_t)-ERESTART_RESTARTBLOCK &&
	       ret <= (uint64_t)-ERESTARTSYS;
}

void ptrace_arch_set_syscall(struct regs *r, uint64_t pc, long nr,
			     const uint64_t args[6])
{
	r->rip = pc;
	r->rax = (uint64_t)nr;
	r->orig_rax = (uint64_t)-1;
	r->rdi = args[0];
	r->rsi = args[1];
	r->rdx = args[2];
	r->r10 = args[3];
	r->r8 = args[4];
	r->r9 = args[5];
	r->rflags &= ~RFLAGS_TF;
}

bool ptrace_arch_same_but_ret(const struct regs *a, const struct regs *b)
{
	/* [r15 .. r9], [rcx .. rdi], [rip .. gs]: all but rax and orig_rax. */
	return memcmp(a, b, offsetof(struct regs, rax)) == 0 &&
	       memcmp(&a->rcx, &b->rcx,
		      offsetof(struct regs, orig_rax) -
			      offsetof(struct regs, rcx)) == 0 &&
	       memcmp(&a->rip, &b->rip,
		      sizeof(struct regs) - offsetof(struct regs, rip)) == 0;
}

void ptrace_arch_set_ret(struct regs *r, uint64_t ret)
{
	r->rax = ret;
}

/*
 * SYSEMU also stops at the 32-bit entries (int $0x80, sysenter). Only the
 * 64-bit `syscall` instruction puts the return address in rcx.
 */
bool ptrace_arch_native_syscall(const struct regs *r)
{
	return r->rcx == r->rip;
}

/*
 * A 32-bit syscall entry: the sentry has no ia32 emulation, so it is what
 * such a host gives: #GP on the instruction (2 bytes, cd 80 or 0f 34),
 * SIGSEGV. Undo the entry's register changes.
 */
void ptrace_arch_compat_syscall_fault(struct regs *r, struct fault_info *f)
{
	r->rip -= 2;
	r->rax = r->orig_rax;
	r->orig_rax = (uint64_t)-1;
	memset(f, 0, sizeof(*f));
	f->signo = SIGSEGV;
	f->code = SI_KERNEL;
	f->trapno = X86_TRAP_GP;
	f->addr = r->rip;
}

long ptrace_arch_syscall_ret(const struct regs *r)
{
	return (long)r->rax;
}

uint64_t ptrace_arch_pc(const struct regs *r)
{
	return r->rip;
}

/*
 * A page fault's access type is not in the siginfo. An instruction fetch
 * faults at rip itself, or at the next page when the instruction straddles
 * the boundary. Anything else is a data access: on SEGV_ACCERR (page
 * present, access denied) it was a write, since the core maps every page
 * at least readable when its VMA is; on SEGV_MAPERR (not present) the
 * type is unknown and reported as a read: the core populates the page by
 * its VMA's rights and a write retry then faults again as ACCERR.
 */
static void fill_page_fault(const siginfo_t *si, const struct regs *r,
			    struct fault_info *f)
{
	uint64_t addr = (uint64_t)si->si_addr;
	bool present = si->si_code != SEGV_MAPERR;

	f->trapno = X86_TRAP_PF;
	f->addr = addr;
	f->exec = addr == r->rip || (addr == (r->rip & PAGE_MASK) + PAGE_SIZE &&
				     addr - r->rip < 16);
	f->write = present && !f->exec;
	f->error = PF_USER | (present ? PF_PROT : 0) |
		   (f->write ? PF_WRITE : 0) | (f->exec ? PF_INSTR : 0);
#ifdef SEGV_PKUERR
	if (si->si_code == SEGV_PKUERR)
		f->error |= PF_PK;
#endif
}

bool ptrace_arch_fault(const siginfo_t *si, const struct regs *r,
		       struct fault_info *f)
{
	memset(f, 0, sizeof(*f));
	/* si_code <= 0: sent by kill, tgkill, sigqueue: not a trap. */
	if (si->si_code <= 0)
		return false;
	f->signo = si->si_signo;
	f->code = si->si_code;
	f->addr = r->rip;

	switch (si->si_signo) {
	case SIGSEGV:
		if (si->si_code == SI_KERNEL)
			f->trapno = X86_TRAP_GP; /* #GP: si_addr is 0 */
		else
			fill_page_fault(si, r, f);
		return true;
	case SIGBUS:
		if (si->si_code == SI_KERNEL) {
			f->trapno = X86_TRAP_NP; /* #NP / #SS */
		} else if (si->si_code == BUS_ADRALN) {
			f->trapno = X86_TRAP_AC;
			f->addr = (uint64_t)si->si_addr;
		} else {
			/* BUS_ADRERR: a page past the end of its file. */
			f->trapno = X86_TRAP_PF;
			f->addr = (uint64_t)si->si_addr;
			f->error = PF_USER | PF_PROT;
		}
		return true;
	case SIGILL:
		f->trapno = X86_TRAP_UD;
		f->addr = (uint64_t)si->si_addr;
		return true;
	case SIGFPE:
		f->trapno =
			si->si_code == FPE_INTDIV || si->si_code == FPE_INTOVF
				? X86_TRAP_DE
				: X86_TRAP_MF;
		f->addr = (uint64_t)si->si_addr;
		return true;
	case SIGTRAP:
		if (si->si_code == SI_KERNEL) {
			f->trapno = X86_TRAP_BP; /* int3: rip is past it */
		} else {
			f->trapno = X86_TRAP_DB; /* TF, debug regs */
			f->addr = (uint64_t)si->si_addr;
		}
		return true;
	default:
		return false;
	}
}

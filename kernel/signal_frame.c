// SPDX-License-Identifier: Apache-2.0
/*
 * signal_frame.c: handler frames, x86_64 (rt_sigframe as Linux lays it
 * out) and rt_sigreturn(2).
 *
 *   sp ->  pretcode (sa_restorer: the handler's return address)
 *          struct ucontext (flags, link, stack, sigcontext, sigmask)
 *          siginfo (128 bytes)
 *          ...      FPU state, 64-byte aligned (sigcontext.fpstate): FXSAVE's
 *                   512 bytes, or an XSAVE image (UC_FP_XSTATE) that says so in
 *                   its sw_reserved bytes, then FP_XSTATE_MAGIC2
 *          128-byte red zone of the interrupted code, or the alternate stack's top
 *
 * At the handler's first instruction rsp + 8 is 16-byte aligned, as after
 * a call; rdi = signal, rsi = &siginfo, rdx = &ucontext, rax = 0.
 */
#define pr_fmt(fmt) "signal: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"

#include "abi/linux/arch/fpstate.h"
#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"

#include "process_internal.h"
#include "signal_internal.h"

#define REDZONE		128
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, ss_pad;
	uint64_t ss_size;
	struct linux_sigcontext mc;
	linux_sigset_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};

_Static_assert(sizeof(struct linux_sigcontext) == 256, "struct sigcontext (x86_64)");
_Static_assert(offsetof(struct rt_sigframe, uc) == 8 && offsetof(struct rt_sigframe, info) == 312,
	       "struct rt_sigframe (x86_64)");

static bool on_altstack(const struct task *t, uaddr_t sp)
{
	return t->altstack_size && sp - t->altstack_sp <= t->altstack_size;
}

/*
 * @t's FPU state to the frame at @fp: @size bytes from the platform, plus
 * FP_XSTATE_MAGIC2 after an XSAVE image.
 */
static int fpu_to_user(struct task *t, uaddr_t fp, size_t size)
{
	uint32_t magic2 = LINUX_FP_XSTATE_MAGIC2;
	void *buf = kmalloc(size);
	int err;

	if (!buf)
		return -ENOMEM;
	err = plat_fpu_get(t, buf, size);
	if (!err && copy_to_user(fp, buf, size))
		err = -EFAULT;
	if (!err && size > PLAT_FPU_LEGACY && copy_to_user(fp + size, &magic2, sizeof(magic2)))
		err = -EFAULT;
	kfree(buf);
	return err;
}

/*
 * The frame's FPU state at @fp back to @t. As in Linux, an XSAVE image
 * counts only with both magics and this CPU's size; anything else is an
 * FXSAVE area (the rest of the state stays).
 */
static int fpu_from_user(struct task *t, uaddr_t fp)
{
	size_t size = plat_fpu_size(t);
	struct linux_fpx_sw_bytes sw;
	uint32_t magic2 = 0;
	void *buf;
	int err;

	buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	err = copy_from_user(buf, fp, PLAT_FPU_LEGACY) ? -EFAULT : 0;
	memcpy(&sw, (uint8_t *)buf + LINUX_FPX_SW_OFFSET, sizeof(sw));
	if (!err && size > PLAT_FPU_LEGACY && sw.magic1 == LINUX_FP_XSTATE_MAGIC1 &&
	    sw.xstate_size == size && sw.extended_size == size + LINUX_FP_XSTATE_MAGIC2_SIZE &&
	    !copy_from_user(&magic2, fp + size, sizeof(magic2)) && magic2 == LINUX_FP_XSTATE_MAGIC2) {
		if (copy_from_user((uint8_t *)buf + PLAT_FPU_LEGACY, fp + PLAT_FPU_LEGACY,
				   size - PLAT_FPU_LEGACY))
			err = -EFAULT;
	} else {
		size = PLAT_FPU_LEGACY;
	}
	if (!err)
		err = plat_fpu_set(t, buf, size);
	kfree(buf);
	return err;
}

int signal_setup_frame(struct task *t, int sig, const struct signal_info *info,
		       const struct linux_sigaction *ka)
{
	struct regs *r = &t->regs;
	size_t fpu_size = plat_fpu_size(t);
	bool xstate = fpu_size > PLAT_FPU_LEGACY;
	struct rt_sigframe f;
	uaddr_t sp = r->rsp, fp_addr, frame;
	linux_sigset_t block;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;	/* x86_64 has no default return path: Linux forces SIGSEGV */
	if ((ka->flags & SA_ONSTACK) && t->altstack_size && !on_altstack(t, sp))
		sp = t->altstack_sp + t->altstack_size;
	else
		sp -= REDZONE;
	fp_addr = (sp - fpu_size - (xstate ? LINUX_FP_XSTATE_MAGIC2_SIZE : 0)) & ~63UL;
	frame = ((fp_addr - sizeof(f)) & ~15UL) - 8;	/* (frame + 8) % 16 == 0 */

	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (xstate ? LINUX_UC_FP_XSTATE : 0);
	f.uc.ss_sp = t->altstack_sp;
	f.uc.ss_size = t->altstack_size;
	f.uc.ss_flags = !t->altstack_size ? SS_DISABLE : on_altstack(t, r->rsp) ? SS_ONSTACK : 0;
	f.uc.mc = (struct linux_sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
		.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
		.rdi = r->rdi, .rsi = r->rsi, .rbp = r->rbp, .rbx = r->rbx,
		.rdx = r->rdx, .rax = r->rax, .rcx = r->rcx, .rsp = r->rsp,
		.rip = r->rip, .eflags = r->rflags,
		.cs = USER_CS, .ss = USER_DS,
		.trapno = info->trapno, .err = 0,
		.cr2 = info->code > 0 ? info->addr : 0,
		.fpstate = fp_addr,
	};
	/* sigsuspend's own mask ends with the call: the handler returns to the old one */
	f.uc.sigmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
	f.uc.mc.oldmask = f.uc.sigmask;
	signal_info_to_user(info, &f.info);

	if (fpu_to_user(t, fp_addr, fpu_size) || copy_to_user(frame, &f, sizeof(f)))
		return -EFAULT;

	block = ka->mask;
	if (!(ka->flags & SA_NODEFER))
		block |= SIGBIT(sig);
	t->sigmask = (f.uc.sigmask | block) & ~UNBLOCKABLE;
	t->restore_sigmask = false;

	r->rsp = frame;
	r->rip = ka->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct rt_sigframe, info);
	r->rdx = frame + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rflags &= ~(1UL << 10 | 1UL << 8);	/* DF and TF clear, as the ABI wants */
	r->orig_rax = (uint64_t)-1;	/* not in a syscall any more */
	return 0;
}

/* rt_sigreturn(): back to what the frame at rsp - 8 saved. */
long sys_rt_sigreturn(struct task *t, const struct syscall_args *a)
{
	struct regs *r = &t->regs;
	uaddr_t frame = r->rsp - 8;
	struct linux_ucontext uc;
	struct linux_sigcontext *mc = &uc.mc;

	if (copy_from_user(&uc, frame + offsetof(struct rt_sigframe, uc), sizeof(uc))) {
		pr_debug("pid %d: rt_sigreturn with no frame at 0x%lx", t->tgid,
			 (unsigned long)frame);
		task_exit_group(t->proc, SIGSEGV | 0x80);
		return 0;
	}
	r->r8 = mc->r8; r->r9 = mc->r9; r->r10 = mc->r10; r->r11 = mc->r11;
	r->r12 = mc->r12; r->r13 = mc->r13; r->r14 = mc->r14; r->r15 = mc->r15;
	r->rdi = mc->rdi; r->rsi = mc->rsi; r->rbp = mc->rbp; r->rbx = mc->rbx;
	r->rdx = mc->rdx; r->rax = mc->rax; r->rcx = mc->rcx; r->rsp = mc->rsp;
	r->rip = mc->rip;
	r->rflags = mc->eflags;	/* the platforms keep only the flags an app may set */
	r->orig_rax = (uint64_t)-1;	/* never a restart of what ran before the handler */
	t->sigmask = uc.sigmask & ~UNBLOCKABLE;
	if (mc->fpstate && fpu_from_user(t, mc->fpstate)) {
		task_exit_group(t->proc, SIGSEGV | 0x80);
		return 0;
	}
	if (!(uc.ss_flags & SS_DISABLE) && uc.ss_size) {
		t->altstack_sp = uc.ss_sp;
		t->altstack_size = uc.ss_size;
	}
	return (long)r->rax;
}

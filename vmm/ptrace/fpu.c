// SPDX-License-Identifier: Apache-2.0
/*
 * fpu.c: the FPU/vector state of threads that share one stub (ptrace.h).
 * Copies are the kernel's XSAVE layout (PTRACE_GETREGSET NT_X86_XSTATE),
 * so AVX and wider registers, MXCSR and the x87 control word all travel.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "abi/linux/arch/fpstate.h"

#include "sentry/mm.h"
#include "sentry/task.h"

#include "ptrace.h"

#define XSTATE_MAX	(16 << 10)	/* more than any XSAVE area (AMX included: 11 KiB) */

struct ptrace_fpu {
	uint64_t serial;	/* never reused, unlike task pointers */
	size_t len;		/* bytes of @xstate the kernel filled; 0: none saved */
	unsigned char xstate[XSTATE_MAX];
};

static uint64_t next_serial = 1;

static struct ptrace_fpu *fpu_of(struct task *t)
{
	struct ptrace_fpu *f = t->plat;

	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return NULL;
		f->serial = next_serial++;
		t->plat = f;
	}
	return f;
}

/* The stub's state into @f. */
static void save(struct plat_as *as, struct ptrace_fpu *f)
{
	struct iovec iov = { f->xstate, sizeof(f->xstate) };

	if (ptrace(PTRACE_GETREGSET, as->pid, (void *)NT_X86_XSTATE, &iov) == 0)
		f->len = iov.iov_len;
}

void ptrace_fpu_before_run(struct plat_as *as, struct task *t)
{
	struct ptrace_fpu *f = t ? t->plat : NULL;
	struct iovec iov;

	if (!f)
		return;	/* never shared its stub (or no task: test/ptrace): nothing to load */
	if (as->fpu_serial == f->serial)
		return;
	if (f->len) {
		iov.iov_base = f->xstate;
		iov.iov_len = f->len;
		if (ptrace(PTRACE_SETREGSET, as->pid, (void *)NT_X86_XSTATE, &iov) < 0)
			ptrace_warn("stub %d: cannot load a thread's FPU state", as->pid);
	}
	as->fpu_serial = f->serial;
}

void ptrace_fpu_after_stop(struct plat_as *as, struct task *t)
{
	struct ptrace_fpu *f;

	if (!t || !t->mm || (t->mm->users < 2 && !t->plat))
		return;
	f = fpu_of(t);
	if (!f)
		return;
	save(as, f);
	as->fpu_serial = f->serial;
}

/* The parent's current state into @f: live in its stub, or its saved copy. */
static bool parent_state(struct plat_as *as, struct task *parent, struct ptrace_fpu *f)
{
	struct ptrace_fpu *p = parent->plat;

	if (!p || as->fpu_serial == 0 || as->fpu_serial == p->serial) {
		save(as, f);
		return f->len != 0;
	}
	memcpy(f->xstate, p->xstate, p->len);
	f->len = p->len;
	return f->len != 0;
}

void plat_task_clone(struct task *parent, struct task *child)
{
	struct plat_as *as = parent->mm->as, *cas = child->mm->as;
	struct ptrace_fpu *c;
	struct iovec iov;

	if (as->pid <= 0)
		return;
	c = fpu_of(child);
	if (!c || !parent_state(as, parent, c))
		return;
	if (cas == as)
		return;	/* a thread: loaded when it first runs after another */
	/* a fork: its own stub takes the state now, and the copy is not needed */
	iov.iov_base = c->xstate;
	iov.iov_len = c->len;
	if (cas->pid > 0 && ptrace(PTRACE_SETREGSET, cas->pid, (void *)NT_X86_XSTATE, &iov) < 0)
		ptrace_warn("stub %d: cannot copy the parent's FPU state", cas->pid);
	plat_task_release(child);
}

void plat_task_release(struct task *t)
{
	free(t->plat);
	t->plat = NULL;
}

/*
 * Signal frames: the host kernel's NT_X86_XSTATE image is the standard
 * layout a Linux frame holds; only its sw_reserved bytes differ (the
 * kernel puts XCR0 first there, a frame wants struct _fpx_sw_bytes). Its
 * size is the host's, the same for every stub; a host whose image does
 * not fit in PLAT_FPU_MAX (AMX tiles) gets FXSAVE-only frames.
 */
size_t plat_fpu_size(struct task *t)
{
	static size_t size;
	struct ptrace_fpu *f;

	if (size)
		return size;
	f = calloc(1, sizeof(*f));
	if (!f)
		return PLAT_FPU_LEGACY;	/* not cached: try again next time */
	ptrace_fpu_before_run(t->mm->as, t);
	save(t->mm->as, f);
	size = f->len > PLAT_FPU_LEGACY && f->len <= PLAT_FPU_MAX ? f->len : PLAT_FPU_LEGACY;
	free(f);
	return size;
}

/* @t's state, made live in its stub first. */
int plat_fpu_get(struct task *t, void *buf, size_t size)
{
	struct plat_as *as = t->mm->as;
	struct iovec iov = { buf, size };
	struct linux_fpx_sw_bytes sw = {
		.magic1 = LINUX_FP_XSTATE_MAGIC1,
		.extended_size = (uint32_t)size + LINUX_FP_XSTATE_MAGIC2_SIZE,
		.xstate_size = (uint32_t)size,
	};

	ptrace_fpu_before_run(as, t);
	if (size == PLAT_FPU_LEGACY)
		return ptrace(PTRACE_GETFPREGS, as->pid, NULL, buf) < 0 ? -errno : 0;
	if (ptrace(PTRACE_GETREGSET, as->pid, (void *)NT_X86_XSTATE, &iov) < 0)
		return -errno;
	if (iov.iov_len != size)
		return -EIO;
	memcpy(&sw.xfeatures, (uint8_t *)buf + LINUX_FPX_SW_OFFSET, sizeof(sw.xfeatures));
	memcpy((uint8_t *)buf + LINUX_FPX_SW_OFFSET, &sw, sizeof(sw));
	return 0;
}

/* The host kernel checks the image (-EINVAL) and drops MXCSR bits the CPU lacks. */
int plat_fpu_set(struct task *t, const void *buf, size_t size)
{
	struct plat_as *as = t->mm->as;
	struct iovec iov = { (void *)buf, size };

	ptrace_fpu_before_run(as, t);
	if (size == PLAT_FPU_LEGACY)
		return ptrace(PTRACE_SETFPREGS, as->pid, NULL, (void *)buf) < 0 ? -errno : 0;
	return ptrace(PTRACE_SETREGSET, as->pid, (void *)NT_X86_XSTATE, &iov) < 0 ? -errno : 0;
}

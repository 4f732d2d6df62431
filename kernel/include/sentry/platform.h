/* SPDX-License-Identifier: Apache-2.0 */
/*
 * platform.h: what the core needs from whatever runs it.
 *
 * Implemented by kernel/plat_kvm.c + arch/<a>/kernel (the sentry as a KVM
 * guest kernel), by vmm/ptrace/plat.c + arch/<a>/ptrace (the sentry as a host
 * process tracing the app), and by test/unit/fake (unit tests). Bound at link
 * time: each binary has exactly one platform.
 *
 * Memory model, the same on every platform: "physical memory" is a memfd
 * (guest RAM under KVM). The core owns its allocation (page_alloc.h); the
 * platform only gives the sentry a pointer to it and maps its pages into app
 * address spaces.
 */
#ifndef SENTRY_PLATFORM_H
#define SENTRY_PLATFORM_H

#include "sentry/arch/regs.h"
#include "sentry/types.h"

struct task;
struct plat_as;
struct vvar;

/**
 * plat_phys_to_virt() - sentry pointer to physical address @pa.
 * @pa: an address inside RAM or inside the image (boot info gives both).
 * The direct map: valid for the sentry's whole life.
 */
void *plat_phys_to_virt(paddr_t pa);

/**
 * plat_phys_populate() - hint: the core is about to write all of physical
 * [@pa, @pa+@len) (page-aligned RAM). A platform whose physical memory is
 * backed lazily by the host may back the range now in one step instead of
 * one host page fault per page (ptrace: MADV_POPULATE_WRITE on the memfd).
 * No effect on what the memory holds; failures are ignored.
 */
void plat_phys_populate(paddr_t pa, size_t len);

/**
 * plat_image_read() - copy @len bytes of the image at @src (a sentry
 * pointer into it, from plat_phys_to_virt()) to RAM at @dst. Under KVM the
 * host copies: the guest's first read of an image page costs an exit and
 * a slow host fault (~18 µs a page measured on PVM), the host's copy does
 * not. Both ranges are the core's own (checked by the caller).
 */
void plat_image_read(void *dst, const void *src, size_t len);

/**
 * plat_as_create() - make an empty app address space.
 * @out: receives it.
 * Return: 0 or -ENOMEM (or another -errno from the host).
 */
int plat_as_create(struct plat_as **out);

/** plat_as_destroy() - free @as; it must not be active on any CPU. */
void plat_as_destroy(struct plat_as *as);

/**
 * plat_as_map() - map [@va, @va+@len) to physical [@pa, @pa+@len).
 * @prot: PROT_READ|PROT_WRITE|PROT_EXEC (PROT_NONE: nothing accessible),
 *        plus PLAT_MAP_LAZY as a hint.
 * All three of @va, @pa, @len page-aligned; @va range inside
 * [USER_VA_START, USER_VA_END). Replaces whatever was mapped there
 * (MAP_FIXED semantics). Writes by the app land in physical memory that
 * the sentry sees through plat_phys_to_virt().
 * Return: 0 or -errno (-ENOMEM when page tables cannot be allocated).
 */
int plat_as_map(struct plat_as *as, uaddr_t va, paddr_t pa, size_t len,
		unsigned int prot);

/*
 * PLAT_MAP_LAZY: the app may touch few of these pages soon (a fork's
 * copy-on-write view of its parent's memory): a platform that fills its
 * page tables ahead (ptrace: MAP_POPULATE) need not. Never a correctness
 * matter: every page stays mapped as asked.
 */
#define PLAT_MAP_LAZY	0x100U

/** plat_as_unmap() - unmap [@va, @va+@len) (page-aligned); holes are fine. */
int plat_as_unmap(struct plat_as *as, uaddr_t va, size_t len);

/** plat_as_activate() - make @as the one plat_run_user() runs in. */
void plat_as_activate(struct plat_as *as);

enum plat_stop {
	PLAT_STOP_SYSCALL,	/* app executed a syscall instruction */
	PLAT_STOP_FAULT,	/* synchronous trap; details in *fault */
	PLAT_STOP_INTERRUPT,	/* timer or kick: re-check task state */
	PLAT_STOP_DEAD,		/* the app's host side is gone (ptrace: tracee killed); details in *fault */
};

struct fault_info {
	uaddr_t addr;		/* faulting address (page faults), else the instruction */
	unsigned int trapno;	/* x86 vector (14 = #PF, 13 = #GP, 6 = #UD, 0 = #DE...) */
	unsigned long error;	/* x86 error code (#PF: bit 0 present, 1 write, 2 user, 4 fetch) */
	int signo;		/* the Linux signal this trap means: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	int code;		/* si_code to report (SEGV_MAPERR, SEGV_ACCERR, ...) */
	bool write;		/* the access was a write */
	bool exec;		/* the access was an instruction fetch */
};

/**
 * plat_run_user() - run @t in user mode from @regs until it stops.
 * On return @regs holds the user state at the stop; for PLAT_STOP_SYSCALL
 * regs->orig_rax is the syscall number and the instruction pointer is past
 * the syscall instruction.
 * Preconditions: plat_as_activate(@t->mm->as) was called.
 */
enum plat_stop plat_run_user(struct task *t, struct regs *regs,
			     struct fault_info *fault);

/**
 * plat_set_timer() - make plat_run_user() return PLAT_STOP_INTERRUPT once
 * CLOCK_MONOTONIC reaches @deadline_ns (INT64_MAX: never), even if the app
 * never stops by itself: preemption. One-shot; the core sets it before
 * every plat_run_user() and a platform re-arms only on a change.
 * KVM: the VMM injects an interrupt (HC_SET_TIMER) in the ring-0 flavour;
 * PVM has none yet: there apps run until they stop.
 */
void plat_set_timer(int64_t deadline_ns);

/**
 * plat_task_clone() - @child (a new thread or process, its mm set) starts
 * with a copy of @parent's FPU/vector state, as in Linux (ptrace: threads
 * only; a forked process starts clean).
 * plat_task_release() - @t is gone: free what the platform keeps for it
 * (t->plat). Both before @t's mm reference is dropped.
 */
void plat_task_clone(struct task *parent, struct task *child);
void plat_task_release(struct task *t);

/*
 * Signal frames carry @t's FPU/vector state: x86-64's FXSAVE layout
 * (PLAT_FPU_LEGACY bytes), or the XSAVE standard layout that starts with it
 * and adds AVX and wider registers.
 * plat_fpu_size() - the size a frame holds: PLAT_FPU_LEGACY, or an XSAVE
 * size up to PLAT_FPU_MAX whose image has Linux's struct _fpx_sw_bytes
 * (FP_XSTATE_MAGIC1, sizes, features) in its sw_reserved bytes.
 * plat_fpu_get() - the state into @buf, plat_fpu_size() bytes.
 * plat_fpu_set() - @buf (the app's, so checked: a state the CPU would not
 * take is -EINVAL, reserved MXCSR bits are dropped) becomes @t's state;
 * @size is plat_fpu_size(), or PLAT_FPU_LEGACY to set that part only.
 * Return: 0 or -errno.
 */
#define PLAT_FPU_LEGACY	512
#define PLAT_FPU_MAX	(4u << 10)
size_t plat_fpu_size(struct task *t);
int plat_fpu_get(struct task *t, void *buf, size_t size);
int plat_fpu_set(struct task *t, const void *buf, size_t size);

/** plat_console_write() - sentry diagnostics (stderr of sentry-vm). */
void plat_console_write(const char *s, size_t len);

/**
 * plat_clock_ns() - current time of @clockid (CLOCK_REALTIME, CLOCK_MONOTONIC,
 * CLOCK_BOOTTIME and their _COARSE/_RAW variants) in ns since its epoch.
 * KVM reads the TSC against the boot info's calibration: no exit.
 * Return: 0 with *@ns set, or -EINVAL for other clocks.
 */
int plat_clock_ns(int clockid, int64_t *ns);

/**
 * plat_clock_vvar() - the platform's clocks as the vDSO's formula
 * (sentry/arch/vvar.h), for the [vvar] page: fills @v (not @v->seq) so that
 * vvar_clock_at(@v, id, TSC now) is what plat_clock_ns(id) returns now and
 * later, whichever way the time is read. Called before the first exec;
 * the platform may switch its own clocks to the formula then (ptrace).
 * Return: true when apps may read the clocks so (@v->flags has
 * VVAR_F_TSC), false when they must make the syscall (TSC unfit).
 */
bool plat_clock_vvar(struct vvar *v);

/** plat_cpu_ns() - CPU time this sandbox has used, in ns (best effort). */
int64_t plat_cpu_ns(void);

/** plat_panic() - stop the sentry after a fatal internal error; never returns. */
__noreturn void plat_panic(void);

#endif /* SENTRY_PLATFORM_H */

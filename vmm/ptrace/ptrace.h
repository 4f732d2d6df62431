/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ptrace.h: internals of the ptrace platform (vmm/ptrace/, arch/<a>/ptrace/).
 * Host only: libc plus sentry/platform.h types. Not for the core.
 *
 * Threading: ptrace requests are accepted only from the tracer *thread*,
 * the one that forked the stub. plat_as_create(), plat_as_map/unmap() and
 * plat_run_user() must all run on the thread that runs the sentry core.
 *
 * Memory: "physical memory" is one memfd (ptrace_mem.memfd), mapped shared
 * in this process at ptrace_mem.ram. The image stays where image_open()
 * mapped it. A stub maps app pages from the same memfd (or the image fd), so
 * app writes land in the pages the core sees through plat_phys_to_virt().
 */
#ifndef VMM_PTRACE_PTRACE_H
#define VMM_PTRACE_PTRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sentry/arch/regs.h"

#include "sentry/platform.h"

struct ptrace_mem {
	int memfd;    /* "physical memory", -1 until ptrace_mem_init() */
	uint8_t *ram; /* its MAP_SHARED mapping: the sentry's view */
	uint64_t ram_size;
	const uint8_t *image; /* the image as image_open() mapped it */
	uint64_t image_size;
	int image_fd; /* backs @image from offset 0, or -1: not mappable */
};

extern struct ptrace_mem ptrace_mem;

/**
 * ptrace_mem_init() - create the RAM memfd of @ram_size bytes and record the
 * image (@image_fd may be -1: then image pages cannot be mapped into apps).
 * Return: 0 or -errno.
 */
int ptrace_mem_init(uint64_t ram_size, const void *image, uint64_t image_size,
		    int image_fd);
void ptrace_mem_fini(void);

/* One app address space = one traced stub process. */
struct plat_as {
	pid_t pid;	    /* the stub; -1 once reaped */
	bool regs_known;    /* @kregs is what the stopped stub holds */
	struct regs kregs;  /* the stub's registers as the kernel has them */
	struct regs inject; /* template for injected syscalls */
	int64_t cpuclock;   /* clockid_t of the stub's CPU clock, or -1 */
	uint64_t fpu_serial; /* whose FPU state the stub holds (fpu.c), 0: its first user's */
	uint64_t fpu_init[64]; /* user_fpregs_struct (FXSAVE) when new: recycling resets to it */
	bool fpu_init_ok;
};

/*
 * FPU/vector state of threads sharing a stub (fpu.c). The stub's registers
 * hold one thread's state; a thread's own copy is saved after each of its
 * stops while its mm is shared and loaded when it runs after another one.
 * Single-threaded processes never pay: they have no copy.
 */
void ptrace_fpu_before_run(struct plat_as *as, struct task *t);
void ptrace_fpu_after_stop(struct plat_as *as, struct task *t);

/** The address space plat_run_user() runs in (plat_as_activate()). */
extern struct plat_as *ptrace_current_as;

/**
 * ptrace_stub_syscall() - run one host syscall @nr in the stopped stub from
 * the stub page (the only place its seccomp filter allows syscalls from).
 * Return: the syscall's result (-errno on failure); -ESRCH when the stub
 * is gone.
 */
long ptrace_stub_syscall(struct plat_as *as, long nr, uint64_t a0, uint64_t a1,
			 uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/**
 * ptrace_stub_reap() - kill @as's stub if it lives, wait for its end.
 * Return: its last wait status, or -errno (-ESRCH: already gone).
 */
int ptrace_stub_reap(struct plat_as *as);

/** CPU time of the stubs already reaped (plat_cpu_ns()). */
extern int64_t ptrace_dead_stubs_cpu_ns;

/**
 * ptrace_wait_stop() - waitpid(@pid, __WALL) retrying on EINTR.
 * Return: the wait status, or -errno.
 */
int ptrace_wait_stop(pid_t pid);

/* ptrace_warn() - "sentry-vm: ptrace: " + message + newline on stderr. */
void ptrace_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Preemption (preempt.c), around one run of app code in @stub:
 * ptrace_preempt_begin() returns false when the timer has already expired
 * (do not run: report an interrupt); ptrace_preempt_end() after the stop.
 */
bool ptrace_preempt_begin(pid_t stub);
void ptrace_preempt_end(void);

/*
 * Clocks (clock.c; ptrace_clock_start() is in vmm.h: main() calls it).
 * ptrace_clock_to_host(): the host CLOCK_MONOTONIC time at which the
 * sentry's CLOCK_MONOTONIC reaches @deadline_ns (INT64_MAX stays).
 */
int64_t ptrace_clock_to_host(int64_t deadline_ns);

/*
 * Arch hooks, implemented in arch/<a>/ptrace/.
 */

/* The stub's code: "syscall; int3" on x86_64 (arch/<a>/ptrace/stub.S). */
extern const unsigned char ptrace_stub_code[];
extern const unsigned char ptrace_stub_code_end[];
/* Offsets in the stub: just after the syscall instruction, after the trap. */
#define PTRACE_STUB_SYSCALL_END 2
#define PTRACE_STUB_TRAP_END	3

/**
 * ptrace_arch_sanitize() - make @r safe to hand to PTRACE_SETREGS: user code
 * and stack selectors, only user-settable flags (IF set), no "in a syscall"
 * marker, valid segment selectors and bases. The app cannot load a
 * kernel-ish state whatever the core put in its register file.
 */
void ptrace_arch_sanitize(struct regs *r);

/** ptrace_arch_restart_result() - would @ret make the host restart a syscall?
 */
bool ptrace_arch_restart_result(uint64_t ret);

/** Offset of the syscall return register in the ptrace user area (POKEUSER). */
extern const size_t ptrace_arch_ret_offset;

/**
 * ptrace_arch_same_but_ret() - do @a and @b differ at most in the syscall
 * result and the "in a syscall" marker (orig_rax)?
 */
bool ptrace_arch_same_but_ret(const struct regs *a, const struct regs *b);

/** ptrace_arch_set_ret() - set the syscall result register of @r. */
void ptrace_arch_set_ret(struct regs *r, uint64_t ret);

/**
 * ptrace_arch_set_syscall() - set up @r to run syscall @nr(@args) at @pc.
 */
void ptrace_arch_set_syscall(struct regs *r, uint64_t pc, long nr,
			     const uint64_t args[6]);

/**
 * ptrace_arch_native_syscall() - at a syscall stop, did the app use the
 * native syscall instruction (not a compat entry such as int $0x80)?
 */
bool ptrace_arch_native_syscall(const struct regs *r);

/**
 * ptrace_arch_compat_syscall_fault() - turn a syscall stop at a compat entry
 * into the fault a host without compat syscalls gives (@r is rewound to the
 * instruction).
 */
void ptrace_arch_compat_syscall_fault(struct regs *r, struct fault_info *f);

/** ptrace_arch_syscall_ret() - the syscall result register of @r. */
long ptrace_arch_syscall_ret(const struct regs *r);

/** ptrace_arch_pc() - the instruction pointer in @r. */
uint64_t ptrace_arch_pc(const struct regs *r);

/**
 * ptrace_arch_fault() - describe the synchronous fault signal @si, taken at
 * @r, in @fault. Return: false when @si is not a synchronous fault (sent by
 * another process, or a signal the hardware does not raise).
 */
bool ptrace_arch_fault(const siginfo_t *si, const struct regs *r,
		       struct fault_info *fault);

#endif /* VMM_PTRACE_PTRACE_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp.c: seccomp filters of sentry-vm's host processes.
 *
 * The ptrace stub's filter is raw BPF (it tests the instruction pointer,
 * which libseccomp cannot). Allowlists for the VMM and the helper belong
 * here too, written with libseccomp, one comment per entry.
 */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <termios.h>

#if defined(__x86_64__)
#define SECCOMP_NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp.c: unknown host arch"
#endif

#define DATA_NR	  offsetof(struct seccomp_data, nr)
#define DATA_ARCH offsetof(struct seccomp_data, arch)
/* The 64-bit instruction pointer, as two little-endian 32-bit words. */
#define DATA_IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define DATA_IP_HI (DATA_IP_LO + 4)

/* The syscalls a stub may make, and only from its stub page. */
static const uint32_t stub_allowed[] = {
	__NR_mmap,     /* map app pages from the RAM memfd (plat_as_map) */
	__NR_munmap,   /* unmap app pages (plat_as_unmap); stub setup */
	__NR_mprotect, /* change app page protection */
	__NR_exit,     /* never used; harmless */
	__NR_exit_group,
};

int seccomp_stub_filter(struct sock_filter *insns, size_t max,
			uint64_t syscall_end)
{
	const size_t nallow = sizeof(stub_allowed) / sizeof(stub_allowed[0]);
	size_t n = 0, i, kill_at, allow_at;

	/* Layout: 2 (arch) + 4 (ip) + 1 (nr) + nallow + kill + allow. */
	if (max < 9 + nallow)
		return -ENOSPC;
	kill_at = 7 + nallow;
	allow_at = kill_at + 1;

#define JUMP_TO(at) ((uint8_t)((at)-n - 1))
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_ARCH);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						SECCOMP_NATIVE_ARCH, 0,
						JUMP_TO(kill_at));
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_IP_LO);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						(uint32_t)syscall_end, 0,
						JUMP_TO(kill_at));
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_IP_HI);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						(uint32_t)(syscall_end >> 32),
						0, JUMP_TO(kill_at));
	n++;
	/* x32 numbers (bit 30 set) match nothing below: killed. */
	insns[n] =
		(struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_NR);
	n++;
	for (i = 0; i < nallow; i++) {
		insns[n] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, stub_allowed[i],
			JUMP_TO(allow_at), 0);
		n++;
	}
	insns[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						SECCOMP_RET_KILL_PROCESS);
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						SECCOMP_RET_ALLOW);
	n++;
#undef JUMP_TO
	return (int)n;
}

/* One allowlist entry: a syscall, an optional argument test, and why. */
struct allow {
	int nr;
	unsigned int argc;	 /* 0: any arguments */
	struct scmp_arg_cmp arg; /* used when argc == 1 */
};

/* clang-format off */
#define ALLOW(name)		{ SCMP_SYS(name), 0, { 0 } }
#define ALLOW_IF(name, cmp)	{ SCMP_SYS(name), 1, cmp }
/* clang-format on */

#ifndef ARCH_SHSTK_DISABLE
#define ARCH_SHSTK_DISABLE 0x5002
#endif
#ifndef PTRACE_GET_RSEQ_CONFIGURATION
#define PTRACE_GET_RSEQ_CONFIGURATION 0x420f
#endif
#define ALLOW_PTRACE(req) ALLOW_IF(ptrace, SCMP_A0(SCMP_CMP_EQ, req))

/*
 * The tracer: sentry-vm under the ptrace platform, from ptrace_run() on.
 * It runs the sentry core, whose only ways out are host_* (vmm/host/) and
 * plat_* (vmm/ptrace/), plus libc's heap. Children forked to become stubs
 * inherit this list and run a few set-up calls under it before their own
 * filter (stub_filter) is added.
 */
static const struct allow tracer_allowed[] = {
	/* host_read/host_write; stderr diagnostics (stdio may use writev) */
	ALLOW(read),
	ALLOW(write),
	ALLOW(writev),
	/* host_ioctl: only the two tty reads it forwards */
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, TCGETS)),
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, TIOCGWINSZ)),
	/* host_fstat: glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH) */
	ALLOW(fstat),
	ALLOW_IF(newfstatat, SCMP_A3(SCMP_CMP_EQ, AT_EMPTY_PATH)),
	/* host_getrandom */
	ALLOW(getrandom),
	/* host_nanosleep; clocks where the vDSO falls back; cpu clock ids */
	ALLOW(clock_nanosleep),
	ALLOW(clock_gettime),
	ALLOW(clock_getres),
	ALLOW(gettimeofday),
	/* plat_set_timer: the preemption timer (vmm/ptrace/preempt.c) */
	ALLOW(timer_create),
	ALLOW(timer_settime),
	/*
	 * The heap (kmalloc is malloc); stubs map app pages (PROT_EXEC too:
	 * they inherit this list, so it cannot refuse what they need).
	 */
	ALLOW(brk),
	ALLOW(mmap),
	ALLOW(munmap),
	ALLOW(mremap),
	ALLOW(mprotect),
	ALLOW(madvise),
	/* libc locks, should they ever contend */
	ALLOW(futex),
	/* plat_as_create: fork (glibc's flags), never a thread or clone3 */
	ALLOW_IF(clone,
		 SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD | CLONE_VM, 0)),
	/*
	 * Tracing stubs: exactly the requests vmm/ptrace makes, so never
	 * PTRACE_ATTACH/SEIZE of another process. TRACEME: a stub's set-up.
	 */
	ALLOW_PTRACE(PTRACE_TRACEME),
	ALLOW_PTRACE(PTRACE_SETOPTIONS),
	ALLOW_PTRACE(PTRACE_GETREGS),
	ALLOW_PTRACE(PTRACE_GETREGSET),	/* FPU state of threads sharing a stub */
	ALLOW_PTRACE(PTRACE_SETREGSET),
	ALLOW_PTRACE(PTRACE_GETFPREGS),	/* a stub's fresh FPU state, to recycle it; signal frames */
	ALLOW_PTRACE(PTRACE_SETFPREGS),
	ALLOW_PTRACE(PTRACE_SETREGS),
	ALLOW_PTRACE(PTRACE_POKEUSER),
	ALLOW_PTRACE(PTRACE_POKEDATA),
	ALLOW_PTRACE(PTRACE_GETSIGINFO),
	ALLOW_PTRACE(PTRACE_GET_RSEQ_CONFIGURATION),
	ALLOW_PTRACE(PTRACE_CONT),
	ALLOW_PTRACE(PTRACE_SYSEMU),
	/* reaping stubs, killing them */
	ALLOW(wait4),
	ALLOW(waitid),
	ALLOW(kill),
	/* a stub's own set-up before its filter (vmm/ptrace/stub.c) */
	ALLOW(getpid),
	ALLOW(getppid),
	ALLOW(close),
	ALLOW(close_range),
	ALLOW_IF(prlimit64, SCMP_A0(SCMP_CMP_EQ, 0)),
	ALLOW(set_tid_address),
	ALLOW(set_robust_list),
	ALLOW(rseq),
	ALLOW_IF(prctl, SCMP_A0(SCMP_CMP_EQ, PR_SET_PDEATHSIG)),
	ALLOW_IF(prctl, SCMP_A0(SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS)),
	ALLOW_IF(arch_prctl, SCMP_A0(SCMP_CMP_EQ, ARCH_SHSTK_DISABLE)),
	ALLOW_IF(seccomp, SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER)),
	/* signal masks (stub set-up, abort), abort's raise, sigreturn */
	ALLOW(rt_sigprocmask),
	ALLOW(rt_sigaction),
	ALLOW(rt_sigreturn),
	/* sanitizer runtimes (ASan test builds) set alternate signal stacks */
	ALLOW(sigaltstack),
	ALLOW(gettid),
	ALLOW(tgkill),
	/* the end */
	ALLOW(exit),
	ALLOW(exit_group),
};

/*
 * The KVM VMM, from its first KVM_RUN on: the VM is built, so what is left
 * is running the vCPU, serving hostcalls (vmm/host/) and tearing down.
 */
static const struct allow vmm_allowed[] = {
	/* the vCPU loop; the register dump of vm_fatal() */
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, KVM_RUN)),
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, KVM_GET_REGS)),
	/* the preemption timer (vmm/kvm/timer.c): arm it, inject its interrupt */
	ALLOW(timer_settime),
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, KVM_INTERRUPT)),
	/* host_ioctl: only the two tty reads it forwards */
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, TCGETS)),
	ALLOW_IF(ioctl, SCMP_A1(SCMP_CMP_EQ, TIOCGWINSZ)),
	/* host_read/host_write; diagnostics on stderr */
	ALLOW(read),
	ALLOW(write),
	ALLOW(writev),
	/* host_fstat: glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH) */
	ALLOW(fstat),
	ALLOW_IF(newfstatat, SCMP_A3(SCMP_CMP_EQ, AT_EMPTY_PATH)),
	/* host_getrandom, host_nanosleep, clocks */
	ALLOW(getrandom),
	ALLOW(clock_nanosleep),
	ALLOW(clock_gettime),
	/* libc's heap (stdio buffers) and the teardown of RAM, image and fds; HC_POPULATE */
	ALLOW(brk),
	ALLOW(mmap),
	ALLOW(munmap),
	ALLOW(madvise),
	ALLOW(close),
	/* signal returns (a KVM_RUN interrupted by a signal), abort's raise */
	ALLOW(rt_sigreturn),
	ALLOW(rt_sigprocmask),
	ALLOW(getpid),
	ALLOW(gettid),
	ALLOW(tgkill),
	/* sanitizer runtimes (ASan test builds) set alternate signal stacks */
	ALLOW(sigaltstack),
	/* the end */
	ALLOW(exit),
	ALLOW(exit_group),
};

/* Load a KILL_PROCESS-by-default filter allowing @allowed. */
static int enter_allowlist(const struct allow *allowed, size_t n)
{
	scmp_filter_ctx ctx;
	size_t i;
	int err = 0;

	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return -ENOMEM;
	/* glibc falls back to clone when clone3 is ENOSYS. */
	err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
			       0);
	for (i = 0; i < n && !err; i++) {
		const struct allow *a = &allowed[i];

		if (a->argc)
			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 1,
					       a->arg);
		else
			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, a->nr, 0);
	}
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}

int seccomp_tracer_enter(void)
{
	return enter_allowlist(tracer_allowed,
			       sizeof(tracer_allowed) / sizeof(tracer_allowed[0]));
}

int seccomp_vmm_enter(void)
{
	return enter_allowlist(vmm_allowed, sizeof(vmm_allowed) / sizeof(vmm_allowed[0]));
}

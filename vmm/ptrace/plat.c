// SPDX-License-Identifier: Apache-2.0
/*
 * plat.c: running app code under PTRACE_SYSEMU (plat_run_user) and the
 * small plat_* services of the hosted sentry (console, CPU time, panic;
 * the clocks are clock.c's).
 *
 * One trip to the app is PTRACE_SETREGS (or one POKEUSER when only the
 * syscall result changed), PTRACE_SYSEMU, waitpid, PTRACE_GETREGS: four
 * host syscalls, no allocation. A fault costs one PTRACE_GETSIGINFO more.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/platform.h"

#include "ptrace.h"

/*
 * Load @k (sanitized) into the stopped stub. After a syscall stop the
 * usual change is the result register alone: poke just that. Restart
 * codes never go that way: the kernel still believes the stub is in the
 * syscall and would act on them (the full path clears that belief, see
 * ptrace_arch_sanitize()).
 */
static int load_regs(struct plat_as *as, const struct regs *k)
{
	uint64_t ret = (uint64_t)ptrace_arch_syscall_ret(k);

	if (as->regs_known && !ptrace_arch_restart_result(ret) &&
	    ptrace_arch_same_but_ret(k, &as->kregs)) {
		if (ret == (uint64_t)ptrace_arch_syscall_ret(&as->kregs))
			return 0;
		if (ptrace(PTRACE_POKEUSER, as->pid,
			   (void *)ptrace_arch_ret_offset, (void *)ret) < 0)
			return -errno;
		ptrace_arch_set_ret(&as->kregs, ret);
		return 0;
	}
	if (ptrace(PTRACE_SETREGS, as->pid, NULL, k) < 0)
		return -errno;
	as->kregs = *k;
	as->regs_known = true;
	return 0;
}

/* The stub is gone, or must go: reap it and say how it ended. */
static enum plat_stop stop_dead(struct plat_as *as, int status,
				struct fault_info *fault)
{
	memset(fault, 0, sizeof(*fault));
	if (as && as->pid > 0)
		status = ptrace_stub_reap(as);
	if (status >= 0 && WIFSIGNALED(status))
		fault->signo = WTERMSIG(status);
	else if (status >= 0 && WIFEXITED(status))
		fault->code = WEXITSTATUS(status);
	else
		fault->signo = SIGKILL;
	return PLAT_STOP_DEAD;
}

static bool fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

enum plat_stop plat_run_user(struct task *t, struct regs *regs,
			     struct fault_info *fault)
{
	struct plat_as *as = ptrace_current_as;
	struct regs k;
	siginfo_t si;
	int status, sig;

	if (!as || as->pid <= 0)
		return stop_dead(NULL, -1, fault);
	k = *regs;
	ptrace_arch_sanitize(&k);
	/* Fails if SIGKILLed under us, or for a state the host refuses. */
	if (load_regs(as, &k) < 0)
		return stop_dead(as, -1, fault);
	ptrace_fpu_before_run(as, t);
	if (!ptrace_preempt_begin(as->pid))
		return PLAT_STOP_INTERRUPT;
	if (ptrace(PTRACE_SYSEMU, as->pid, NULL, NULL) < 0) {
		ptrace_preempt_end();
		return stop_dead(as, -1, fault);
	}
	status = ptrace_wait_stop(as->pid);
	ptrace_preempt_end();
	if (status < 0)
		return stop_dead(as, status, fault);
	if (!WIFSTOPPED(status)) {
		as->pid = -1; /* reaped by that wait */
		as->regs_known = false;
		return stop_dead(as, status, fault);
	}
	if (ptrace(PTRACE_GETREGS, as->pid, NULL, regs) < 0)
		return stop_dead(as, -1, fault);
	as->kregs = *regs;
	as->regs_known = true;
	ptrace_fpu_after_stop(as, t);

	sig = WSTOPSIG(status);
	if (sig == (SIGTRAP | 0x80)) {
		if (likely(ptrace_arch_native_syscall(regs)))
			return PLAT_STOP_SYSCALL;
		ptrace_arch_compat_syscall_fault(regs, fault);
		return PLAT_STOP_FAULT;
	}
	/*
	 * A signal-delivery stop. It is never delivered to the stub: the
	 * next resume passes signal 0. Synchronous faults go to the core;
	 * anything sent from outside (terminal SIGINT, SIGWINCH) only
	 * interrupts.
	 */
	if ((status >> 16) == 0 && fault_signal(sig) &&
	    ptrace(PTRACE_GETSIGINFO, as->pid, NULL, &si) == 0 &&
	    ptrace_arch_fault(&si, regs, fault))
		return PLAT_STOP_FAULT;
	return PLAT_STOP_INTERRUPT;
}

void ptrace_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sentry-vm: ptrace: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void plat_console_write(const char *s, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDERR_FILENO, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* The sentry (this process), the current stub and the stubs reaped. */
int64_t plat_cpu_ns(void)
{
	struct plat_as *as = ptrace_current_as;
	int64_t total = ptrace_dead_stubs_cpu_ns;
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
		total += ts.tv_sec * 1000000000LL + ts.tv_nsec;
	if (as && as->pid > 0 && as->cpuclock >= 0 &&
	    clock_gettime((clockid_t)as->cpuclock, &ts) == 0)
		total += ts.tv_sec * 1000000000LL + ts.tv_nsec;
	return total;
}

__noreturn void plat_panic(void)
{
	abort(); /* plat_panic(): the core asked to stop */
}

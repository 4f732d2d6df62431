// SPDX-License-Identifier: Apache-2.0
/*
 * probe.c: ptrace_usable(): can this host run the ptrace platform? It tries
 * what the platform needs (fork, PTRACE_TRACEME, PTRACE_SYSEMU syscall stops,
 * seccomp's kill-process action) on a throwaway child: about a millisecond.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmm/vmm.h"

#include "ptrace.h"

/*
 * Fork a child that stops itself under PTRACE_TRACEME, then have it run
 * getpid under PTRACE_SYSEMU: the stop must be a syscall stop for getpid.
 */
static int probe_sysemu(char *why, size_t whylen)
{
	struct regs r;
	pid_t pid;
	int status, err = 0;

	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork failed: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		/* Forked child, not sentry-vm: exits with TRACEME's errno. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
		    ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(errno); /* errno < 256 */
		syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
		_exit(0); /* the forked child, not sentry-vm */
	}
	status = ptrace_wait_stop(pid);
	if (status < 0 || !WIFSTOPPED(status)) {
		err = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status)
			      ? -WEXITSTATUS(status)
			      : -EPERM;
		snprintf(why, whylen, "PTRACE_TRACEME fails: %s",
			 strerror(-err));
		goto out_reap;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)) < 0 ||
	    ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0) {
		err = -errno;
		snprintf(why, whylen, "ptrace requests fail: %s",
			 strerror(errno));
		goto out_kill;
	}
	/* Run "syscall; int3" from our code's copy in the child. */
	{
		const uint64_t args[6] = {0};

		ptrace_arch_set_syscall(&r, (uint64_t)ptrace_stub_code,
					SYS_getpid, args);
	}
	if (ptrace(PTRACE_SETREGS, pid, NULL, &r) < 0 ||
	    ptrace(PTRACE_SYSEMU, pid, NULL, NULL) < 0) {
		err = -errno;
		snprintf(why, whylen, "PTRACE_SYSEMU fails: %s",
			 strerror(errno));
		goto out_kill;
	}
	status = ptrace_wait_stop(pid);
	if (status < 0 || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != (SIGTRAP | 0x80) ||
	    ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0 ||
	    r.orig_rax != SYS_getpid) {
		snprintf(why, whylen,
			 "PTRACE_SYSEMU does not stop at syscalls (status %#x)",
			 status);
		err = -ENOSYS;
	}
out_kill:
	kill(pid, SIGKILL);
out_reap:
	while (waitpid(pid, &status, __WALL) >= 0 && WIFSTOPPED(status))
		;
	return err;
}

int ptrace_usable(char *why, size_t whylen)
{
	uint32_t action = SECCOMP_RET_KILL_PROCESS;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0) {
		snprintf(why, whylen,
			 "seccomp filters with SECCOMP_RET_KILL_PROCESS are "
			 "not available: %s",
			 strerror(errno));
		return -ENOSYS;
	}
	return probe_sysemu(why, whylen);
}

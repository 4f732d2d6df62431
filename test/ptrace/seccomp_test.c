// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp_test.c: the tracer's allowlist (vmm/sandbox/seccomp.c). Each case
 * runs in a forked child, which enters the list and reports by its exit
 * status: a call outside the list must kill it with SIGSYS, and the whole
 * ptrace platform plus the host services must work inside it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/arch/regs.h"

#include "sentry/host.h"
#include "sentry/platform.h"

#include "abi/linux/arch/stat.h"

#include "vmm/vmm.h"

#include "../../vmm/host/host_state.h"
#include "../../vmm/ptrace/ptrace.h"
#include "../../vmm/sandbox/seccomp.h"

/* Run @fn in a child inside the allowlist; return its wait status. */
static int in_allowlist(int (*fn)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (seccomp_tracer_enter() != 0)
			_exit(100);
		_exit(fn());
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

/* Run @fn in a child inside the KVM VMM's allowlist; return its wait status. */
static int in_vmm_allowlist(int (*fn)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (seccomp_vmm_enter() != 0)
			_exit(100);
		_exit(fn());
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void expect_sigsys(int (*fn)(void))
{
	int status = in_allowlist(fn);

	cr_assert(WIFSIGNALED(status), "status %#x", status);
	cr_assert_eq(WTERMSIG(status), SIGSYS);
}

static int do_openat(void)
{
	syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY);
	return 0;
}

static int do_socket(void)
{
	syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	return 0;
}

static int do_other_ioctl(void)
{
	int n;

	syscall(SYS_ioctl, 0, FIONREAD, &n);
	return 0;
}

static int do_thread_clone(void)
{
	/* Would be a thread sharing our memory: refused before it runs. */
	syscall(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, NULL, NULL,
		NULL, 0);
	return 0;
}

static int do_execve(void)
{
	static char *const argv[] = {"true", NULL};

	syscall(SYS_execve, "/bin/true", argv, NULL);
	return 0;
}

static int do_ptrace_attach(void)
{
	syscall(SYS_ptrace, PTRACE_ATTACH, getppid(), NULL, NULL);
	return 0;
}

Test(seccomp_tracer, ptrace_attach_dies_by_sigsys)
{
	expect_sigsys(do_ptrace_attach);
}

Test(seccomp_tracer, openat_dies_by_sigsys)
{
	expect_sigsys(do_openat);
}

Test(seccomp_tracer, socket_dies_by_sigsys)
{
	expect_sigsys(do_socket);
}

Test(seccomp_tracer, other_ioctls_die_by_sigsys)
{
	expect_sigsys(do_other_ioctl);
}

Test(seccomp_tracer, threads_die_by_sigsys)
{
	expect_sigsys(do_thread_clone);
}

Test(seccomp_tracer, execve_dies_by_sigsys)
{
	expect_sigsys(do_execve);
}

/* The platform and the host services, all inside the list. */
static int fds[2]; /* a pipe for host_read/host_write, made outside */

static int platform_round_trip(void)
{
	/* 1: syscall; int3 */
	static const unsigned char code[] = {0x0f, 0x05, 0xcc};
	struct linux_stat st;
	struct plat_as *as;
	struct fault_info f;
	struct regs r;
	char buf[8];

	if (host_fd_allow(fds[0]) || host_fd_allow(fds[1]))
		return 1;
	if (host_write(fds[1], "ok", 2) != 2 || host_read(fds[0], buf, 2) != 2)
		return 2;
	if (host_fstat(fds[0], &st) != 0 || host_getrandom(buf, 8) != 8 ||
	    host_nanosleep(1000) != 0)
		return 3;
	memcpy(ptrace_mem.ram + 0x1000, code, sizeof(code));
	if (plat_as_create(&as) != 0)
		return 4;
	if (plat_as_map(as, 0x400000, 0x1000, PAGE_SIZE, PROT_READ | PROT_EXEC))
		return 5;
	plat_as_activate(as);
	memset(&r, 0, sizeof(r));
	r.rip = 0x400000;
	r.rax = 39;
	if (plat_run_user(NULL, &r, &f) != PLAT_STOP_SYSCALL ||
	    r.orig_rax != 39)
		return 6;
	if (plat_run_user(NULL, &r, &f) != PLAT_STOP_FAULT ||
	    f.signo != SIGTRAP)
		return 7;
	if (plat_as_unmap(as, 0x400000, PAGE_SIZE))
		return 8;
	plat_as_destroy(as);
	if (plat_cpu_ns() <= 0)
		return 9;
	return 0;
}

Test(seccomp_tracer, the_platform_works_inside)
{
	char why[256];
	int status;

	if (ptrace_usable(why, sizeof(why)) < 0)
		cr_skip_test("skipped: %s", why);
	cr_assert_eq(ptrace_mem_init(16UL << 20, NULL, 0, -1), 0);
	cr_assert_eq(pipe(fds), 0);
	status = in_allowlist(platform_round_trip);
	cr_assert(WIFEXITED(status), "status %#x", status);
	cr_assert_eq(WEXITSTATUS(status), 0, "step %d failed",
		     WEXITSTATUS(status));
	ptrace_mem_fini();
}

/* The KVM VMM's list (vmm/sandbox/seccomp.c): what it serves works, the rest dies. */
static int do_fork(void)
{
	syscall(SYS_fork);
	return 0;
}

static int do_host_services(void)
{
	char c = 'x';
	struct stat st;
	struct timespec ts = { 0, 1000 };

	if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1 || fstat(fds[0], &st) ||
	    getrandom(&c, 1, 0) != 1 || clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL))
		return 1;
	return 0;
}

Test(seccomp_vmm, host_services_work_inside)
{
	int status;

	cr_assert_eq(pipe(fds), 0);
	status = in_vmm_allowlist(do_host_services);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
	close(fds[0]);
	close(fds[1]);
}

Test(seccomp_vmm, openat_socket_execve_and_fork_die_by_sigsys)
{
	int (*const forbidden[])(void) = { do_openat, do_socket, do_execve, do_other_ioctl,
					     do_fork };

	for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		int status = in_vmm_allowlist(forbidden[i]);

		cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "case %zu: status %#x",
			  i, status);
	}
}

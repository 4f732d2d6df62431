// SPDX-License-Identifier: Apache-2.0
/*
 * stub.c: app address spaces of the ptrace platform (plat_as_*).
 *
 * An address space is a traced "stub" process that holds nothing but the
 * app's pages and one stub page of code at PTRACE_STUB_VA:
 *
 *   fork()                       child: empty signal mask, parent-death
 *                                SIGKILL, close every fd but RAM memfd and
 *                                image fd, no core dumps, no tid/robust
 *                                list pointers, no shadow stack,
 *                                no_new_privs, PTRACE_TRACEME, SIGSTOP
 *   tracer, injecting syscalls:  0. unregister the inherited rseq area
 *                                1. mmap the stub page (from the copy of the
 *                                   stub code in the child's sentry-vm text)
 *                                2. poke "syscall; int3" into it
 *                                3. seccomp(SET_MODE_FILTER): syscalls only
 *                                   from the stub page (vmm/sandbox/seccomp.c)
 *                                4. munmap [0, stub) and [stub + 4K, top):
 *                                   no sentry memory is left in the child
 *
 * Only the vsyscall page stays (it cannot be unmapped); a call into it is
 * a syscall from outside the stub page, so seccomp kills the stub.
 *
 * A destroyed address space whose stub still lives goes to a small pool
 * instead of being killed: its app pages are unmapped (one injected
 * munmap) and its FPU state reset, and the next plat_as_create() takes it.
 * A fork+exec+exit cycle then forks no new stub (each fork of sentry-vm
 * costs more than the rest of the cycle).
 *
 * The tracer maps and unmaps app pages by injecting mmap/munmap: set rip to
 * the stub page and the number and arguments in registers, PTRACE_CONT,
 * wait for the int3's SIGTRAP, read the result. The stub's registers are
 * clobbered; plat_run_user() always loads the app's registers first.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/arch/layout.h"

#include "sentry/platform.h"

#include "../sandbox/seccomp.h"
#include "ptrace.h"

/* End of the stub's address space to clear (TASK_SIZE, 4-level paging). */
#define STUB_VA_TOP 0x00007ffffffff000UL
/* sizeof(struct robust_list_head): set_robust_list() insists on it. */
#define STUB_ROBUST_HEAD_SIZE 24

#ifndef ARCH_SHSTK_DISABLE
#define ARCH_SHSTK_DISABLE 0x5002
#define ARCH_SHSTK_SHSTK   (1ULL << 0)
#endif

#ifndef PTRACE_GET_RSEQ_CONFIGURATION
#define PTRACE_GET_RSEQ_CONFIGURATION 0x420f /* Linux 5.13 */
#endif
#define RSEQ_FLAG_UNREGISTER 1

struct stub_rseq_config { /* struct ptrace_rseq_configuration */
	uint64_t rseq_abi_pointer;
	uint32_t rseq_abi_size;
	uint32_t signature;
	uint32_t flags;
	uint32_t pad;
};

#define STUB_POOL_MAX	4

struct plat_as *ptrace_current_as;
static struct plat_as *stub_pool[STUB_POOL_MAX];
static int stub_pool_len;
/* CPU time of stubs already destroyed (plat_cpu_ns()). */
int64_t ptrace_dead_stubs_cpu_ns;

/*
 * The stub filter, built once before the first fork: a child installs it
 * from this address in its copy of our memory.
 */
static struct sock_filter stub_filter_insns[SECCOMP_STUB_FILTER_MAX];
static struct sock_fprog stub_filter;

int ptrace_wait_stop(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return status;
}

/* @as's stub has been waited for dead: forget it. */
static void stub_gone(struct plat_as *as)
{
	as->pid = -1;
	as->regs_known = false;
}

static void close_fds_except(int keep_a, int keep_b)
{
	int keep[2], n = 0, i, fd, max;
	unsigned int next = 0;
	struct rlimit rl;

	if (keep_a >= 0)
		keep[n++] = keep_a;
	if (keep_b >= 0 && keep_b != keep_a)
		keep[n++] = keep_b;
	if (n == 2 && keep[0] > keep[1]) {
		fd = keep[0];
		keep[0] = keep[1];
		keep[1] = fd;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > next)
			syscall(SYS_close_range, next,
				(unsigned int)keep[i] - 1, 0U);
		next = (unsigned int)keep[i] + 1;
	}
	if (syscall(SYS_close_range, next, ~0U, 0U) == 0)
		return;
	/* Hosts before Linux 5.9: one by one. */
	max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
		      ? (int)rl.rlim_cur
		      : 65536;
	for (fd = 0; fd < max; fd++) {
		if (fd != keep_a && fd != keep_b)
			close(fd);
	}
}

/*
 * The child's side. It was forked from sentry-vm: only raw syscalls here,
 * nothing that takes a lock or allocates.
 */
static __attribute__((noreturn)) void stub_child(pid_t tracer, int keep_a,
						 int keep_b)
{
	static const struct rlimit no_core = {0, 0};
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Dies with the tracer, until PTRACE_O_EXITKILL takes over. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != tracer)
		_exit(127); /* the forked child, not sentry-vm */
	close_fds_except(keep_a, keep_b);
	setrlimit(RLIMIT_CORE, &no_core);
	/*
	 * The kernel writes to user memory it was told about at thread exit
	 * (clear_child_tid, the robust futex list). Those addresses will be
	 * app pages, or pages the core reuses: forget them. A CET shadow
	 * stack would be unmapped with the rest: off (ignored where absent).
	 */
	syscall(SYS_set_tid_address, NULL);
	syscall(SYS_set_robust_list, NULL, (size_t)STUB_ROBUST_HEAD_SIZE);
	syscall(SYS_arch_prctl, ARCH_SHSTK_DISABLE, ARCH_SHSTK_SHSTK);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(126); /* the forked child, not sentry-vm */
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		_exit(125); /* the forked child, not sentry-vm */
	syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
	/* The tracer never lets the child run its own code again. */
	_exit(124); /* the forked child, not sentry-vm */
}

static bool stub_faulted(struct plat_as *as, int status, long nr)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, as->pid, NULL, &si) < 0 ||
	    si.si_code <= 0)
		return false;
	ptrace_warn("stub %d: signal %d code %d at %p in syscall %ld", as->pid,
		    WSTOPSIG(status), si.si_code, si.si_addr, nr);
	return true;
}

/* Run syscall @nr at @pc (a "syscall; int3" in the stub). */
static long stub_inject_at(struct plat_as *as, uint64_t pc, long nr,
			   const uint64_t args[6])
{
	struct regs r = as->inject;
	int status;

	ptrace_arch_set_syscall(&r, pc, nr, args);
	as->regs_known = false;
	if (ptrace(PTRACE_SETREGS, as->pid, NULL, &r) < 0)
		return -errno;
	for (;;) {
		/* Signal 0: a signal that stopped the stub is dropped. */
		if (ptrace(PTRACE_CONT, as->pid, NULL, NULL) < 0)
			return -errno;
		status = ptrace_wait_stop(as->pid);
		if (status < 0)
			return status;
		if (!WIFSTOPPED(status)) {
			ptrace_warn("stub %d died in syscall %ld, status %#x",
				    as->pid, nr, status);
			stub_gone(as);
			return -ESRCH;
		}
		/*
		 * Anything but our int3: a host signal to swallow, or a fault,
		 * which in the stub page means a broken stub.
		 */
		if (WSTOPSIG(status) != SIGTRAP) {
			if (stub_faulted(as, status, nr))
				return -EFAULT;
			continue;
		}
		if (ptrace(PTRACE_GETREGS, as->pid, NULL, &r) < 0)
			return -errno;
		if (ptrace_arch_pc(&r) == pc + PTRACE_STUB_TRAP_END)
			break;
	}
	as->kregs = r;
	as->regs_known = true;
	return ptrace_arch_syscall_ret(&r);
}

long ptrace_stub_syscall(struct plat_as *as, long nr, uint64_t a0, uint64_t a1,
			 uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t args[6] = {a0, a1, a2, a3, a4, a5};

	if (as->pid <= 0)
		return -ESRCH;
	return stub_inject_at(as, PTRACE_STUB_VA, nr, args);
}

/*
 * The child inherited our thread's rseq registration, whose area is in the
 * TLS about to be unmapped: the kernel would then SIGSEGV the stub on every
 * return to user mode. Unregister it, with the exact registration the
 * kernel reports (glibc does not export all of it).
 */
static long stub_rseq_unregister(struct plat_as *as)
{
	struct stub_rseq_config rc;
	uint64_t args[6] = {0};

	memset(&rc, 0, sizeof(rc));
	if (ptrace((enum __ptrace_request)PTRACE_GET_RSEQ_CONFIGURATION,
		   as->pid, (void *)sizeof(rc), &rc) < 0)
		return 0; /* before 5.13: assume no rseq */
	if (!rc.rseq_abi_pointer)
		return 0;
	args[0] = rc.rseq_abi_pointer;
	args[1] = rc.rseq_abi_size;
	args[2] = RSEQ_FLAG_UNREGISTER;
	args[3] = rc.signature;
	return stub_inject_at(as, (uint64_t)ptrace_stub_code, SYS_rseq, args);
}

/* Steps 1-4 of the header comment, on the freshly stopped child. */
static int stub_setup(struct plat_as *as)
{
	const uint64_t map_stub[6] = {
		PTRACE_STUB_VA,	       PAGE_SIZE,
		PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		(uint64_t)-1,	       0};
	size_t code_len = (size_t)(ptrace_stub_code_end - ptrace_stub_code);
	unsigned char code[sizeof(long)];
	long word, ret;

	if (ptrace(PTRACE_SETOPTIONS, as->pid, NULL,
		   (void *)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)) < 0)
		return -errno;
	if (ptrace(PTRACE_GETREGS, as->pid, NULL, &as->inject) < 0)
		return -errno;

	/* 1. Our code's copy in the child runs the first syscalls. */
	ret = stub_rseq_unregister(as);
	if (ret < 0)
		return (int)ret;
	ret = stub_inject_at(as, (uint64_t)ptrace_stub_code, SYS_mmap,
			     map_stub);
	if (ret != (long)PTRACE_STUB_VA)
		return ret < 0 ? (int)ret : -EIO;

	/* 2. The page is read-only to the child; ptrace writes anyway. */
	if (code_len > sizeof(code))
		return -E2BIG;
	memset(code, 0xcc, sizeof(code)); /* x86 int3; only [0, len) runs */
	memcpy(code, ptrace_stub_code, code_len);
	memcpy(&word, code, sizeof(word));
	if (ptrace(PTRACE_POKEDATA, as->pid, (void *)PTRACE_STUB_VA,
		   (void *)word) < 0)
		return -errno;

	/* 3. From here on, syscalls only from the stub page. */
	ret = ptrace_stub_syscall(as, SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				  (uint64_t)&stub_filter, 0, 0, 0);
	if (ret < 0)
		return (int)ret;

	/* 4. Drop every sentry-vm page the child inherited. */
	ret = ptrace_stub_syscall(as, SYS_munmap, 0, PTRACE_STUB_VA, 0, 0, 0,
				  0);
	if (ret < 0)
		return (int)ret;
	ret = ptrace_stub_syscall(as, SYS_munmap, PTRACE_STUB_VA + PAGE_SIZE,
				  STUB_VA_TOP - (PTRACE_STUB_VA + PAGE_SIZE), 0,
				  0, 0, 0);
	return ret < 0 ? (int)ret : 0;
}

static int stub_filter_prepare(void)
{
	int n;

	if (stub_filter.len)
		return 0;
	n = seccomp_stub_filter(stub_filter_insns,
				sizeof(stub_filter_insns) /
					sizeof(stub_filter_insns[0]),
				PTRACE_STUB_VA + PTRACE_STUB_SYSCALL_END);
	if (n < 0)
		return n;
	stub_filter.len = (unsigned short)n;
	stub_filter.filter = stub_filter_insns;
	return 0;
}

int ptrace_stub_reap(struct plat_as *as)
{
	struct timespec ts;
	int status;

	if (as->pid <= 0)
		return -ESRCH;
	if (as->cpuclock >= 0 &&
	    clock_gettime((clockid_t)as->cpuclock, &ts) == 0)
		ptrace_dead_stubs_cpu_ns +=
			ts.tv_sec * 1000000000LL + ts.tv_nsec;
	kill(as->pid, SIGKILL);
	do {
		status = ptrace_wait_stop(as->pid);
	} while (status >= 0 && WIFSTOPPED(status));
	stub_gone(as);
	return status;
}

int plat_as_create(struct plat_as **out)
{
	struct plat_as *as;
	clockid_t clock;
	pid_t tracer = getpid();
	int status, err;

	if (stub_pool_len) {
		*out = stub_pool[--stub_pool_len];
		return 0;
	}
	err = stub_filter_prepare();
	if (err)
		return err;
	as = calloc(1, sizeof(*as));
	if (!as)
		return -ENOMEM;
	as->cpuclock = -1;
	as->pid = fork();
	if (as->pid < 0) {
		err = -errno;
		free(as);
		return err;
	}
	if (as->pid == 0)
		stub_child(tracer, ptrace_mem.memfd, ptrace_mem.image_fd);

	status = ptrace_wait_stop(as->pid);
	if (status < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
		ptrace_warn("stub %d did not stop, status %#x", as->pid,
			    status);
		err = status < 0 ? status : -ECHILD;
		goto err_kill;
	}
	as->cpuclock = clock_getcpuclockid(as->pid, &clock) == 0 ? clock : -1;
	err = stub_setup(as);
	if (err) {
		ptrace_warn("setting up stub %d: %s", as->pid, strerror(-err));
		goto err_kill;
	}
	/* the FPU state of a fresh process, for recycling */
	if (ptrace(PTRACE_GETFPREGS, as->pid, NULL, as->fpu_init) == 0)
		as->fpu_init_ok = true;
	*out = as;
	return 0;

err_kill:
	ptrace_stub_reap(as);
	free(as);
	return err;
}

/* Empty @as's stub for another process. Return: 0, or -errno (then reap it). */
static int stub_recycle(struct plat_as *as)
{
	long ret;

	if (as->pid <= 0 || !as->fpu_init_ok)
		return -ESRCH;
	ret = ptrace_stub_syscall(as, SYS_munmap, USER_VA_START, USER_VA_END - USER_VA_START,
				  0, 0, 0, 0);
	if (ret < 0)
		return (int)ret;
	if (ptrace(PTRACE_SETFPREGS, as->pid, NULL, as->fpu_init) < 0)
		return -errno;
	as->fpu_serial = 0;
	return 0;
}

void plat_as_destroy(struct plat_as *as)
{
	if (!as)
		return;
	if (ptrace_current_as == as)
		ptrace_current_as = NULL;
	if (stub_pool_len < STUB_POOL_MAX && stub_recycle(as) == 0) {
		stub_pool[stub_pool_len++] = as;
		return;
	}
	ptrace_stub_reap(as);
	free(as);
}

void plat_as_activate(struct plat_as *as)
{
	ptrace_current_as = as;
}

static bool user_range_ok(uaddr_t va, size_t len)
{
	return PAGE_ALIGNED(va) && PAGE_ALIGNED(len) && len &&
	       va >= USER_VA_START && va < USER_VA_END &&
	       len <= USER_VA_END - va;
}

/*
 * The fd and offset that back physical [@pa, @pa + @len): RAM, or the image,
 * which is read-only physical memory (-EACCES for @prot with PROT_WRITE).
 * Return: the fd, or -EINVAL outside both.
 */
static int phys_backing(paddr_t pa, size_t len, unsigned int prot,
			uint64_t *off)
{
	uint64_t image_end = PAGE_ALIGN(ptrace_mem.image_size);

	if (!PAGE_ALIGNED(pa))
		return -EINVAL;
	if (pa < ptrace_mem.ram_size && len <= ptrace_mem.ram_size - pa) {
		*off = pa;
		return ptrace_mem.memfd;
	}
	if (pa >= GUEST_IMAGE_GPA && ptrace_mem.image_fd >= 0 &&
	    pa - GUEST_IMAGE_GPA < image_end &&
	    len <= image_end - (pa - GUEST_IMAGE_GPA)) {
		if (prot & PROT_WRITE)
			return -EACCES;
		*off = pa - GUEST_IMAGE_GPA;
		return ptrace_mem.image_fd;
	}
	return -EINVAL;
}

int plat_as_map(struct plat_as *as, uaddr_t va, paddr_t pa, size_t len,
		unsigned int prot)
{
	uint64_t flags = MAP_SHARED | MAP_FIXED | MAP_POPULATE, off;
	long ret;
	int fd;

	if (prot & PLAT_MAP_LAZY)
		flags &= ~(uint64_t)MAP_POPULATE;
	prot &= ~PLAT_MAP_LAZY;
	if (!user_range_ok(va, len) ||
	    (prot & ~(unsigned int)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	fd = phys_backing(pa, len, prot, &off);
	if (fd < 0)
		return fd;
	/*
	 * MAP_SHARED: app writes land in the memfd the core reads.
	 * MAP_POPULATE: the core maps only pages it has populated, so fill the
	 * stub's page tables now rather than one host fault per first touch;
	 * not for a fork's view of memory its parent has (PLAT_MAP_LAZY): a
	 * child touches little of it, and pre-filling costs per page.
	 */
	ret = ptrace_stub_syscall(as, SYS_mmap, va, len, prot, flags, (uint64_t)fd, off);
	if (ret < 0)
		return (int)ret;
	return (uaddr_t)ret == va ? 0 : -EIO;
}

int plat_as_unmap(struct plat_as *as, uaddr_t va, size_t len)
{
	long ret;

	if (!user_range_ok(va, len))
		return -EINVAL;
	ret = ptrace_stub_syscall(as, SYS_munmap, va, len, 0, 0, 0, 0);
	return ret < 0 ? (int)ret : 0;
}

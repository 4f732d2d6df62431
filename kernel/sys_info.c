// SPDX-License-Identifier: Apache-2.0
/* sys_info.c: identity, uname, TLS setup, limits, randomness and other small queries. */
#include "sentry/arch.h"
#include "sentry/arch/layout.h"
#include "sentry/bootinfo.h"
#include "sentry/host.h"
#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/misc.h"
#include "abi/linux/time.h"

#define RLIMIT_NLIMITS	16
#define NR_OPEN		1048576
#define RLIMIT_NOFILE	7

/* Per-sandbox limits (one process); recorded, enforced where noted in the table. */
static const struct linux_rlimit rlimit_defaults[RLIMIT_NLIMITS] = {
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_CPU */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_FSIZE */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_DATA */
	{ 8UL << 20, LINUX_RLIM_INFINITY },		/* RLIMIT_STACK */
	{ 0, LINUX_RLIM_INFINITY },			/* RLIMIT_CORE */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_RSS */
	{ 63704, 63704 },				/* RLIMIT_NPROC */
	{ 1024, 1048576 },				/* RLIMIT_NOFILE */
	{ 8UL << 20, 8UL << 20 },			/* RLIMIT_MEMLOCK */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_AS */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_LOCKS */
	{ 63704, 63704 },				/* RLIMIT_SIGPENDING */
	{ 819200, 819200 },				/* RLIMIT_MSGQUEUE */
	{ 0, 0 },					/* RLIMIT_NICE */
	{ 0, 0 },					/* RLIMIT_RTPRIO */
	{ LINUX_RLIM_INFINITY, LINUX_RLIM_INFINITY },	/* RLIMIT_RTTIME */
};

long sys_getpid(struct task *t, const struct syscall_args *a)
{
	return t->tgid;
}

long sys_gettid(struct task *t, const struct syscall_args *a)
{
	return t->tid;
}

long sys_getuid(struct task *t, const struct syscall_args *a)
{
	return t->uid;
}

long sys_geteuid(struct task *t, const struct syscall_args *a)
{
	return t->euid;
}

long sys_getgid(struct task *t, const struct syscall_args *a)
{
	return t->gid;
}

long sys_getegid(struct task *t, const struct syscall_args *a)
{
	return t->egid;
}

long sys_getgroups(struct task *t, const struct syscall_args *a)
{
	if (arg_int(a, 0) < 0)
		return -EINVAL;
	return 0;	/* no supplementary groups */
}

static long put_three_ids(uaddr_t r, uaddr_t e, uaddr_t s, uint32_t real, uint32_t eff)
{
	if (copy_to_user(r, &real, 4) || copy_to_user(e, &eff, 4) ||
	    copy_to_user(s, &eff, 4))
		return -EFAULT;
	return 0;
}

long sys_getresuid(struct task *t, const struct syscall_args *a)
{
	return put_three_ids(arg_uaddr(a, 0), arg_uaddr(a, 1), arg_uaddr(a, 2),
			     t->uid, t->euid);
}

long sys_getresgid(struct task *t, const struct syscall_args *a)
{
	return put_three_ids(arg_uaddr(a, 0), arg_uaddr(a, 1), arg_uaddr(a, 2),
			     t->gid, t->egid);
}

long sys_uname(struct task *t, const struct syscall_args *a)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	ksnprintf(u.sysname, sizeof(u.sysname), "Linux");
	ksnprintf(u.nodename, sizeof(u.nodename), "%s", boot_info.hostname);
	ksnprintf(u.release, sizeof(u.release), "6.1.0-sentry");
	ksnprintf(u.version, sizeof(u.version), "#1 SMP sentry-vm");
	ksnprintf(u.machine, sizeof(u.machine), "%s", arch_uname_machine());
	ksnprintf(u.domainname, sizeof(u.domainname), "(none)");
	return copy_to_user(arg_uaddr(a, 0), &u, sizeof(u));
}

long sys_arch_prctl(struct task *t, const struct syscall_args *a)
{
	uint64_t addr = arg_u64(a, 1);

	switch (arg_int(a, 0)) {
	case ARCH_SET_FS:
		if (addr >= USER_VA_END)
			return -EPERM;
		t->regs.fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= USER_VA_END)
			return -EPERM;
		t->regs.gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(addr, &t->regs.fs_base, 8);
	case ARCH_GET_GS:
		return copy_to_user(addr, &t->regs.gs_base, 8);
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(struct task *t, const struct syscall_args *a)
{
	t->clear_child_tid = arg_uaddr(a, 0);
	return t->tid;
}

long sys_set_robust_list(struct task *t, const struct syscall_args *a)
{
	if (arg_size(a, 1) != 24)	/* sizeof(struct robust_list_head) */
		return -EINVAL;
	t->robust_list = arg_uaddr(a, 0);
	return 0;
}

_Static_assert(RLIMIT_NLIMITS == TASK_NLIMITS, "struct process holds every limit");

void task_rlimit_defaults(struct process *p)
{
	memcpy(p->rlimits, rlimit_defaults, sizeof(p->rlimits));
}

static long do_prlimit(struct task *t, int pid, unsigned int res, uaddr_t newp,
		       uaddr_t oldp)
{
	struct process *p = pid == 0 ? t->proc : task_find_process(pid);
	struct linux_rlimit nl, *cur;

	if (!p || p->zombie)
		return -ESRCH;
	if (res >= RLIMIT_NLIMITS)
		return -EINVAL;
	cur = &p->rlimits[res];
	if (newp) {
		if (copy_from_user(&nl, newp, sizeof(nl)))
			return -EFAULT;
		if (nl.rlim_cur > nl.rlim_max)
			return -EINVAL;
		if (nl.rlim_max > cur->rlim_max && t->euid != 0)
			return -EPERM;
		if (res == RLIMIT_NOFILE && nl.rlim_max > NR_OPEN)
			return -EPERM;	/* Linux's fs.nr_open */
	}
	if (oldp && copy_to_user(oldp, cur, sizeof(*cur)))
		return -EFAULT;
	if (newp) {
		*cur = nl;
		/* the fd table of the calling thread's process enforces it */
		if (res == RLIMIT_NOFILE && p == t->proc)
			fdtable_set_max(t->files, (unsigned int)nl.rlim_cur);
	}
	return 0;
}

long sys_prlimit64(struct task *t, const struct syscall_args *a)
{
	return do_prlimit(t, arg_int(a, 0), arg_uint(a, 1), arg_uaddr(a, 2),
			  arg_uaddr(a, 3));
}

long sys_getrlimit(struct task *t, const struct syscall_args *a)
{
	return do_prlimit(t, 0, arg_uint(a, 0), 0, arg_uaddr(a, 1));
}

long sys_sched_getaffinity(struct task *t, const struct syscall_args *a)
{
	uint64_t mask = (1ULL << boot_info.ncpus) - 1;
	size_t len = arg_size(a, 1);

	if (arg_int(a, 0) != 0 && arg_int(a, 0) != t->tid)
		return -ESRCH;
	if (len < sizeof(mask) || len & (sizeof(long) - 1))
		return -EINVAL;
	if (copy_to_user(arg_uaddr(a, 2), &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* One vCPU: CPU 0 on node 0 (as the vDSO's getcpu says). */
long sys_getcpu(struct task *t, const struct syscall_args *a)
{
	uint32_t zero = 0;

	if (arg_uaddr(a, 0) && copy_to_user(arg_uaddr(a, 0), &zero, sizeof(zero)))
		return -EFAULT;
	if (arg_uaddr(a, 1) && copy_to_user(arg_uaddr(a, 1), &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

long sys_sched_yield(struct task *t, const struct syscall_args *a)
{
	sched_yield();
	return 0;
}

long sys_getrandom(struct task *t, const struct syscall_args *a)
{
	uaddr_t buf = arg_uaddr(a, 0);
	size_t len = MIN(arg_size(a, 1), (size_t)0x1ffffff);	/* Linux's per-call cap */
	uint8_t chunk[256];
	size_t done = 0;

	if (arg_uint(a, 2) & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM | 4))
		return -EINVAL;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));
		long r = host_getrandom(chunk, n);

		if (r < 0)
			return done ? (long)done : r;
		if (copy_to_user(buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

long sys_umask(struct task *t, const struct syscall_args *a)
{
	return fs_umask(t, arg_uint(a, 0));	/* the umask lives in the fs_context */
}

long sys_rseq(struct task *t, const struct syscall_args *a)
{
	return -ENOSYS;
}

#define PR_SET_NAME	15
#define PR_GET_NAME	16

long sys_prctl(struct task *t, const struct syscall_args *a)
{
	char name[16];
	long len;

	switch (arg_int(a, 0)) {
	case PR_SET_NAME:
		len = strncpy_from_user(name, arg_uaddr(a, 1), sizeof(name));
		if (len == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';	/* truncates like Linux */
		memcpy(t->comm, name, sizeof(t->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(arg_uaddr(a, 1), t->comm, sizeof(t->comm));
	default:
		return -EINVAL;
	}
}

/* struct sysinfo, x86_64 layout (112 bytes). */
struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[4];
};

long sys_sysinfo(struct task *t, const struct syscall_args *a)
{
	struct linux_sysinfo si;
	size_t used, total;
	int64_t now = 0;

	memset(&si, 0, sizeof(si));
	page_alloc_stats(&used, &total);
	plat_clock_ns(CLOCK_BOOTTIME, &now);
	si.uptime = (now - boot_info.boot_monotonic_ns) / NSEC_PER_SEC;
	si.totalram = total * PAGE_SIZE;
	si.freeram = (total - used) * PAGE_SIZE;
	si.procs = 1;
	si.mem_unit = 1;
	return copy_to_user(arg_uaddr(a, 0), &si, sizeof(si));
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * syscall.h: the syscall table and dispatch (kernel/syscall.c,
 * kernel/syscall_table.c), core. Handlers live in kernel/sys_*.c and fs/sys_*.c,
 * take the task and its raw arguments, and return a value or -errno.
 */
#ifndef SENTRY_SYSCALL_H
#define SENTRY_SYSCALL_H

#include "sentry/types.h"

struct task;
struct regs;

struct syscall_args {
	uint64_t a[6];
};

typedef long (*syscall_fn)(struct task *t, const struct syscall_args *a);

enum syscall_status {
	SYS_ENOSYS = 0,		/* not implemented: -ENOSYS, logged once */
	SYS_SUPPORTED,		/* implemented as Linux does it */
	SYS_PARTIAL,		/* implemented with limits: see note */
};

/* Argument formats for --strace. */
enum syscall_argfmt {
	ARG_INT = 0,		/* signed decimal */
	ARG_HEX,		/* hex: addresses, flags */
	ARG_STR,		/* user pointer to a C string */
	ARG_BUF,		/* user pointer to bytes (printed as an address) */
};

struct syscall_desc {
	const char *name;
	syscall_fn fn;
	uint8_t nargs;
	uint8_t status;		/* enum syscall_status */
	uint8_t argfmt[6];	/* enum syscall_argfmt */
	const char *note;
};

extern const struct syscall_desc syscall_table[];
extern const size_t syscall_table_size;

/** syscall_dispatch() - serve the syscall @t stopped at; result into @t->regs. */
void syscall_dispatch(struct task *t);

/** syscall_trace_enable() - --strace: print every syscall and its result. */
void syscall_trace_enable(bool on);

/* Argument accessors, so handlers read like the man page. */
static inline int arg_int(const struct syscall_args *a, int i)
{
	return (int)a->a[i];
}

static inline unsigned int arg_uint(const struct syscall_args *a, int i)
{
	return (unsigned int)a->a[i];
}

static inline long arg_long(const struct syscall_args *a, int i)
{
	return (long)a->a[i];
}

static inline uint64_t arg_u64(const struct syscall_args *a, int i)
{
	return a->a[i];
}

static inline size_t arg_size(const struct syscall_args *a, int i)
{
	return (size_t)a->a[i];
}

static inline uaddr_t arg_uaddr(const struct syscall_args *a, int i)
{
	return (uaddr_t)a->a[i];
}

/*
 * Handler prototypes, one line each, grouped by the file that defines them.
 * The table (kernel/syscall_table.c) is the only user.
 */
#define SYSCALL_DECL(name) long sys_##name(struct task *t, const struct syscall_args *a)

/* kernel/sys_info.c: identity, uname, limits */
SYSCALL_DECL(getpid); SYSCALL_DECL(gettid);
SYSCALL_DECL(getuid); SYSCALL_DECL(geteuid); SYSCALL_DECL(getgid); SYSCALL_DECL(getegid);
SYSCALL_DECL(uname); SYSCALL_DECL(arch_prctl); SYSCALL_DECL(set_tid_address);
SYSCALL_DECL(set_robust_list); SYSCALL_DECL(get_robust_list); SYSCALL_DECL(prlimit64); SYSCALL_DECL(getrlimit);
SYSCALL_DECL(sched_getaffinity); SYSCALL_DECL(getcpu); SYSCALL_DECL(sched_yield); SYSCALL_DECL(getrandom);
SYSCALL_DECL(umask); SYSCALL_DECL(rseq); SYSCALL_DECL(prctl); SYSCALL_DECL(sysinfo);
SYSCALL_DECL(getgroups); SYSCALL_DECL(getresuid); SYSCALL_DECL(getresgid);
/* kernel/sys_time.c */
SYSCALL_DECL(clock_gettime); SYSCALL_DECL(clock_getres); SYSCALL_DECL(gettimeofday);
SYSCALL_DECL(time); SYSCALL_DECL(nanosleep); SYSCALL_DECL(clock_nanosleep);
SYSCALL_DECL(restart_syscall);
/* kernel/cputime.c */
SYSCALL_DECL(times); SYSCALL_DECL(getrusage);
/* kernel/itimer.c */
SYSCALL_DECL(alarm); SYSCALL_DECL(getitimer); SYSCALL_DECL(setitimer);
/* kernel/posix_timer.c */
SYSCALL_DECL(timer_create); SYSCALL_DECL(timer_settime); SYSCALL_DECL(timer_gettime);
SYSCALL_DECL(timer_getoverrun); SYSCALL_DECL(timer_delete);
/* kernel/sys_signal.c, kernel/signal_frame.c */
SYSCALL_DECL(rt_sigaction); SYSCALL_DECL(rt_sigprocmask); SYSCALL_DECL(sigaltstack);
SYSCALL_DECL(rt_sigsuspend); SYSCALL_DECL(pause); SYSCALL_DECL(rt_sigpending);
SYSCALL_DECL(rt_sigtimedwait); SYSCALL_DECL(rt_sigreturn);
/* kernel/sys_xattr.c: one handler for the whole family */
SYSCALL_DECL(xattr_unsupported);
/* kernel/sys_exit.c */
SYSCALL_DECL(exit); SYSCALL_DECL(exit_group);
/* kernel/sys_pgrp.c */
SYSCALL_DECL(getppid); SYSCALL_DECL(getpgrp); SYSCALL_DECL(getpgid); SYSCALL_DECL(getsid);
SYSCALL_DECL(setpgid); SYSCALL_DECL(setsid);
/* kernel/clone.c, kernel/sys_exec.c, kernel/wait.c */
SYSCALL_DECL(clone); SYSCALL_DECL(clone3); SYSCALL_DECL(fork); SYSCALL_DECL(vfork);
SYSCALL_DECL(execve); SYSCALL_DECL(execveat); SYSCALL_DECL(wait4); SYSCALL_DECL(waitid);
/* kernel/signal.c, kernel/futex.c */
SYSCALL_DECL(kill); SYSCALL_DECL(tgkill); SYSCALL_DECL(tkill);
SYSCALL_DECL(rt_sigqueueinfo); SYSCALL_DECL(rt_tgsigqueueinfo); SYSCALL_DECL(futex);
/* kernel/mm/sys_mmap.c */
SYSCALL_DECL(brk); SYSCALL_DECL(mmap); SYSCALL_DECL(munmap); SYSCALL_DECL(mprotect);
SYSCALL_DECL(madvise);
/* kernel/mm/mremap.c */
SYSCALL_DECL(mremap); SYSCALL_DECL(mincore); SYSCALL_DECL(msync);
/* fs/sys_rw.c */
SYSCALL_DECL(read); SYSCALL_DECL(write); SYSCALL_DECL(readv); SYSCALL_DECL(writev);
SYSCALL_DECL(pread64); SYSCALL_DECL(pwrite64); SYSCALL_DECL(lseek);
/* fs/sys_file.c */
SYSCALL_DECL(open); SYSCALL_DECL(openat); SYSCALL_DECL(close); SYSCALL_DECL(ioctl);
SYSCALL_DECL(fcntl); SYSCALL_DECL(flock); SYSCALL_DECL(dup); SYSCALL_DECL(dup2); SYSCALL_DECL(dup3);
SYSCALL_DECL(getdents64); SYSCALL_DECL(readlink); SYSCALL_DECL(readlinkat);
SYSCALL_DECL(access); SYSCALL_DECL(faccessat); SYSCALL_DECL(faccessat2);
SYSCALL_DECL(getcwd); SYSCALL_DECL(chdir); SYSCALL_DECL(fchdir);
/* fs/sys_stat.c */
SYSCALL_DECL(stat); SYSCALL_DECL(lstat); SYSCALL_DECL(fstat); SYSCALL_DECL(newfstatat);
SYSCALL_DECL(statx);
/* fs/sys_namei.c */
SYSCALL_DECL(mkdir); SYSCALL_DECL(mkdirat); SYSCALL_DECL(unlink); SYSCALL_DECL(unlinkat);
SYSCALL_DECL(rmdir); SYSCALL_DECL(rename); SYSCALL_DECL(renameat); SYSCALL_DECL(renameat2);
SYSCALL_DECL(link); SYSCALL_DECL(linkat); SYSCALL_DECL(symlink); SYSCALL_DECL(symlinkat);
/* fs/sys_attr.c */
SYSCALL_DECL(chmod); SYSCALL_DECL(fchmod); SYSCALL_DECL(fchmodat); SYSCALL_DECL(chown);
SYSCALL_DECL(fchown); SYSCALL_DECL(lchown); SYSCALL_DECL(fchownat); SYSCALL_DECL(truncate);
SYSCALL_DECL(ftruncate); SYSCALL_DECL(utimensat); SYSCALL_DECL(fsync); SYSCALL_DECL(fdatasync);
SYSCALL_DECL(syncfs); SYSCALL_DECL(sync); SYSCALL_DECL(statfs); SYSCALL_DECL(fstatfs);
/* fs/pipe.c */
SYSCALL_DECL(pipe); SYSCALL_DECL(pipe2); SYSCALL_DECL(memfd_create);
/* fs/eventfd.c */
SYSCALL_DECL(eventfd); SYSCALL_DECL(eventfd2);
/* fs/timerfd.c */
SYSCALL_DECL(timerfd_create); SYSCALL_DECL(timerfd_settime); SYSCALL_DECL(timerfd_gettime);
/* fs/signalfd.c */
SYSCALL_DECL(signalfd); SYSCALL_DECL(signalfd4);
/* fs/sys_poll.c; fadvise64: fs/sys_attr.c */
SYSCALL_DECL(poll); SYSCALL_DECL(ppoll); SYSCALL_DECL(select); SYSCALL_DECL(pselect6);
SYSCALL_DECL(fadvise64);
/* net/socket.c */
SYSCALL_DECL(socket); SYSCALL_DECL(socketpair); SYSCALL_DECL(bind); SYSCALL_DECL(listen);
SYSCALL_DECL(connect); SYSCALL_DECL(accept); SYSCALL_DECL(accept4);
SYSCALL_DECL(getsockname); SYSCALL_DECL(getpeername); SYSCALL_DECL(sendto);
SYSCALL_DECL(recvfrom); SYSCALL_DECL(sendmsg); SYSCALL_DECL(recvmsg); SYSCALL_DECL(shutdown);
SYSCALL_DECL(setsockopt); SYSCALL_DECL(getsockopt);
SYSCALL_DECL(creat);
/* fs/epoll.c */
SYSCALL_DECL(epoll_create); SYSCALL_DECL(epoll_create1); SYSCALL_DECL(epoll_ctl);
SYSCALL_DECL(epoll_wait); SYSCALL_DECL(epoll_pwait); SYSCALL_DECL(epoll_pwait2);

#endif /* SENTRY_SYSCALL_H */

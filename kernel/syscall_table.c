// SPDX-License-Identifier: Apache-2.0
/*
 * syscall_table.c: THE Linux syscall table: name, handler, arity, status,
 * argument formats for --strace, and a note where the implementation is
 * partial. Numbers come from abi/linux/arch/unistd.h. A number missing here
 * returns -ENOSYS (logged once). tools/gen-syscall-docs reads this file.
 */
#include "sentry/syscall.h"

#include "abi/linux/arch/unistd.h"

#define I ARG_INT
#define H ARG_HEX
#define S ARG_STR
#define P ARG_BUF
#define OK SYS_SUPPORTED
#define PART SYS_PARTIAL
#define SYS(nm, n, st, ...) [__NR_##nm] = { #nm, sys_##nm, n, st, { __VA_ARGS__ }, NULL }
#define SYSN(nm, n, st, note, ...) [__NR_##nm] = { #nm, sys_##nm, n, st, { __VA_ARGS__ }, note }

const struct syscall_desc syscall_table[NR_SYSCALLS] = {
	/* fs/sys_rw.c */
	SYS(read, 3, OK, I, P, I),
	SYS(write, 3, OK, I, P, I),
	SYS(readv, 3, OK, I, P, I),
	SYS(writev, 3, OK, I, P, I),
	SYS(pread64, 4, OK, I, P, I, I),
	SYS(pwrite64, 4, OK, I, P, I, I),
	SYS(lseek, 3, OK, I, I, I),
	/* fs/sys_file.c */
	SYSN(open, 3, PART, "O_TMPFILE is EOPNOTSUPP; with --read-only the root gives EROFS", S, H, H),
	SYSN(openat, 4, PART, "O_TMPFILE is EOPNOTSUPP; with --read-only the root gives EROFS", I, S, H, H),
	SYS(close, 1, OK, I),
	SYSN(creat, 2, PART, "as open", S, H),
	SYSN(ioctl, 3, PART, "TCGETS and TIOCGWINSZ on stdio only", I, H, H),
	SYSN(fcntl, 3, PART, "F_SETLEASE, F_NOTIFY, F_*SEALS and pipe sizes are EINVAL", I, I, H),
	SYS(dup, 1, OK, I),
	SYS(dup2, 2, OK, I, I),
	SYS(dup3, 3, OK, I, I, H),
	SYS(getdents64, 3, OK, I, P, I),
	SYS(readlink, 3, OK, S, P, I),
	SYS(readlinkat, 4, OK, I, S, P, I),
	SYS(access, 2, OK, S, H),
	SYS(faccessat, 3, OK, I, S, H),
	SYS(faccessat2, 4, OK, I, S, H, H),
	SYS(getcwd, 2, OK, P, I),
	SYS(chdir, 1, OK, S),
	SYS(fchdir, 1, OK, I),
	/* fs/lock.c */
	SYSN(flock, 2, PART, "pipes, sockets and stdio keep no locks: always granted", I, H),
	/* fs/sys_stat.c */
	SYS(stat, 2, OK, S, P),
	SYS(lstat, 2, OK, S, P),
	SYS(fstat, 2, OK, I, P),
	SYS(newfstatat, 4, OK, I, S, P, H),
	SYS(statx, 5, OK, I, S, H, H, P),
	/* fs/sys_namei.c */
	SYS(mkdir, 2, OK, S, H),
	SYS(mkdirat, 3, OK, I, S, H),
	SYS(unlink, 1, OK, S),
	SYS(unlinkat, 3, OK, I, S, H),
	SYS(rmdir, 1, OK, S),
	SYS(rename, 2, OK, S, S),
	SYS(renameat, 4, OK, I, S, I, S),
	SYSN(renameat2, 5, PART, "RENAME_EXCHANGE and RENAME_WHITEOUT give EINVAL", I, S, I, S, H),
	SYS(link, 2, OK, S, S),
	SYS(linkat, 5, OK, I, S, I, S, H),
	SYS(symlink, 2, OK, S, S),
	SYS(symlinkat, 3, OK, S, I, S),
	/* fs/sys_attr.c */
	SYS(chmod, 2, OK, S, H),
	SYS(fchmod, 2, OK, I, H),
	SYS(fchmodat, 3, OK, I, S, H),
	SYS(chown, 3, OK, S, I, I),
	SYS(fchown, 3, OK, I, I, I),
	SYS(lchown, 3, OK, S, I, I),
	SYS(fchownat, 5, OK, I, S, I, I, H),
	SYS(truncate, 2, OK, S, I),
	SYS(ftruncate, 2, OK, I, I),
	SYS(utimensat, 4, OK, I, S, P, H),
	SYSN(fsync, 1, PART, "files live in memory: nothing to write back", I),
	SYSN(fdatasync, 1, PART, "files live in memory: nothing to write back", I),
	SYSN(syncfs, 1, PART, "files live in memory: nothing to write back", I),
	SYSN(sync, 0, PART, "files live in memory: nothing to write back"),
	SYSN(statfs, 2, PART, "nominal sizes; every filesystem reports tmpfs", S, P),
	SYSN(fstatfs, 2, PART, "nominal sizes; every filesystem reports tmpfs", I, P),
	/* fs/pipe.c */
	SYSN(pipe, 1, PART, "one task: a read or write that would block gives EAGAIN", P),
	SYSN(pipe2, 2, PART, "one task: a read or write that would block gives EAGAIN; no O_DIRECT", P, H),
	SYSN(memfd_create, 2, PART, "no sealing (F_ADD_SEALS) and no MFD_HUGETLB", S, H),
	/* fs/eventfd.c */
	SYS(eventfd, 1, OK, I),
	SYS(eventfd2, 2, OK, I, H),
	/* fs/timerfd.c */
	SYSN(timerfd_create, 2, PART, "REALTIME, MONOTONIC and BOOTTIME clocks; no *_ALARM", I, H),
	SYSN(timerfd_settime, 4, PART, "TFD_TIMER_CANCEL_ON_SET never cancels", I, H, P, P),
	SYS(timerfd_gettime, 2, OK, I, P),
	/* fs/signalfd.c */
	SYS(signalfd, 3, OK, I, P, I),
	SYS(signalfd4, 4, OK, I, P, I, H),
	/* fs/sys_poll.c */
	SYSN(poll, 3, PART, "one task: nothing ready sleeps the timeout; no timeout gives EAGAIN; stdio is always ready", P, I, I),
	SYSN(ppoll, 5, PART, "one task: nothing ready sleeps the timeout; no timeout gives EAGAIN; the mask is not applied", P, I, P, P, I),
	SYSN(select, 5, PART, "one task: nothing ready sleeps the timeout; no timeout gives EAGAIN; stdio is always ready", I, P, P, P, P),
	SYSN(pselect6, 6, PART, "one task: nothing ready sleeps the timeout; no timeout gives EAGAIN; the mask is not applied", I, P, P, P, P, P),
	/* fs/sys_attr.c */
	SYSN(fadvise64, 4, PART, "advice is checked and ignored: files live in memory", I, I, I, I),
	/* kernel/mm/sys_mmap.c */
	SYS(brk, 1, OK, H),
	SYSN(mmap, 6, PART, "MAP_SHARED maps the file's pages for in-memory files (all but devices); MAP_HUGETLB is ENOMEM (no huge pages reserved)", H, I, H, H, I, I),
	SYS(munmap, 2, OK, H, I),
	SYS(mprotect, 3, OK, H, I, H),
	SYSN(madvise, 3, PART, "MADV_DONTNEED drops pages; other advice is accepted and ignored", H, I, I),
	/* kernel/mm/mremap.c */
	SYSN(mremap, 5, PART, "MREMAP_DONTUNMAP and old_size 0 give EINVAL", H, I, I, H, H),
	SYS(mincore, 3, OK, H, I, H),
	SYS(msync, 3, OK, H, I, H),
	/* kernel/sys_info.c */
	SYS(getpid, 0, OK),
	SYS(gettid, 0, OK),
	SYS(getuid, 0, OK),
	SYS(geteuid, 0, OK),
	SYS(getgid, 0, OK),
	SYS(getegid, 0, OK),
	SYS(getgroups, 2, OK, I, P),
	SYS(getresuid, 3, OK, P, P, P),
	SYS(getresgid, 3, OK, P, P, P),
	SYS(uname, 1, OK, P),
	SYSN(arch_prctl, 2, PART, "ARCH_SET/GET_FS and _GS only", H, H),
	SYS(set_tid_address, 1, OK, H),
	SYSN(set_robust_list, 2, PART, "a thread's robust locks are released when it dies or execs", H, I),
	SYS(get_robust_list, 3, OK, I, P, P),
	SYSN(prlimit64, 4, PART, "limits are recorded, not enforced (except RLIMIT_NOFILE)", I, I, P, P),
	SYS(getrlimit, 2, OK, I, P),
	SYSN(sched_getaffinity, 3, PART, "one CPU", I, I, P),
	SYSN(getcpu, 3, PART, "one CPU: always CPU 0, node 0", P, P, P),
	SYSN(sched_yield, 0, PART, "runs the other runnable tasks first", ),
	SYS(getrandom, 3, OK, P, I, H),
	SYS(umask, 1, OK, H),
	SYSN(rseq, 4, SYS_ENOSYS, "not supported: libc falls back", H, I, H, H),
	SYSN(prctl, 5, PART, "PR_SET_NAME/PR_GET_NAME only", I, H, H, H, H),
	SYS(sysinfo, 1, OK, P),
	/* kernel/sys_time.c */
	SYS(clock_gettime, 2, OK, I, P),
	SYS(clock_getres, 2, OK, I, P),
	SYS(gettimeofday, 2, OK, P, P),
	SYS(time, 1, OK, P),
	SYS(nanosleep, 2, OK, P, P),
	SYSN(clock_nanosleep, 4, PART, "not on another process's CPU clock (EINVAL)", I, H, P, P),
	SYS(restart_syscall, 0, OK),
	/* kernel/cputime.c */
	SYS(times, 1, OK, P),
	SYSN(getrusage, 2, PART, "CPU time only: the other fields read 0", I, P),
	/* kernel/itimer.c */
	SYS(alarm, 1, OK, I),
	SYS(getitimer, 2, OK, I, P),
	SYS(setitimer, 3, OK, I, P, P),
	/* kernel/posix_timer.c */
	SYSN(timer_create, 3, PART, "not on another process's CPU clock (EINVAL)", I, P, P),
	SYS(timer_settime, 4, OK, I, H, P, P),
	SYS(timer_gettime, 2, OK, I, P),
	SYS(timer_getoverrun, 1, OK, I),
	SYS(timer_delete, 1, OK, I),
	/* kernel/sys_signal.c */
	SYS(rt_sigaction, 4, OK, I, P, P, I),
	SYS(rt_sigprocmask, 4, OK, I, P, P, I),
	SYS(sigaltstack, 2, OK, P, P),
	SYS(rt_sigsuspend, 2, OK, P, I),
	SYS(pause, 0, OK),
	SYS(rt_sigpending, 2, OK, P, I),
	SYS(rt_sigtimedwait, 4, OK, P, P, P, I),
	SYSN(rt_sigreturn, 0, PART, "XSAVE state up to AVX-512; a host with AMX gets FXSAVE-only frames", ),
	/* kernel/sys_xattr.c */
#define XATTR(nm, n, ...) [__NR_##nm] = { #nm, sys_xattr_unsupported, n, PART, { __VA_ARGS__ }, \
					  "no filesystem stores extended attributes: EOPNOTSUPP" }
	XATTR(setxattr, 5, S, S, P, I, H),
	XATTR(lsetxattr, 5, S, S, P, I, H),
	XATTR(fsetxattr, 5, I, S, P, I, H),
	XATTR(getxattr, 4, S, S, P, I),
	XATTR(lgetxattr, 4, S, S, P, I),
	XATTR(fgetxattr, 4, I, S, P, I),
	XATTR(listxattr, 3, S, P, I),
	XATTR(llistxattr, 3, S, P, I),
	XATTR(flistxattr, 3, I, P, I),
	XATTR(removexattr, 2, S, S),
	XATTR(lremovexattr, 2, S, S),
	XATTR(fremovexattr, 2, I, S),
	/* kernel/sys_exit.c */
	SYS(exit, 1, OK, I),
	SYS(exit_group, 1, OK, I),
	/* kernel/sys_pgrp.c */
	SYS(getppid, 0, OK),
	SYS(getpgrp, 0, OK),
	SYS(getpgid, 1, OK, I),
	SYS(getsid, 1, OK, I),
	SYS(setpgid, 2, OK, I, I),
	SYS(setsid, 0, OK),
	/* kernel/clone.c */
	SYSN(clone, 5, PART, "namespaces and CLONE_PIDFD: EINVAL", H, H, H, H, H),
	SYSN(clone3, 2, PART, "as clone; set_tid and cgroup: EINVAL", P, I),
	SYS(fork, 0, OK),
	SYS(vfork, 0, OK),
	/* kernel/sys_exec.c */
	SYS(execve, 3, OK, S, P, P),
	SYS(execveat, 5, OK, I, S, P, P, H),
	/* kernel/wait.c */
	SYSN(wait4, 4, PART, "rusage has CPU time only", I, P, H, P),
	SYSN(waitid, 5, PART, "no P_PIDFD; rusage has CPU time only", I, I, P, H, P),
	/* kernel/signal.c */
	SYS(kill, 2, OK, I, I),
	SYS(tgkill, 3, OK, I, I, I),
	SYS(tkill, 2, OK, I, I),
	SYS(rt_sigqueueinfo, 3, OK, I, I, P),
	SYS(rt_tgsigqueueinfo, 4, OK, I, I, I, P),
	/* net/socket.c, net/unix.c */
	SYSN(socket, 3, PART, "AF_UNIX only (no networking: other families EAFNOSUPPORT)", I, H, I),
	SYSN(socketpair, 4, PART, "AF_UNIX stream, dgram, seqpacket", I, H, I, P),
	SYSN(bind, 3, PART, "AF_UNIX only; no autobind (an empty name is EINVAL)", I, P, I),
	SYS(listen, 2, OK, I, I),
	SYS(connect, 3, OK, I, P, I),
	SYS(accept, 3, OK, I, P, P),
	SYS(accept4, 4, OK, I, P, P, H),
	SYS(getsockname, 3, OK, I, P, P),
	SYS(getpeername, 3, OK, I, P, P),
	SYS(sendto, 6, OK, I, P, I, H, P, I),
	SYS(recvfrom, 6, OK, I, P, I, H, P, P),
	SYSN(sendmsg, 3, PART, "SCM_RIGHTS and SCM_CREDENTIALS only", I, P, H),
	SYSN(recvmsg, 3, PART, "SCM_RIGHTS and SCM_CREDENTIALS only", I, P, H),
	SYS(shutdown, 2, OK, I, I),
	SYSN(setsockopt, 5, PART, "SO_PASSCRED; other SOL_SOCKET options are accepted and ignored", I, I, I, P, I),
	SYSN(getsockopt, 5, PART, "SO_TYPE, SO_ERROR, SO_DOMAIN, SO_ACCEPTCONN, SO_SNDBUF/RCVBUF, SO_PEERCRED, SO_PASSCRED", I, I, I, P, P),
	/* fs/epoll.c */
	SYS(epoll_create, 1, OK, I),
	SYS(epoll_create1, 1, OK, H),
	SYS(epoll_ctl, 4, OK, I, I, I, P),
	SYSN(epoll_wait, 4, PART, "EPOLLET on signalfds counts any event in the sandbox as an edge", I, P, I, I),
	SYSN(epoll_pwait, 6, PART, "as epoll_wait; the signal mask is checked, not applied", I, P, I, I, P, I),
	SYSN(epoll_pwait2, 6, PART, "as epoll_pwait", I, P, I, P, P, I),
	/* kernel/futex.c */
	SYSN(futex, 6, PART, "PI futexes keep the owner protocol; one vCPU: no priority to inherit", H, I, I, H, H, I),
};

const size_t syscall_table_size = NR_SYSCALLS;

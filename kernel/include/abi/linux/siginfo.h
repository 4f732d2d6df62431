/* SPDX-License-Identifier: Apache-2.0 */
/*
 * siginfo.h: si_code values, siginfo_t and struct signalfd_siginfo
 * (x86_64 layout). Apart from signal.h: libc's own siginfo enums would
 * clash with these names in the host files that include sentry/task.h.
 */
#ifndef ABI_LINUX_SIGINFO_H
#define ABI_LINUX_SIGINFO_H

#include <stdint.h>

/* si_code values that are not a signal's own */
#define SI_USER		0	/* kill */
#define SI_KERNEL	0x80	/* the kernel itself */
#define SI_QUEUE	(-1)	/* sigqueue */
#define SI_TIMER	(-2)	/* a POSIX timer */
#define SI_MESGQ	(-3)
#define SI_ASYNCIO	(-4)
#define SI_SIGIO	(-5)
#define SI_TKILL	(-6)	/* tkill, tgkill */

/* SIGCHLD's si_code */
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* siginfo_t (128 bytes): the union after the first three ints, by layout. */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct { int32_t pid; uint32_t uid; } kill;
		struct { int32_t tid; int32_t overrun; uint64_t value; } timer;
		struct { int32_t pid; uint32_t uid; uint64_t value; } rt;
		struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad;
			 int64_t utime, stime; } chld;
		struct { uint64_t addr; uint16_t addr_lsb; } fault;
		struct { int64_t band; int32_t fd; } poll;
		uint8_t raw[112];
	} u;
};

/* What a read of a signalfd returns per signal (128 bytes). */
struct linux_signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;	/* the POSIX timer's id */
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

/* struct sigevent (64 bytes): how a POSIX timer notifies. */
#define SIGEV_SIGNAL	0	/* send sigev_signo to the process */
#define SIGEV_NONE	1	/* nothing: the app polls timer_gettime */
#define SIGEV_THREAD	2	/* libc's (a thread per expiration): the kernel sends a signal */
#define SIGEV_THREAD_ID	4	/* send sigev_signo to thread sigev_notify_thread_id */

struct linux_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	union {
		int32_t tid;	/* SIGEV_THREAD_ID */
		int32_t pad[12];
	} u;
};

_Static_assert(sizeof(struct linux_sigevent) == 64, "struct sigevent");
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t");
_Static_assert(sizeof(struct linux_signalfd_siginfo) == 128, "struct signalfd_siginfo");

#endif /* ABI_LINUX_SIGINFO_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cputime.h: CPU time of tasks and processes, and the CPU-time clocks
 * (kernel/cputime.c), core.
 *
 * The one CPU is charged to the task that has it: the time it spends in
 * user mode (plat_run_user()) is its user time, the rest until it is
 * switched out (its syscalls, faults, signal delivery) its system time.
 * Time on the run queue or waiting (a sleep), or with the CPU idle, is
 * nobody's. A process's time is its threads', the live and the gone;
 * its children's is that of its reaped children (times(), getrusage()).
 *
 * The clocks are Linux's: CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
 * and the negative ids of clock_getcpuclockid()/pthread_getcpuclockid():
 * ~pid << 3, bit 2 for a thread, then the kind (PROF: user + system,
 * VIRT: user, SCHED: as PROF here).
 */
#ifndef SENTRY_CPUTIME_H
#define SENTRY_CPUTIME_H

#include "sentry/types.h"

struct process;
struct task;

#define CPUCLOCK_PROF		0
#define CPUCLOCK_VIRT		1
#define CPUCLOCK_SCHED		2
#define CPUCLOCK_PERTHREAD	4

/* A CPU-time clock: of a process, or of one of its threads. */
struct cpu_clock {
	struct process *proc;	/* NULL: not a CPU-time clock */
	int tid;		/* a thread's clock: its tid; 0: the process's */
	int kind;		/* CPUCLOCK_PROF, _VIRT or _SCHED */
};

/**
 * cputime_charge() - charge @t (the running task) with the time since the
 * last charge or switch: user time when @user (it ran in user mode), else
 * system time.
 */
void cputime_charge(struct task *t, bool user);

/** cputime_switched_in() - the CPU has a (new) task from now: its time starts. */
void cputime_switched_in(void);

/** cputime_is_clock() - is @clockid a CPU-time clock id (valid or not)? */
bool cputime_is_clock(int clockid);

/**
 * cputime_clock() - what @clockid names for @t: its process's or thread's
 * clock, or (@others) that of another process, or a thread of its own.
 * Return: 0 with *@out, or -EINVAL (not a CPU clock, or nobody's).
 */
int cputime_clock(struct task *t, int clockid, bool others, struct cpu_clock *out);

/** cputime_read() - @c's time in ns; -ESRCH once its thread is gone. */
int cputime_read(const struct cpu_clock *c, int64_t *ns);

/** cputime_ticks() - @ns in clock_t ticks (USER_HZ, 100 a second), as Linux reports them. */
int64_t cputime_ticks(int64_t ns);

/** cputime_put_rusage() - a struct rusage with these times (the rest 0) at @u (NULL: none). */
int cputime_put_rusage(uaddr_t u, int64_t utime_ns, int64_t stime_ns);

#endif /* SENTRY_CPUTIME_H */

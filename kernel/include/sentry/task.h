/* SPDX-License-Identifier: Apache-2.0 */
/*
 * task.h: tasks (threads), processes (thread groups) and the run loop,
 * core. kernel/task.c: creation and the run loop; kernel/process.c: clone,
 * exit, wait and the process tree; kernel/sched.c: which task runs.
 *
 * A task owns a kernel stack and user registers; it shares its mm, fd
 * table and fs context with the tasks it was cloned with (refcounted) and
 * its signal handlers, pending process signals and place in the process
 * tree with its thread group (struct process).
 *
 * PID 1 semantics (docker run --init, with the init invisible): the
 * command is PID 1 of its sandbox; orphans are re-parented to it; unlike a
 * Linux PID 1 it gets the default action of signals it does not handle
 * (so a shell's `kill -TERM $$` ends it with 143); when it exits the
 * sandbox ends, every other process is killed and sentry-vm exits with its
 * status.
 */
#ifndef SENTRY_TASK_H
#define SENTRY_TASK_H

#include "sentry/arch.h"
#include "sentry/arch/regs.h"
#include "sentry/cputime.h"
#include "sentry/ktimer.h"
#include "sentry/list.h"
#include "sentry/sched.h"
#include "sentry/signal.h"
#include "sentry/types.h"

#include "abi/linux/misc.h"
#include "abi/linux/signal.h"

struct mm;
struct fdtable;
struct fs_context;

#define TASK_NLIMITS	16	/* RLIMIT_CPU .. RLIMIT_RTTIME */

/* A thread group: what the threads of one process share. */
struct process {
	int pid;			/* = the tgid of its threads */
	int pgid, sid;
	struct process *parent;		/* NULL for PID 1 */
	struct list_head children;	/* struct process.sibling */
	struct list_head sibling;
	struct list_head threads;	/* struct task.thread_node, live threads */
	struct list_head all_node;	/* every process not yet reaped */
	struct linux_sigaction sigactions[LINUX_NSIG];
	struct sigpending pending;	/* signals sent to the process */
	struct waitq signal_wq;		/* signalfd readers: a signal was sent to it */
	struct waitq child_wait;	/* wait4() sleeps here: a child changed state */
	int exit_signal;		/* sent to the parent at exit (0: none) */
	bool exiting;			/* exit_group() or a fatal signal: threads leave */
	bool zombie;			/* every thread gone, not reaped yet */
	int wait_status;		/* wait(2) status once exiting: code << 8, or the signal */
	int64_t utime_ns, stime_ns;	/* CPU time of its threads, gone ones too (sentry/cputime.h) */
	int64_t cutime_ns, cstime_ns;	/* ... and of its reaped children, theirs included */
	struct linux_rlimit rlimits[TASK_NLIMITS];	/* inherited at fork; NOFILE is enforced */
	/* job control (kernel/jobctl.c) */
	int group_stop_left;		/* threads yet to stop for the stop under way; 0: none */
	bool stopped;			/* every thread stopped, until SIGCONT */
	int stop_signal;		/* the signal that stopped it (WSTOPSIG) */
	int wait_report;		/* CLD_STOPPED or CLD_CONTINUED for wait to report once; 0: none */
	struct ktimer real_timer;	/* ITIMER_REAL (alarm, setitimer): SIGALRM */
	struct ktimer virt_timer;	/* ITIMER_VIRTUAL: SIGVTALRM */
	struct ktimer prof_timer;	/* ITIMER_PROF: SIGPROF */
	struct list_head cpu_timers;	/* armed timers on its CPU clocks (kernel/ktimer.c) */
	struct list_head timers;	/* timer_create's (kernel/posix_timer.c) */
	int next_timer_id;
};

enum task_state {
	TASK_RUNNING,	/* on the CPU, or on the run queue */
	TASK_WAITING,	/* in sched_wait() */
	TASK_DEAD,	/* exited; its stack goes once another task runs */
};

/* A thread's part in its process's group stop (kernel/jobctl.c). */
enum task_jobctl {
	JOBCTL_NONE,
	JOBCTL_STOP_PENDING,	/* must stop before it returns to user mode */
	JOBCTL_STOPPED,		/* stopped: only SIGCONT or SIGKILL end it */
};

/* What restart_syscall(2) does for an interrupted syscall (Linux's restart block). */
struct restart_block {
	long (*fn)(struct task *t);	/* NULL: nothing to restart (EINTR) */
	struct cpu_clock clock;		/* a sleep: its clock (.proc NULL: CLOCK_MONOTONIC) */
	int64_t deadline;		/* ... the time it ends on that clock */
	uaddr_t rem;			/* ... where it tells the time left */
};

struct task {
	struct regs regs;	/* user registers at the last stop */
	struct arch_kctx kctx;	/* kernel context while switched out */
	void *kstack;		/* KSTACK_SIZE bytes */
	enum task_state state;
	struct list_head run_node;	/* the run queue or a struct waitq */
	struct list_head all_node;	/* every live task (sched.c) */
	struct list_head thread_node;	/* process->threads */
	struct waitq *wq;	/* the queue it waits on, or NULL */
	int64_t deadline;	/* while waiting: SCHED_FOREVER or ns */
	int wake_reason;	/* 0, -ETIMEDOUT, -EDEADLK: why sched_wait() returned */
	int64_t utime_ns, stime_ns;	/* its CPU time (sentry/cputime.h) */

	struct process *proc;
	int tid, tgid;
	uint32_t uid, gid, euid, egid;
	struct mm *mm;
	struct fdtable *files;	/* fs/fdtable.c */
	struct fs_context *fs;	/* cwd and root: fs/ */
	uaddr_t clear_child_tid;
	uaddr_t robust_list;
	linux_sigset_t sigmask;
	linux_sigset_t saved_sigmask;	/* sigsuspend: the mask to restore after delivery */
	linux_sigset_t real_blocked;	/* sigtimedwait: its mask while it waits (unblocked for it) */
	bool restore_sigmask;
	struct restart_block restart;	/* for -ERESTART_RESTARTBLOCK */
	struct sigpending pending;	/* signals sent to this thread (tgkill) */
	enum task_jobctl jobctl;	/* its part in a group stop */
	uaddr_t altstack_sp;	/* sigaltstack; altstack_size 0: none */
	uint64_t altstack_size;
	bool exiting;
	int exit_status;	/* sentry-vm's status: code, or 128 + signal */
	char comm[16];
	char *exe_path;		/* kmalloc'd path of the executable (/proc/self/exe, AT_EXECFN) */
	void *plat;		/* the platform's per-task state (FPU copy), plat_task_release() */
};

#define KSTACK_SIZE	(32UL << 10)

/** task_current() - the task running on this CPU. */
struct task *task_current(void);
void task_set_current(struct task *t);

/** task_rlimit_defaults() - @p's limits as a fresh Linux process has them. */
void task_rlimit_defaults(struct process *p);

/** task_create_init() - the first task (PID 1), with stdio fds and cwd @cwd. */
int task_create_init(const char *cwd, struct task **out);

/**
 * task_run() - run the sandbox: @init (exec'd already) and every task it
 * creates, until PID 1 exits. Return: sentry-vm's exit status.
 */
int task_run(struct task *init);

/**
 * task_start() - give @t a kernel stack whose first run enters the run
 * loop, and make it runnable. Return: 0 or -ENOMEM.
 */
int task_start(struct task *t);

/** task_main() - what a new task's kernel stack runs first (from sched.c). */
__noreturn void task_main(struct task *t);

/** task_exit() - @t's thread ends with @status (0-255 or 128+sig) at its next stop. */
void task_exit(struct task *t, int status);

/**
 * task_exit_group() - every thread of @p ends; @wait_status is what the
 * parent's wait4() sees (code << 8, or a signal number).
 */
void task_exit_group(struct process *p, int wait_status);

/** task_signal_pending() - must @t leave a blocking wait (signal, exit)? */
bool task_signal_pending(const struct task *t);

/**
 * task_signal_process() - send @sig (1-64) to process @p (kill(2)); it is
 * acted on when one of its threads next returns to user mode.
 */
void task_signal_process(struct process *p, int sig);

/** task_signal_thread() - send @sig to thread @t alone (tgkill(2), SIGPIPE). */
void task_signal_thread(struct task *t, int sig);

/** task_find_process() - the live or zombie process @pid, or NULL. */
struct process *task_find_process(int pid);

/** task_next_pid() - the lowest pid >= @from of a live or zombie process, or 0. */
int task_next_pid(int from);

/** task_find() - the live task @tid, or NULL. */
struct task *task_find(int tid);

/** task_for_each_process() - call @fn on every process not yet reaped. */
void task_for_each_process(void (*fn)(struct process *p, void *arg), void *arg);

/**
 * task_release_dead() - free what the tasks that exited since the last
 * call still hold (called by sched.c once another task runs).
 */
void task_release_dead(struct task *t);

#endif /* SENTRY_TASK_H */

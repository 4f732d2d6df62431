/* SPDX-License-Identifier: Apache-2.0 */
/*
 * task.h: tasks (threads) and the run loop (kernel/task.c), core.
 * One process, one thread in this version; the fields for the rest of the
 * process model are where they will live.
 */
#ifndef SENTRY_TASK_H
#define SENTRY_TASK_H

#include "sentry/arch/regs.h"
#include "sentry/types.h"

#include "abi/linux/signal.h"

struct mm;
struct fdtable;
struct fs_context;

struct task {
	struct regs regs;	/* user registers at the last stop */
	int tid, tgid, ppid, pgid, sid;
	uint32_t uid, gid, euid, egid;
	struct mm *mm;
	struct fdtable *files;	/* fs/fdtable.c */
	struct fs_context *fs;	/* cwd and root: fs/ */
	uaddr_t clear_child_tid;
	uaddr_t robust_list;
	struct linux_sigaction sigactions[LINUX_NSIG];	/* recorded; delivery: issue 4 */
	linux_sigset_t sigmask;
	bool exiting;
	int exit_status;	/* sentry-vm's status: code, or 128 + signal */
	char comm[16];
	char *exe_path;		/* kmalloc'd path of the executable (/proc/self/exe, AT_EXECFN) */
};

/** task_current() - the task running on this CPU. */
struct task *task_current(void);
void task_set_current(struct task *t);

/** task_create_init() - the first task, with stdio fds and cwd @cwd. */
int task_create_init(const char *cwd, struct task **out);

/** task_run() - run @t until it exits; returns its exit status for sentry-vm. */
int task_run(struct task *t);

/** task_exit() - mark @t (its thread group) as exiting with @status (0-255 or 128+sig). */
void task_exit(struct task *t, int status);

#endif /* SENTRY_TASK_H */

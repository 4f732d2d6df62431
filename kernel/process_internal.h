/* SPDX-License-Identifier: Apache-2.0 */
/*
 * process_internal.h: between kernel/task.c, process.c, clone.c, wait.c and
 * signal.c. Not a contract for the rest of the core (that is task.h).
 */
#ifndef KERNEL_PROCESS_INTERNAL_H
#define KERNEL_PROCESS_INTERNAL_H

#include "sentry/task.h"

struct fault_info;

#define SIG_KERNEL_IGNORE	(SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | \
				 SIGBIT(SIGCONT))
#define SIG_KERNEL_STOP		(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | \
				 SIGBIT(SIGTTOU))
#define SIG_KERNEL_COREDUMP	(SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
				 SIGBIT(SIGABRT) | SIGBIT(SIGFPE) | SIGBIT(SIGSEGV) | \
				 SIGBIT(SIGBUS) | SIGBIT(SIGSYS) | SIGBIT(SIGXCPU) | \
				 SIGBIT(SIGXFSZ))
#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define PID_MAX		4194304

/* process.c */
int process_alloc(struct process **out);
void process_free(struct process *p);
/** pid_alloc() - the next unused pid/tid (1 for the first), or -EAGAIN. */
int pid_alloc(void);
void process_add_thread(struct process *p, struct task *t);
/** process_thread_exit() - @t (current) leaves; the last thread ends the process. */
void process_thread_exit(struct task *t);
/** process_release_thread() - free a dead @t (after its stack is gone). */
void process_release_thread(struct task *t);
/** process_reap() - free zombie @p, unlinked from its parent. */
void process_reap(struct process *p);
/** process_pgrp_orphaned() - has no member of group @pgid a parent in another group of its session? */
bool process_pgrp_orphaned(int pgid);
/** process_init() - PID 1's process (the reaper of orphans), or NULL. */
struct process *process_init(void);

/* jobctl.c */
/** jobctl_prepare_send() - what sending @sig does at once: SIGCONT continues @p. */
void jobctl_prepare_send(struct process *p, int sig);
/** jobctl_stop_begin() - @t took stop signal @sig (default action): stop every thread. */
void jobctl_stop_begin(struct task *t, int sig);
/** jobctl_stop() - @t (JOBCTL_STOP_PENDING) stops; returns once continued or killed. */
void jobctl_stop(struct task *t);
/**
 * jobctl_orphaned() - @gone (a zombie now) was @member's parent or is
 * @member itself: if that left @member's group orphaned with a stopped
 * member, send the group SIGHUP and SIGCONT.
 */
void jobctl_orphaned(const struct process *member, const struct process *gone);
/** jobctl_thread_gone() - @t exits: a stop under way no longer waits for it. */
void jobctl_thread_gone(struct task *t);

/* posix_timer.c */
/** posix_timers_exit() - delete @p's POSIX timers (exit, execve). */
void posix_timers_exit(struct process *p);

/* signal.c */
/** signal_deliver() - act on @t's pending unblocked signals before it returns to user mode. */
void signal_deliver(struct task *t);
/** signal_force_fault() - a synchronous fault: deliver @sig now (default if blocked or ignored). */
void signal_force_fault(struct task *t, const struct fault_info *fault, int sig);
/** signal_child_exited() - tell @parent a child ended (SIGCHLD unless ignored). */
void signal_child_exited(struct process *parent, struct process *child);
/** signal_send_kernel() - @sig to @p from the sentry itself (SI_KERNEL: timers). */
void signal_send_kernel(struct process *p, int sig);

/** signal_discard() - drop the signals of @mask wherever they are pending in @p. */
void signal_discard(struct process *p, linux_sigset_t mask);
/** signal_send_info() - send @info->signo to @p with that siginfo, from the sentry. */
void signal_send_info(struct process *p, const struct signal_info *info);
/** signal_send_thread_info() - the same, to thread @t only. */
void signal_send_thread_info(struct task *t, const struct signal_info *info);

/** signal_ignored() - does @p discard @sig (SIG_IGN, or SIG_DFL whose default is ignore)? */
bool signal_ignored(const struct process *p, int sig);

#endif /* KERNEL_PROCESS_INTERNAL_H */

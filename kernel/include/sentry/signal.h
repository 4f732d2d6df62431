/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signal.h: pending signals and what their siginfo says (kernel/signal.c,
 * kernel/siginfo.c), core. For what else takes signals than the handler
 * path: signalfd (fs/signalfd.c) and POSIX timers (kernel/posix_timer.c).
 *
 * A process and each of its threads have a set of pending signals; each
 * pending signal has a queue entry with its siginfo. A standard signal
 * (1-31) is pending once at most: sending it again while pending does
 * nothing. Real-time signals (32-64) queue: every send is one entry,
 * taken oldest first, up to RLIMIT_SIGPENDING entries in the sandbox.
 */
#ifndef SENTRY_SIGNAL_H
#define SENTRY_SIGNAL_H

#include "sentry/list.h"
#include "sentry/types.h"

#include "abi/linux/signal.h"

#define SIGBIT(sig)	(1ULL << ((sig) - 1))	/* @sig's bit in a linux_sigset_t */

struct task;
struct process;
struct linux_siginfo;
struct linux_signalfd_siginfo;

/* What the siginfo of one signal says; which fields count depends on
 * the signal and its code (signal_info_layout()). */
struct signal_info {
	int signo;
	int code;		/* SI_USER, SI_TKILL, SI_TIMER, CLD_*, a fault's code */
	int pid;		/* sender, or the child of a SIGCHLD */
	uint32_t uid;
	int status;		/* SIGCHLD: exit code, or signal */
	int64_t utime, stime;	/* SIGCHLD: the child's CPU time, in clock ticks */
	uaddr_t addr;		/* faults: si_addr */
	unsigned int trapno;	/* faults: the CPU's trap number (sigcontext) */
	int timerid;		/* SI_TIMER: the POSIX timer */
	int overrun;		/* SI_TIMER: expirations after the one signalled */
	uint64_t value;		/* SI_TIMER, SI_QUEUE: sigev_value / sigval */
};

/* One pending signal, queued on a struct sigpending. */
struct sigqueue {
	struct list_head node;		/* in ->in's queue, oldest first */
	struct sigpending *in;		/* where it is queued; NULL: nowhere */
	struct signal_info info;
	/*
	 * NULL: kmalloc'd by the sender, freed once taken or discarded.
	 * Else the entry is its owner's (a POSIX timer's, never freed here),
	 * and this is called when the signal is taken, to finish @info.
	 */
	void (*taken)(struct sigqueue *q, struct signal_info *info);
};

/* The signals pending for a process or a thread. */
struct sigpending {
	linux_sigset_t set;
	struct list_head queue;		/* struct sigqueue.node */
};

static inline void sigpending_init(struct sigpending *sp)
{
	sp->set = 0;
	list_init(&sp->queue);
}

/**
 * signal_dequeue() - take the lowest pending signal of @t in @allowed,
 * those sent to @t itself before those sent to its process, with its
 * siginfo in *@info. Return: the signal, 0 if none.
 */
int signal_dequeue(struct task *t, linux_sigset_t allowed, struct signal_info *info);

/** signal_pending_set() - the signals pending for @t: its own and its process's. */
linux_sigset_t signal_pending_set(const struct task *t);

/**
 * signal_send_owned() - send @q (an entry with an owner, info filled) to
 * thread @t, or to process @p when @t is NULL, from the sentry.
 * Return: true when it is queued; false when it is discarded (ignored,
 * a standard signal already pending, or the target is exiting).
 */
bool signal_send_owned(struct process *p, struct task *t, struct sigqueue *q);

/** signal_unqueue() - take back @q if it is still queued (its owner goes away). */
void signal_unqueue(struct sigqueue *q);

/**
 * signal_flush() - discard every pending signal of @sp (a thread or a
 * process that ends); entries with an owner are only unqueued.
 */
void signal_flush(struct sigpending *sp);

/* kernel/siginfo.c: the signal_info as the app sees it. */

/** signal_info_to_user() - @info as a siginfo_t (handlers, sigtimedwait, waitid). */
void signal_info_to_user(const struct signal_info *info, struct linux_siginfo *si);

/**
 * signal_info_from_user() - an app's siginfo_t for rt_sigqueueinfo: its
 * code and the sender fields it claims (pid, uid, value), as Linux keeps them.
 */
void signal_info_from_user(const struct linux_siginfo *si, int sig, struct signal_info *info);

/** signal_info_to_signalfd() - @info as a signalfd read returns it. */
void signal_info_to_signalfd(const struct signal_info *info,
			     struct linux_signalfd_siginfo *ssi);

#endif /* SENTRY_SIGNAL_H */

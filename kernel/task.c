// SPDX-License-Identifier: Apache-2.0
/*
 * task.c: task creation and the run loop every task runs on its own kernel
 * stack: run user code until it stops, serve the stop, act on pending
 * signals, repeat (gVisor task_run.go). Exit and the process tree:
 * kernel/process.c.
 */
#define pr_fmt(fmt) "task: " fmt

#include "sentry/bootinfo.h"
#include "sentry/cputime.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "process_internal.h"

static struct task *current_task;

struct task *task_current(void)
{
	return current_task;
}

void task_set_current(struct task *t)
{
	current_task = t;
}

int task_create_init(const char *cwd, struct task **out)
{
	struct process *p;
	struct task *t;
	int err;

	err = process_alloc(&p);
	if (err)
		return err;
	t = kzalloc(sizeof(*t));
	if (!t) {
		err = -ENOMEM;
		goto err_proc;
	}
	p->pid = p->pgid = p->sid = pid_alloc();
	p->exit_signal = SIGCHLD;
	task_rlimit_defaults(p);
	sigpending_init(&t->pending);
	t->tid = t->tgid = p->pid;	/* 1: the command is PID 1 of its sandbox */
	t->uid = t->euid = boot_info.uid;
	t->gid = t->egid = boot_info.gid;
	err = fdtable_create_stdio(&t->files);
	if (err)
		goto err_task;
	err = fs_context_create(cwd, &t->fs);
	if (err)
		goto err_files;
	process_add_thread(p, t);
	task_set_current(t);
	*out = t;
	return 0;

err_files:
	fdtable_put(t->files);
err_task:
	kfree(t);
err_proc:
	process_free(p);
	return err;
}

void task_exit(struct task *t, int status)
{
	if (t->exiting)
		return;
	t->exiting = true;
	t->exit_status = status & 0xff;
	sched_wake(t);
}

#define BUS_ADRERR	2	/* SIGBUS si_code: no such address (past a file's end) */

/* A fault the mm could not fix: the synchronous signal it means. */
static void task_fault(struct task *t, const struct fault_info *fault)
{
	int err = mm_handle_fault(t->mm, fault);
	int sig = fault->signo ? fault->signo : SIGSEGV;
	struct fault_info bus;

	if (!err)
		return;
	if (err == -ENXIO) {	/* a shared file mapping past the file's end */
		bus = *fault;
		bus.signo = sig = SIGBUS;
		bus.code = BUS_ADRERR;
		fault = &bus;
	}
	pr_debug("pid %d: signal %d at 0x%lx (trap %u, error 0x%lx, rip 0x%lx)",
		 t->tgid, sig, (unsigned long)fault->addr, fault->trapno,
		 fault->error, (unsigned long)t->regs.rip);
	signal_force_fault(t, fault, sig);
}

/* The run loop of @t, on its own kernel stack; returns when it exits. */
static void task_loop(struct task *t)
{
	struct fault_info fault;
	enum plat_stop stop;

	while (!t->exiting) {
		plat_as_activate(t->mm->as);	/* no-op unless another mm ran */
		/* preempted at its slice's end, or when a CPU-time timer of its expires */
		plat_set_timer(MIN(sched_next_event(), ktimer_cpu_next(t)));
		memset(&fault, 0, sizeof(fault));
		stop = plat_run_user(t, &t->regs, &fault);
		cputime_charge(t, true);
		ktimer_cpu_expire(t);
		switch (stop) {
		case PLAT_STOP_SYSCALL:
			syscall_dispatch(t);
			break;
		case PLAT_STOP_FAULT:
			task_fault(t, &fault);
			break;
		case PLAT_STOP_INTERRUPT:
			break;
		case PLAT_STOP_DEAD:
			task_exit_group(t->proc, fault.signo ? fault.signo : SIGKILL);
			break;
		}
		/* yield first: what the timers fired, or others sent while
		 * this task was switched out, is delivered before it runs */
		if (!t->exiting)
			sched_maybe_yield();
		if (t->exiting)
			break;
		cputime_charge(t, false);	/* what it did in the sentry since */
		ktimer_cpu_expire(t);
		signal_deliver(t);
	}
}

__noreturn void task_main(struct task *t)
{
	task_loop(t);
	process_thread_exit(t);
	sched_exit_current();
}

int task_start(struct task *t)
{
	t->kstack = kmalloc(KSTACK_SIZE);
	if (!t->kstack)
		return -ENOMEM;
	sched_add(t);
	return 0;
}

int task_run(struct task *init)
{
	int err = task_start(init);

	if (err) {
		pr_err("cannot start the first task: error %d", -err);
		return 125;
	}
	return sched_run();
}

void task_release_dead(struct task *t)
{
	kfree(t->kstack);
	t->kstack = NULL;
	process_release_thread(t);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * task.c: the first task and the run loop. One process with one thread in
 * this version; the loop has the shape the process model will keep:
 * run user code until it stops, serve the stop, repeat (gVisor task_run.go).
 */
#define pr_fmt(fmt) "task: " fmt

#include "sentry/bootinfo.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

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
	struct task *t = kzalloc(sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	t->tid = t->tgid = 1;	/* the command is PID 1 of its sandbox, as under docker run */
	t->pgid = t->sid = 1;
	t->uid = t->euid = boot_info.uid;
	t->gid = t->egid = boot_info.gid;
	err = fdtable_create_stdio(&t->files);
	if (err)
		goto err_free;
	err = fs_context_create(cwd, &t->fs);
	if (err)
		goto err_files;
	task_set_current(t);
	*out = t;
	return 0;

err_files:
	fdtable_put(t->files);
err_free:
	kfree(t);
	return err;
}

void task_exit(struct task *t, int status)
{
	if (t->exiting)
		return;
	t->exiting = true;
	t->exit_status = status & 0xff;
}

/* A fault the mm could not fix: without signal delivery (next version) it is fatal. */
static void task_fault(struct task *t, const struct fault_info *fault)
{
	int err = mm_handle_fault(t->mm, fault);

	if (!err)
		return;
	pr_debug("pid %d: signal %d at 0x%lx (trap %u, error 0x%lx, rip 0x%lx)",
		 t->tgid, fault->signo, (unsigned long)fault->addr, fault->trapno,
		 fault->error, (unsigned long)t->regs.rip);
	task_exit(t, 128 + (fault->signo ? fault->signo : SIGSEGV));
}

int task_run(struct task *t)
{
	struct fault_info fault;

	plat_as_activate(t->mm->as);
	while (!t->exiting) {
		memset(&fault, 0, sizeof(fault));
		switch (plat_run_user(t, &t->regs, &fault)) {
		case PLAT_STOP_SYSCALL:
			syscall_dispatch(t);
			break;
		case PLAT_STOP_FAULT:
			task_fault(t, &fault);
			break;
		case PLAT_STOP_INTERRUPT:
			break;
		case PLAT_STOP_DEAD:
			task_exit(t, 128 + (fault.signo ? fault.signo : SIGKILL));
			break;
		}
	}
	return t->exit_status;
}

// SPDX-License-Identifier: Apache-2.0
/* sys_exit.c: exit(2) ends the calling thread, exit_group(2) the whole process. */
#include "sentry/syscall.h"
#include "sentry/task.h"

/* exit(2) */
long sys_exit(struct task *t, const struct syscall_args *a)
{
	task_exit(t, arg_int(a, 0) & 0xff);
	return 0;
}

/* exit_group(2) */
long sys_exit_group(struct task *t, const struct syscall_args *a)
{
	task_exit_group(t->proc, (arg_int(a, 0) & 0xff) << 8);
	return 0;
}

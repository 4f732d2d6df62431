// SPDX-License-Identifier: Apache-2.0
/*
 * cputime.c: CPU time accounting, the CPU-time clocks (sentry/cputime.h),
 * times(2) and getrusage(2).
 */
#include "sentry/cputime.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

#include "process_internal.h"

#define USER_HZ		100	/* clock_t ticks, as Linux reports them */
#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

static int64_t mark;	/* when the running task's time was last charged */

static int64_t mono_ns(void)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	return ns;
}

void cputime_charge(struct task *t, bool user)
{
	int64_t now = mono_ns(), d = now - mark;

	mark = now;
	if (d <= 0)
		return;
	if (user) {
		t->utime_ns += d;
		t->proc->utime_ns += d;
	} else {
		t->stime_ns += d;
		t->proc->stime_ns += d;
	}
}

void cputime_switched_in(void)
{
	mark = mono_ns();
}

bool cputime_is_clock(int clockid)
{
	return clockid < 0 || clockid == CLOCK_PROCESS_CPUTIME_ID ||
	       clockid == CLOCK_THREAD_CPUTIME_ID;
}

/* A thread of @p by tid, or NULL. */
static struct task *thread_of(struct process *p, int tid)
{
	struct task *o = task_find(tid);

	return o && o->proc == p ? o : NULL;
}

int cputime_clock(struct task *t, int clockid, bool others, struct cpu_clock *out)
{
	int pid, kind;
	struct task *o;

	if (clockid == CLOCK_PROCESS_CPUTIME_ID || clockid == CLOCK_THREAD_CPUTIME_ID) {
		*out = (struct cpu_clock){ t->proc, clockid == CLOCK_THREAD_CPUTIME_ID ? t->tid : 0,
					   CPUCLOCK_SCHED };
		return 0;
	}
	if (clockid >= 0 || (clockid & 3) == 3)
		return -EINVAL;
	pid = ~(clockid >> 3);
	kind = clockid & 3;
	if (clockid & CPUCLOCK_PERTHREAD) {
		/* as Linux: a thread clock of one's own threads only */
		o = pid ? thread_of(t->proc, pid) : t;
		if (!o)
			return -EINVAL;
		*out = (struct cpu_clock){ t->proc, o->tid, kind };
		return 0;
	}
	*out = (struct cpu_clock){ t->proc, 0, kind };
	if (!pid || pid == t->tgid || (pid == t->tid && others))
		return 0;
	out->proc = others ? task_find_process(pid) : NULL;
	return out->proc ? 0 : -EINVAL;
}

int cputime_read(const struct cpu_clock *c, int64_t *ns)
{
	struct task *cur = task_current(), *o;
	int64_t user, sys;

	if (cur && cur->proc == c->proc)
		cputime_charge(cur, false);	/* its syscall so far */
	if (c->tid) {
		o = thread_of(c->proc, c->tid);
		if (!o)
			return -ESRCH;
		user = o->utime_ns;
		sys = o->stime_ns;
	} else {
		user = c->proc->utime_ns;
		sys = c->proc->stime_ns;
	}
	*ns = c->kind == CPUCLOCK_VIRT ? user : user + sys;
	return 0;
}

int64_t cputime_ticks(int64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

struct linux_tms {
	int64_t utime, stime, cutime, cstime;
};

/* times(buf) */
long sys_times(struct task *t, const struct syscall_args *a)
{
	struct process *p = t->proc;
	struct linux_tms tms;

	cputime_charge(t, false);
	tms = (struct linux_tms){ cputime_ticks(p->utime_ns), cputime_ticks(p->stime_ns),
				  cputime_ticks(p->cutime_ns), cputime_ticks(p->cstime_ns) };
	if (arg_uaddr(a, 0) && copy_to_user(arg_uaddr(a, 0), &tms, sizeof(tms)))
		return -EFAULT;
	return cputime_ticks(mono_ns());
}

/* struct rusage, x86_64: two timevals then 14 longs (left 0 here). */
struct linux_rusage {
	struct linux_timeval utime, stime;
	int64_t rest[14];
};

int cputime_put_rusage(uaddr_t u, int64_t utime_ns, int64_t stime_ns)
{
	struct linux_rusage ru = {
		.utime = { utime_ns / NSEC_PER_SEC, utime_ns % NSEC_PER_SEC / 1000 },
		.stime = { stime_ns / NSEC_PER_SEC, stime_ns % NSEC_PER_SEC / 1000 },
	};

	return u ? copy_to_user(u, &ru, sizeof(ru)) : 0;
}

/* getrusage(who, usage) */
long sys_getrusage(struct task *t, const struct syscall_args *a)
{
	struct process *p = t->proc;
	uaddr_t u = arg_uaddr(a, 1);

	cputime_charge(t, false);
	switch (arg_int(a, 0)) {
	case RUSAGE_SELF:
		return cputime_put_rusage(u, p->utime_ns, p->stime_ns) ? -EFAULT : 0;
	case RUSAGE_CHILDREN:
		return cputime_put_rusage(u, p->cutime_ns, p->cstime_ns) ? -EFAULT : 0;
	case RUSAGE_THREAD:
		return cputime_put_rusage(u, t->utime_ns, t->stime_ns) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

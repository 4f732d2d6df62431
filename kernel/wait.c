// SPDX-License-Identifier: Apache-2.0
/*
 * wait.c: wait4(2) and waitid(2): children that exited, and with
 * WUNTRACED (WSTOPPED) / WCONTINUED those that stopped or continued (job
 * control, kernel/jobctl.c), each stop or continue reported once.
 */
#include "sentry/cputime.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"

#include "abi/linux/errno.h"
#include "abi/linux/siginfo.h"

#include "process_internal.h"

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

struct wait_req {
	int idtype;		/* P_ALL, P_PID, P_PGID */
	int id;
	unsigned int options;
};

/* Does child @c match @r? __WCLONE picks children that report with a signal other than SIGCHLD. */
static bool wait_match(const struct process *c, const struct wait_req *r)
{
	bool clone_child = c->exit_signal != SIGCHLD;

	if (!(r->options & __WALL) && clone_child != !!(r->options & __WCLONE))
		return false;
	switch (r->idtype) {
	case P_PID:
		return c->pid == r->id;
	case P_PGID:
		return c->pgid == r->id;
	default:
		return true;
	}
}

/* What wait reports of a child: its exit, a stop or a continue. */
enum report { R_NONE, R_EXITED, R_STOPPED, R_CONTINUED };

static enum report report_of(const struct process *c, unsigned int options)
{
	if (c->zombie)
		return options & WEXITED ? R_EXITED : R_NONE;
	if ((options & WUNTRACED) && c->stopped && c->wait_report == CLD_STOPPED)
		return R_STOPPED;
	if ((options & WCONTINUED) && c->wait_report == CLD_CONTINUED)
		return R_CONTINUED;
	return R_NONE;
}

/*
 * Find a child of @t's process matching @r with something to report
 * (*@what), waiting unless WNOHANG. Return: 0 with the child in *@out, or
 * NULL (WNOHANG, nothing yet); -ECHILD (no such child), -ERESTARTSYS.
 */
static int wait_for_child(struct task *t, const struct wait_req *r, struct process **out,
			  enum report *what)
{
	struct process *me = t->proc, *c;
	bool any;
	int err;

	*out = NULL;
	for (;;) {
		any = false;
		for (struct list_head *e = me->children.next; e != &me->children; e = e->next) {
			c = list_entry(e, struct process, sibling);
			if (!wait_match(c, r))
				continue;
			any = true;
			*what = report_of(c, r->options);
			if (*what != R_NONE) {
				*out = c;
				return 0;
			}
		}
		if (!any)
			return -ECHILD;
		if (r->options & WNOHANG)
			return 0;
		err = sched_wait(&me->child_wait, SCHED_FOREVER);
		if (err == -EINTR)
			return -ERESTARTSYS;
		if (err)
			return err;
	}
}

/* The rusage of child @c: its CPU time and its reaped children's, as Linux. */
static int put_rusage(uaddr_t u, const struct process *c)
{
	return cputime_put_rusage(u, c->utime_ns + c->cutime_ns, c->stime_ns + c->cstime_ns);
}

/* wait4(pid, wstatus, options, rusage) */
long sys_wait4(struct task *t, const struct syscall_args *a)
{
	int pid = arg_int(a, 0);
	unsigned int options = arg_uint(a, 2);
	struct wait_req r = { .options = options | WEXITED };
	struct process *c;
	enum report what;
	int err, status, cpid;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		r.idtype = P_PID;
		r.id = pid;
	} else if (pid == 0) {
		r.idtype = P_PGID;
		r.id = t->proc->pgid;
	} else if (pid < -1) {
		r.idtype = P_PGID;
		r.id = -pid;
	} else {
		r.idtype = P_ALL;
	}
	err = wait_for_child(t, &r, &c, &what);
	if (err || !c)
		return err;
	/* a stop: the signal << 8 | 0x7f (WIFSTOPPED); a continue: 0xffff */
	status = what == R_EXITED ? c->wait_status :
		 what == R_STOPPED ? c->stop_signal << 8 | 0x7f : 0xffff;
	cpid = c->pid;
	if (arg_uaddr(a, 1) && copy_to_user(arg_uaddr(a, 1), &status, sizeof(status)))
		return -EFAULT;
	if (put_rusage(arg_uaddr(a, 3), c))
		return -EFAULT;
	if (what == R_EXITED)
		process_reap(c);
	else
		c->wait_report = 0;	/* reported once */
	return cpid;
}

/* siginfo_t as waitid fills it (128 bytes). */
struct linux_siginfo_chld {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	int32_t pad2;
	int64_t si_utime, si_stime;
	uint8_t rest[128 - 48];
};

/* waitid(idtype, id, infop, options, rusage) */
long sys_waitid(struct task *t, const struct syscall_args *a)
{
	unsigned int options = arg_uint(a, 3);
	struct wait_req r = { .idtype = arg_int(a, 0), .id = arg_int(a, 1), .options = options };
	struct linux_siginfo_chld si;
	uaddr_t infop = arg_uaddr(a, 2);
	struct process *c;
	enum report what;
	int err;

	if (options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT |
			__WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	if (r.idtype == P_PIDFD)
		return -EINVAL;
	if (r.idtype != P_ALL && r.idtype != P_PID && r.idtype != P_PGID)
		return -EINVAL;
	if (r.idtype == P_PGID && r.id == 0)
		r.id = t->proc->pgid;
	if (r.idtype != P_ALL && r.id <= 0)
		return r.idtype == P_PID ? -EINVAL : -ECHILD;
	err = wait_for_child(t, &r, &c, &what);
	if (err)
		return err;
	memset(&si, 0, sizeof(si));
	if (c) {
		si.si_signo = SIGCHLD;
		si.si_pid = c->pid;
		si.si_uid = t->uid;
		if (what == R_STOPPED) {
			si.si_code = CLD_STOPPED;
			si.si_status = c->stop_signal;
		} else if (what == R_CONTINUED) {
			si.si_code = CLD_CONTINUED;
			si.si_status = SIGCONT;
		} else if (c->wait_status & 0x7f) {
			si.si_code = (c->wait_status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			si.si_status = c->wait_status & 0x7f;
		} else {
			si.si_code = CLD_EXITED;
			si.si_status = (c->wait_status >> 8) & 0xff;
		}
	}
	/* as Linux: only signo, errno, code, pid, uid and status are written */
	if (infop && (copy_to_user(infop, &si, offsetof(struct linux_siginfo_chld, pad)) ||
		      copy_to_user(infop + offsetof(struct linux_siginfo_chld, si_pid), &si.si_pid,
				   offsetof(struct linux_siginfo_chld, pad2) -
				   offsetof(struct linux_siginfo_chld, si_pid))))
		return -EFAULT;
	if (c) {
		if (put_rusage(arg_uaddr(a, 4), c))
			return -EFAULT;
		if (options & WNOWAIT)
			return 0;
		if (what == R_EXITED)
			process_reap(c);
		else
			c->wait_report = 0;	/* reported once */
	}
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * siginfo.c: a signal's siginfo as the app reads it: in a handler's frame,
 * from sigtimedwait and waitid (siginfo_t), or from a signalfd (struct
 * signalfd_siginfo). Which fields carry meaning depends on the signal and
 * its si_code, as Linux's siginfo_layout() decides.
 */
#include "sentry/signal.h"
#include "sentry/string.h"

#include "abi/linux/siginfo.h"

enum layout { L_KILL, L_TIMER, L_RT, L_CHLD, L_FAULT, L_POLL };

#define NSIGPOLL	6	/* POLL_IN .. POLL_HUP */

static enum layout layout_of(const struct signal_info *info)
{
	int code = info->code;

	if (code > SI_USER && code < SI_KERNEL) {	/* the signal's own codes */
		switch (info->signo) {
		case SIGCHLD:
			return L_CHLD;
		case SIGSEGV:
		case SIGBUS:
		case SIGILL:
		case SIGFPE:
		case SIGTRAP:
			return L_FAULT;
		default:
			return code <= NSIGPOLL ? L_POLL : L_KILL;
		}
	}
	if (code == SI_TIMER)
		return L_TIMER;
	if (code == SI_SIGIO)
		return L_POLL;
	return code < 0 ? L_RT : L_KILL;
}

void signal_info_to_user(const struct signal_info *info, struct linux_siginfo *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = info->signo;
	si->si_code = info->code;
	switch (layout_of(info)) {
	case L_KILL:
		si->u.kill.pid = info->pid;
		si->u.kill.uid = info->uid;
		break;
	case L_TIMER:
		si->u.timer.tid = info->timerid;
		si->u.timer.overrun = info->overrun;
		si->u.timer.value = info->value;
		break;
	case L_RT:
		si->u.rt.pid = info->pid;
		si->u.rt.uid = info->uid;
		si->u.rt.value = info->value;
		break;
	case L_CHLD:
		si->u.chld.pid = info->pid;
		si->u.chld.uid = info->uid;
		si->u.chld.status = info->status;
		si->u.chld.utime = info->utime;
		si->u.chld.stime = info->stime;
		break;
	case L_FAULT:
		si->u.fault.addr = info->addr;
		break;
	case L_POLL:
		break;
	}
}

/* @info with only the fields of its layout kept (the others zero). */
static struct signal_info only_layout(const struct signal_info *info)
{
	struct signal_info r = { .signo = info->signo, .code = info->code };

	switch (layout_of(info)) {
	case L_CHLD:
		r.status = info->status;
		r.utime = info->utime;
		r.stime = info->stime;
		/* fall through */
	case L_KILL:
		r.pid = info->pid;
		r.uid = info->uid;
		break;
	case L_RT:
		r.pid = info->pid;
		r.uid = info->uid;
		r.value = info->value;
		break;
	case L_TIMER:
		r.timerid = info->timerid;
		r.overrun = info->overrun;
		r.value = info->value;
		break;
	case L_FAULT:
		r.addr = info->addr;
		break;
	case L_POLL:
		break;
	}
	return r;
}

/* signalfd_siginfo has a field for each: no union to choose in. */
void signal_info_from_user(const struct linux_siginfo *si, int sig, struct signal_info *info)
{
	*info = (struct signal_info){ .signo = sig, .code = si->si_code };
	/* kill's pid and uid are rt's first fields: every layout but these has them there */
	switch (layout_of(info)) {
	case L_TIMER:
		info->timerid = si->u.timer.tid;
		info->overrun = si->u.timer.overrun;
		info->value = si->u.timer.value;
		break;
	case L_FAULT:
		info->addr = si->u.fault.addr;
		break;
	default:
		info->pid = si->u.rt.pid;
		info->uid = si->u.rt.uid;
		info->value = si->u.rt.value;
		break;
	}
}

void signal_info_to_signalfd(const struct signal_info *info,
			     struct linux_signalfd_siginfo *ssi)
{
	struct signal_info r = only_layout(info);

	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = (uint32_t)r.signo;
	ssi->ssi_code = r.code;
	ssi->ssi_pid = (uint32_t)r.pid;
	ssi->ssi_uid = r.uid;
	ssi->ssi_status = r.status;
	ssi->ssi_utime = (uint64_t)r.utime;
	ssi->ssi_stime = (uint64_t)r.stime;
	ssi->ssi_tid = (uint32_t)r.timerid;
	ssi->ssi_overrun = (uint32_t)r.overrun;
	ssi->ssi_ptr = r.value;
	ssi->ssi_int = (int32_t)r.value;
	ssi->ssi_addr = r.addr;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * preempt.c: plat_set_timer() for the ptrace platform. A POSIX timer sends
 * SIGALRM to the tracer thread at the deadline; the handler stops the stub
 * that runs app code at that moment (any signal does: a traced process
 * stops for it and plat_run_user() reports PLAT_STOP_INTERRUPT, the signal
 * itself is never delivered). When no app code runs the handler only
 * notes the expiry, and the next plat_run_user() returns at once.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ptrace.h"

#define PREEMPT_SIGNAL	SIGALRM
#define NEVER		INT64_MAX

static timer_t timer;
static int timer_state;			/* 0: not created, 1: ready, -1: unavailable */
static int64_t armed = NEVER;
static volatile sig_atomic_t expired;
static volatile pid_t target;		/* the stub running app code, or 0 */

static void on_timer(int sig)
{
	pid_t pid = target;

	(void)sig;
	expired = 1;
	if (pid > 0)
		syscall(SYS_tgkill, pid, pid, PREEMPT_SIGNAL);
}

static int timer_init(void)
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;	/* no SA_RESTART: waitpid sees EINTR and retries */
	sigemptyset(&sa.sa_mask);
	if (sigaction(PREEMPT_SIGNAL, &sa, NULL) < 0)
		return -1;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = PREEMPT_SIGNAL;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);	/* the tracer thread */
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0) {
		ptrace_warn("no preemption timer: a task that never stops keeps the CPU");
		return -1;
	}
	return 1;
}

void plat_set_timer(int64_t deadline_ns)
{
	struct itimerspec its;
	int64_t host_ns;

	if (deadline_ns == armed)
		return;
	if (!timer_state)
		timer_state = timer_init();
	if (timer_state < 0)
		return;
	memset(&its, 0, sizeof(its));
	if (deadline_ns != NEVER) {
		host_ns = ptrace_clock_to_host(deadline_ns);
		if (host_ns <= 0)
			host_ns = 1;	/* 0 would disarm */
		its.it_value.tv_sec = host_ns / 1000000000;
		its.it_value.tv_nsec = host_ns % 1000000000;
	}
	expired = 0;
	if (timer_settime(timer, TIMER_ABSTIME, &its, NULL) == 0)
		armed = deadline_ns;
}

bool ptrace_preempt_begin(pid_t stub)
{
	target = stub;
	if (!expired)
		return true;
	target = 0;
	expired = 0;
	armed = NEVER;	/* one-shot: it has fired */
	return false;
}

void ptrace_preempt_end(void)
{
	target = 0;
	if (expired) {
		expired = 0;
		armed = NEVER;
	}
}

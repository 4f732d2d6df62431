// SPDX-License-Identifier: Apache-2.0
/*
 * signals.c: delivery to handlers: siginfo and ucontext, masks inside a
 * handler, SA_RESETHAND, SA_NODEFER, SA_ONSTACK, blocking and unblocking,
 * sigsuspend, SA_RESTART vs EINTR, SIGCHLD, default actions, a SIGSEGV
 * handler that leaves with siglongjmp, FP state across a handler,
 * sigtimedwait; real-time signals queue (each send is one delivery, in
 * order, with its own siginfo), standard ones do not; SIG_IGN discards
 * what is pending; sigqueue and pthread_sigqueue carry a value, and may
 * not pose as kill to another process.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile sig_atomic_t hits, got_sig, got_code, got_pid, mask_had_usr2, nested;
static volatile uintptr_t got_addr, on_alt;
static volatile int ctx_ok;
static char altstack[64 * 1024];

static void on_info(int sig, siginfo_t *si, void *uc)
{
	sigset_t now;

	hits++;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	ctx_ok = uc != NULL;
	sigprocmask(SIG_BLOCK, NULL, &now);
	mask_had_usr2 = sigismember(&now, SIGUSR2) && sigismember(&now, sig);
	on_alt = (uintptr_t)&now >= (uintptr_t)altstack &&
		 (uintptr_t)&now < (uintptr_t)altstack + sizeof(altstack);
}

static void on_plain(int sig)
{
	(void)sig;
	hits++;
}

static void on_nodefer(int sig)
{
	if (hits++ == 0)
		raise(sig);	/* delivered inside, at once: nested */
	else
		nested = 1;
}

static void set(int sig, void (*h)(int), void (*ha)(int, siginfo_t *, void *), int flags,
		int also_block)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (ha)
		sa.sa_sigaction = ha;
	else
		sa.sa_handler = h;
	sa.sa_flags = flags | (ha ? SA_SIGINFO : 0);
	sigemptyset(&sa.sa_mask);
	if (also_block)
		sigaddset(&sa.sa_mask, also_block);
	sigaction(sig, &sa, NULL);
}

static void test_basics(void)
{
	sigset_t s, old;
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	set(SIGUSR1, NULL, on_info, 0, SIGUSR2);
	kill(getpid(), SIGUSR1);
	ok(hits == 1 && got_sig == SIGUSR1 && got_code == SI_USER && got_pid == getpid() && ctx_ok,
	   "a SA_SIGINFO handler gets the signal, SI_USER, the sender and a ucontext");
	ok(mask_had_usr2, "inside, the signal and sa_mask are blocked");
	sigprocmask(SIG_BLOCK, NULL, &s);
	ok(!sigismember(&s, SIGUSR1) && !sigismember(&s, SIGUSR2), "after it the mask is back");

	hits = 0;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	raise(SIGUSR1);
	sigpending(&s);
	ok(hits == 0 && sigismember(&s, SIGUSR1), "blocked: pending, not delivered");
	sigprocmask(SIG_SETMASK, &old, NULL);
	ok(hits == 1, "unblocking delivers it");

	hits = 0;
	set(SIGUSR2, on_plain, NULL, SA_RESETHAND, 0);
	raise(SIGUSR2);
	struct sigaction now;
	sigaction(SIGUSR2, NULL, &now);
	ok(hits == 1 && now.sa_handler == SIG_DFL, "SA_RESETHAND runs once, then default");

	hits = 0;
	set(SIGUSR2, on_nodefer, NULL, SA_NODEFER, 0);
	raise(SIGUSR2);
	ok(hits == 2 && nested, "SA_NODEFER lets the handler be interrupted by its own signal");

	sigaltstack(&ss, NULL);
	set(SIGUSR1, NULL, on_info, SA_ONSTACK, 0);
	raise(SIGUSR1);
	ok(on_alt, "SA_ONSTACK runs it on the alternate stack");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	set(SIGUSR1, NULL, on_info, 0, 0);
	on_alt = 1;
	raise(SIGUSR1);
	ok(!on_alt, "without it, on the normal stack");
}

static void test_suspend_and_restart(void)
{
	sigset_t block, none;
	int p[2], st;
	char c;
	pid_t pid, me = getpid();

	set(SIGUSR1, on_plain, NULL, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	hits = 0;
	pid = fork();
	if (pid == 0) {
		kill(me, SIGUSR1);
		_exit(0);
	}
	sigemptyset(&none);
	ok(sigsuspend(&none) == -1 && errno == EINTR && hits == 1,
	   "sigsuspend returns EINTR after the handler ran");
	sigprocmask(SIG_BLOCK, NULL, &none);
	ok(sigismember(&none, SIGUSR1), "and puts the old mask back");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	waitpid(pid, &st, 0);

	/* a read interrupted by a handler without SA_RESTART: EINTR */
	pipe(p);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 30 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kill(me, SIGUSR1);
		nanosleep(&ts, NULL);
		write(p[1], "x", 1);
		_exit(0);
	}
	ok(read(p[0], &c, 1) == -1 && errno == EINTR, "a blocked read is EINTR without SA_RESTART");
	ok(read(p[0], &c, 1) == 1, "the data comes later");
	waitpid(pid, &st, 0);

	/* with SA_RESTART the read goes on and returns the data */
	set(SIGUSR1, on_plain, NULL, SA_RESTART, 0);
	hits = 0;
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 30 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kill(me, SIGUSR1);
		nanosleep(&ts, NULL);
		write(p[1], "y", 1);
		_exit(0);
	}
	ok(read(p[0], &c, 1) == 1 && c == 'y' && hits == 1, "with SA_RESTART it restarts");
	waitpid(pid, &st, 0);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t chld_pid, chld_status;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
}

static void test_children(void)
{
	sigset_t block, none;
	int st;
	pid_t pid;

	set(SIGCHLD, NULL, on_chld, 0, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid = fork();
	if (pid == 0)
		_exit(7);
	sigemptyset(&none);
	sigsuspend(&none);
	ok(chld_pid == pid && chld_status == 7, "SIGCHLD's siginfo names the child and its code");
	waitpid(pid, &st, 0);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGCHLD, SIG_DFL);

	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "SIGTERM's default kills");
	pid = fork();
	if (pid == 0)
		abort();
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "abort() dies of SIGABRT");
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR2, SIG_IGN);
		raise(SIGUSR2);
		_exit(3);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 3, "an ignored signal does nothing");
}

static sigjmp_buf jb;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_addr = (uintptr_t)si->si_addr;
	got_code = si->si_code;
	siglongjmp(jb, 1);
}

static volatile double fp_seen;

static void on_fp(int sig)
{
	volatile double x = 3.0;

	(void)sig;
	fp_seen = x * 7.0;	/* uses the FP registers */
}

static void test_faults_and_fp(void)
{
	static volatile uintptr_t bad_addr = 16;	/* out of the compiler's sight */
	volatile int *bad = (volatile int *)bad_addr;
	volatile double a = 1.5, b = 2.25, r;
	sigset_t s;
	siginfo_t si;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	set(SIGSEGV, NULL, on_segv, SA_NODEFER, 0);
	if (!sigsetjmp(jb, 1))
		*bad = 1;
	ok(got_sig == SIGSEGV && got_addr == 16 && got_code == SEGV_MAPERR,
	   "a SIGSEGV handler gets si_addr and SEGV_MAPERR, and siglongjmp leaves it");
	signal(SIGSEGV, SIG_DFL);

	set(SIGUSR1, on_fp, NULL, 0, 0);
	r = a * b;
	raise(SIGUSR1);
	r = r + a;
	ok(r == 1.5 * 2.25 + 1.5 && fp_seen == 21.0, "FP values survive a handler that uses FP");

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	ok(sigtimedwait(&s, &si, &ts) == SIGUSR2 && si.si_signo == SIGUSR2,
	   "sigtimedwait takes a pending blocked signal");
	ok(sigtimedwait(&s, &si, &ts) == -1 && errno == EAGAIN, "and times out with EAGAIN");
}

static volatile sig_atomic_t rt_order[8], rt_n, rt_codes_ok;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (rt_n < 8)
		rt_order[rt_n++] = sig;
	if (si->si_signo != sig || (si->si_code != SI_USER && si->si_code != SI_TKILL) ||
	    si->si_pid != getpid())
		rt_codes_ok = 0;
}

static void test_queueing(void)
{
	int lo = SIGRTMIN + 2, hi = SIGRTMIN + 5;
	sigset_t s, all, old;

	rt_codes_ok = 1;
	set(lo, NULL, on_rt, 0, 0);
	set(hi, NULL, on_rt, 0, 0);
	sigemptyset(&s);
	sigaddset(&s, lo);
	sigaddset(&s, hi);
	sigaddset(&s, SIGUSR1);
	all = s;
	sigprocmask(SIG_BLOCK, &all, &old);
	kill(getpid(), hi);
	kill(getpid(), lo);
	raise(hi);		/* tgkill: to this thread */
	kill(getpid(), lo);
	kill(getpid(), lo);
	sigpending(&s);
	ok(sigismember(&s, lo) && sigismember(&s, hi), "real-time signals pending while blocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
	ok(rt_n == 5, "each send of a real-time signal is one delivery (%d)", (int)rt_n);
	/*
	 * Linux sets up a frame for each deliverable signal before returning
	 * (the last one's handler runs first): the thread's hi, then lo on
	 * top; lo's two others as lo returns; hi's other one last.
	 */
	ok(rt_order[0] == lo && rt_order[1] == lo && rt_order[2] == lo &&
	   rt_order[3] == hi && rt_order[4] == hi && rt_codes_ok,
	   "handlers run in Linux's order, each with its own siginfo");

	hits = 0;
	set(SIGUSR1, on_plain, NULL, 0, 0);
	sigprocmask(SIG_BLOCK, &all, &old);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ok(hits == 1, "a standard signal sent twice while blocked is delivered once");

	hits = 0;
	sigprocmask(SIG_BLOCK, &all, &old);
	kill(getpid(), SIGUSR1);
	kill(getpid(), lo);
	signal(SIGUSR1, SIG_IGN);
	signal(lo, SIG_IGN);
	sigpending(&s);
	ok(!sigismember(&s, SIGUSR1) && !sigismember(&s, lo),
	   "SIG_IGN discards the pending signal, blocked or not");
	set(SIGUSR1, on_plain, NULL, 0, 0);
	set(lo, NULL, on_rt, 0, 0);
	rt_n = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	ok(hits == 0 && rt_n == 0, "and nothing comes when it is handled again");
}

static void test_sigqueue(void)
{
	int sig = SIGRTMIN + 3, st = -1;
	union sigval v = { .sival_int = 4242 };
	siginfo_t si, fake;
	sigset_t s, old;
	pid_t pid;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, &old);
	sigqueue(getpid(), sig, v);
	memset(&si, 0, sizeof(si));
	ok(sigwaitinfo(&s, &si) == sig && si.si_code == SI_QUEUE && si.si_pid == getpid() &&
	   si.si_uid == getuid() && si.si_value.sival_int == 4242,
	   "sigqueue: SI_QUEUE with the sender and the value");
	v.sival_int = 77;
	pthread_sigqueue(pthread_self(), sig, v);
	memset(&si, 0, sizeof(si));
	ok(sigwaitinfo(&s, &si) == sig && si.si_code == SI_QUEUE && si.si_value.sival_int == 77,
	   "pthread_sigqueue: to this thread, with the value");

	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 5, 0 };

		memset(&si, 0, sizeof(si));
		_exit(sigtimedwait(&s, &si, &ts) == sig && si.si_code == SI_QUEUE &&
		      si.si_value.sival_int == 99 && si.si_pid == getppid() ? 0 : 1);
	}
	v.sival_int = 99;
	ok(sigqueue(pid, sig, v) == 0, "sigqueue to a child");
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child takes it with its value");

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	memset(&fake, 0, sizeof(fake));
	fake.si_signo = sig;
	fake.si_code = SI_USER;	/* posing as kill(2) */
	ok(syscall(SYS_rt_sigqueueinfo, pid, sig, &fake) == -1 && errno == EPERM,
	   "rt_sigqueueinfo may not pose as kill to another process (EPERM)");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ok(syscall(SYS_rt_sigqueueinfo, getpid(), sig, (void *)8) == -1 && errno == EFAULT,
	   "rt_sigqueueinfo with a bad siginfo is EFAULT");
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	test_basics();
	test_suspend_and_restart();
	test_children();
	test_faults_and_fp();
	test_queueing();
	test_sigqueue();
	return tap_done();
}

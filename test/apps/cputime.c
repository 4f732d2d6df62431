// SPDX-License-Identifier: Apache-2.0
/*
 * cputime.c: CPU time and the timers on it. times(), getrusage() and the
 * CPU-time clocks count a spinning loop and not a sleep;
 * setitimer(ITIMER_VIRTUAL / ITIMER_PROF) signal a loop that never makes
 * a syscall, once or periodically, count every thread, are not inherited
 * by fork, and kill by default; timer_create on the process's and the
 * threads' CPU clocks (CLOCK_*_CPUTIME_ID, clock_getcpuclockid,
 * pthread_getcpuclockid); clock_nanosleep on the process's CPU clock;
 * SIGCHLD's si_utime (and waitid's, which Linux leaves unwritten).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile sig_atomic_t got[65], timeout;

static void on_sig(int sig)
{
	got[sig]++;
}

static void on_alarm(int sig)
{
	(void)sig;
	timeout = 1;
}

static long long ms_of(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Spin without a syscall until @sig came @n times (or 10 s passed). */
static void spin_until(int sig, int n)
{
	timeout = 0;
	alarm(10);
	while (got[sig] < n && !timeout)
		;
	alarm(0);
	if (timeout)
		diag("timed out waiting for signal %d", sig);
}

/* Spin (syscalls allowed) until @c has advanced @ms. */
static void burn(clockid_t c, long long ms)
{
	long long end = ms_of(c) + ms;

	while (ms_of(c) < end)
		;
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig == SIGALRM ? on_alarm : on_sig;
	sigaction(sig, &sa, NULL);
}

static void test_accounting(void)
{
	long long c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID), t0 = ms_of(CLOCK_THREAD_CPUTIME_ID);
	struct timespec nap = { 0, 200000000 };
	struct rusage ru;
	struct tms tms;
	long long c1, ru_ms;

	burn(CLOCK_THREAD_CPUTIME_ID, 100);	/* a wall-clock spin may be descheduled */
	c1 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
	ok(ms_of(CLOCK_THREAD_CPUTIME_ID) - t0 >= 100, "a spin counts on CLOCK_THREAD_CPUTIME_ID");
	ok(c1 - c0 >= 100, "... and on CLOCK_PROCESS_CPUTIME_ID");
	nanosleep(&nap, NULL);
	ok(ms_of(CLOCK_PROCESS_CPUTIME_ID) - c1 < 50, "a 200 ms sleep does not");
	ok(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage(RUSAGE_SELF)");
	ru_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000LL +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	ok(ru_ms >= c1 - 20 && ru_ms <= ms_of(CLOCK_PROCESS_CPUTIME_ID) + 20,
	   "its user + system time is the CPU clock's");
	ok(getrusage(RUSAGE_THREAD, &ru) == 0 && ru.ru_utime.tv_sec + ru.ru_utime.tv_usec > 0,
	   "getrusage(RUSAGE_THREAD)");
	ok(getrusage(99, &ru) == -1 && errno == EINVAL, "getrusage(99): EINVAL");
	ok(times(&tms) != (clock_t)-1 && tms.tms_utime + tms.tms_stime >= 5,
	   "times(): the same in clock ticks");
}

static void test_itimer_prof(void)
{
	struct itimerval v = { { 0, 20000 }, { 0, 20000 } }, g, off = { { 0, 0 }, { 0, 0 } };
	long long c0;

	catch(SIGPROF);
	ok(getitimer(ITIMER_PROF, &g) == 0 && !g.it_value.tv_sec && !g.it_value.tv_usec,
	   "ITIMER_PROF reads disarmed at first");
	c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
	ok(setitimer(ITIMER_PROF, &v, NULL) == 0, "ITIMER_PROF: 20 ms of CPU, then every 20 ms");
	ok(getitimer(ITIMER_PROF, &g) == 0 && g.it_interval.tv_usec == 20000 &&
	   g.it_value.tv_sec == 0 && g.it_value.tv_usec > 0 && g.it_value.tv_usec <= 30000,
	   "getitimer: the period and the CPU time left (Linux adds a tick)");
	spin_until(SIGPROF, 5);
	ok(got[SIGPROF] == 5, "five SIGPROFs to a loop that makes no syscall");
	diag("5 SIGPROFs after %lld ms of CPU", ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0);
	ok(ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 50, "after about 100 ms of CPU time (Linux counts in ticks)");
	ok(setitimer(ITIMER_PROF, &off, &g) == 0 && g.it_interval.tv_usec == 20000,
	   "disarming gives the old setting");
}

static void test_itimer_virtual(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 50000 } }, g;
	struct timespec nap = { 0, 200000000 };
	long long c0;

	catch(SIGVTALRM);
	ok(setitimer(ITIMER_VIRTUAL, &v, NULL) == 0, "ITIMER_VIRTUAL: 50 ms of user time, once");
	nanosleep(&nap, NULL);
	ok(got[SIGVTALRM] == 0 && getitimer(ITIMER_VIRTUAL, &g) == 0 &&
	   g.it_value.tv_usec > 30000, "a 200 ms sleep uses none of it");
	c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
	spin_until(SIGVTALRM, 1);
	diag("SIGVTALRM after %lld ms of CPU", ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0);
	ok(got[SIGVTALRM] == 1 && ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 25,
	   "SIGVTALRM after about 50 ms of spinning");
	ok(getitimer(ITIMER_VIRTUAL, &g) == 0 && !g.it_value.tv_sec && !g.it_value.tv_usec,
	   "then it is disarmed");
	ok(setitimer(ITIMER_VIRTUAL, &(struct itimerval){ { 0, 0 }, { 0, 1000000 } }, NULL) == -1 &&
	   errno == EINVAL, "usec >= 1 s: EINVAL");
}

static void *spinner(void *arg)
{
	volatile int *stop = arg;

	while (!*stop)
		;
	return NULL;
}

/* A process-wide timer counts its other threads' time. */
static void test_itimer_threads(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 50000 } };
	volatile int stop = 0;
	sigset_t set, old;
	pthread_t th;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGPROF);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, spinner, (void *)&stop);
	setitimer(ITIMER_PROF, &v, NULL);
	ok(sigwait(&set, &sig) == 0 && sig == SIGPROF,
	   "ITIMER_PROF counts a spinning thread while main waits");
	stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void test_itimer_fork(void)
{
	struct itimerval v = { { 0, 0 }, { 5, 0 } }, g;
	int st;
	pid_t pid;

	setitimer(ITIMER_VIRTUAL, &v, NULL);
	pid = fork();
	if (pid == 0) {
		getitimer(ITIMER_VIRTUAL, &g);
		_exit(g.it_value.tv_sec || g.it_value.tv_usec);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork does not inherit ITIMER_VIRTUAL");
	setitimer(ITIMER_VIRTUAL, &(struct itimerval){ { 0, 0 }, { 0, 0 } }, NULL);
	pid = fork();
	if (pid == 0) {
		signal(SIGPROF, SIG_DFL);
		setitimer(ITIMER_PROF, &(struct itimerval){ { 0, 0 }, { 0, 10000 } }, NULL);
		alarm(10);
		for (;;)
			;
	}
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGPROF,
	   "SIGPROF's default action kills a spinning child");
}

/* A timer on @c sending @sig, armed for @ms ms once. */
static timer_t cpu_timer(clockid_t c, int sig, long ms, int *err)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	struct itimerspec its = { { 0, 0 }, { 0, ms * 1000000 } };
	timer_t id = 0;

	*err = timer_create(c, &ev, &id) ? errno : 0;
	if (!*err)
		*err = timer_settime(id, 0, &its, NULL) ? errno : 0;
	return id;
}

static void test_posix_cpu_timers(void)
{
	struct itimerspec its;
	clockid_t c;
	long long c0;
	timer_t id;
	int err;

	catch(SIGUSR1);
	c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
	id = cpu_timer(CLOCK_PROCESS_CPUTIME_ID, SIGUSR1, 40, &err);
	ok(!err, "timer_create(CLOCK_PROCESS_CPUTIME_ID), armed for 40 ms");
	ok(timer_gettime(id, &its) == 0 && its.it_value.tv_sec == 0 &&
	   its.it_value.tv_nsec > 0 && its.it_value.tv_nsec <= 40000000,
	   "timer_gettime: the CPU time left");
	spin_until(SIGUSR1, 1);
	ok(got[SIGUSR1] == 1 && ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 30,
	   "its signal after about 40 ms of spinning");
	timer_delete(id);

	c0 = ms_of(CLOCK_THREAD_CPUTIME_ID);
	id = cpu_timer(CLOCK_THREAD_CPUTIME_ID, SIGUSR1, 30, &err);
	ok(!err, "timer_create(CLOCK_THREAD_CPUTIME_ID)");
	spin_until(SIGUSR1, 2);
	ok(got[SIGUSR1] == 2 && ms_of(CLOCK_THREAD_CPUTIME_ID) - c0 >= 20,
	   "its signal after about 30 ms of the thread's time");
	timer_delete(id);

	ok(clock_getcpuclockid(0, &c) == 0, "clock_getcpuclockid(0)");
	id = cpu_timer(c, SIGUSR1, 20, &err);
	ok(!err, "a timer on that clock");
	spin_until(SIGUSR1, 3);
	ok(got[SIGUSR1] == 3, "fires");
	timer_delete(id);
	ok(clock_getcpuclockid(getpid(), &c) == 0 && ms_of(c) >= 0,
	   "clock_getcpuclockid(getpid()) reads");
	ok(timer_create((clockid_t)(((unsigned int)~999999 << 3) | 2), NULL, &id) == -1 && errno == EINVAL,
	   "no such process's clock: EINVAL");
}

/* A timer on a spinning thread's clock fires while main waits. */
static void test_thread_clock(void)
{
	volatile int stop = 0;
	sigset_t set, old;
	long long m0 = ms_of(CLOCK_THREAD_CPUTIME_ID);
	clockid_t c;
	pthread_t th;
	timer_t id;
	int sig = 0, err;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&th, NULL, spinner, (void *)&stop);
	ok(pthread_getcpuclockid(th, &c) == 0, "pthread_getcpuclockid");
	id = cpu_timer(c, SIGUSR2, 50, &err);
	ok(!err, "a timer on the other thread's clock");
	ok(sigwait(&set, &sig) == 0 && sig == SIGUSR2 && ms_of(c) >= 40,
	   "fires after about 50 ms of that thread's time");
	ok(ms_of(CLOCK_THREAD_CPUTIME_ID) - m0 < 40, "main's own clock hardly moved");
	timer_delete(id);
	stop = 1;
	pthread_join(th, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void test_cpu_nanosleep(void)
{
	struct timespec req = { 0, 50000000 };
	volatile int stop = 0;
	long long c0;
	pthread_t th;
	clockid_t c;
	long r;

	r = syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
	ok(r == -1 && errno == EOPNOTSUPP, "clock_nanosleep(CLOCK_THREAD_CPUTIME_ID): EOPNOTSUPP");
	pthread_getcpuclockid(pthread_self(), &c);
	r = syscall(SYS_clock_nanosleep, c, 0, &req, NULL);
	ok(r == -1 && errno == EINVAL, "... and on its own thread's clock id");
	pthread_create(&th, NULL, spinner, (void *)&stop);
	c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);
	ok(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL) == 0,
	   "clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 50 ms) while a thread spins");
	ok(ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 40, "returns once the process used 50 ms");
	req.tv_sec = 0;
	req.tv_nsec = 0;
	ok(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &req, NULL) == 0,
	   "an absolute time passed: at once");
	stop = 1;
	pthread_join(th, NULL);
}

static volatile sig_atomic_t chld_utime = -1;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code == CLD_EXITED)
		chld_utime = (sig_atomic_t)(si->si_utime + si->si_stime);
}

static void test_sigchld_times(void)
{
	struct sigaction sa;
	siginfo_t si;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		burn(CLOCK_PROCESS_CPUTIME_ID, 150);
		_exit(0);
	}
	while (chld_utime < 0)
		pause();
	diag("si_utime + si_stime: %d ticks", (int)chld_utime);
	ok(chld_utime >= 12 && chld_utime <= 40, "SIGCHLD's si_utime + si_stime: ~15 ticks");
	memset(&si, 0x55, sizeof(si));
	ok(waitid(P_PID, pid, &si, WEXITED) == 0 && si.si_pid == pid &&
	   si.si_code == CLD_EXITED && si.si_status == 0, "waitid reaps it");
	ok(si.si_utime == (clock_t)0x5555555555555555LL, "waitid leaves si_utime as it was (as Linux)");
	signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
	catch(SIGALRM);
	test_accounting();
	test_itimer_prof();
	test_itimer_virtual();
	test_itimer_threads();
	test_itimer_fork();
	test_posix_cpu_timers();
	test_thread_clock();
	test_cpu_nanosleep();
	test_sigchld_times();
	return tap_done();
}

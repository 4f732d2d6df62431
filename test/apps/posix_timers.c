// SPDX-License-Identifier: Apache-2.0
/*
 * posix_timers.c: timer_create/settime/gettime/getoverrun/delete:
 * SIGEV_SIGNAL (SI_TIMER, si_value, si_timerid) one-shot and periodic,
 * overruns counted while the signal is blocked, SIGEV_NONE read with
 * timer_gettime, absolute CLOCK_REALTIME times, CLOCK_BOOTTIME,
 * SIGEV_THREAD_ID to one thread, glibc's SIGEV_THREAD (a thread per
 * expiration), not inherited by fork, deleted by execve; errors.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define MS	1000000L

static const char *argv0;

static volatile sig_atomic_t hits, got_code, got_timerid, got_overrun;
static void *volatile got_ptr;
static int marker;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hits++;
	got_code = si->si_code;
	got_ptr = si->si_value.sival_ptr;
	got_timerid = si->si_timerid;
	got_overrun = si->si_overrun;
}

static long long now_ms(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * MS };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static struct itimerspec spec(long value_ns, long interval_ns)
{
	return (struct itimerspec){ { interval_ns / 1000000000, interval_ns % 1000000000 },
				    { value_ns / 1000000000, value_ns % 1000000000 } };
}

static sigset_t only(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

/* Wait (unblocked) until the handler has run @n times in all; 0 after 5 s. */
static int wait_hits(int n)
{
	long long t0 = now_ms(CLOCK_MONOTONIC);
	sigset_t none;

	sigemptyset(&none);
	while (hits < n && now_ms(CLOCK_MONOTONIC) - t0 < 5000)
		sigsuspend(&none);
	return hits >= n;
}

static void test_signal(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
			       .sigev_value.sival_ptr = &marker };
	struct itimerspec v = spec(200 * MS, 0), got;
	sigset_t s = only(SIGUSR1);
	timer_t id;

	sigprocmask(SIG_BLOCK, &s, NULL);	/* only sigsuspend takes it */
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == 0, "timer_create(CLOCK_MONOTONIC, SIGEV_SIGNAL)");
	ok(timer_gettime(id, &got) == 0 && !got.it_value.tv_sec && !got.it_value.tv_nsec,
	   "a new timer is disarmed");
	ok(timer_settime(id, 0, &v, NULL) == 0, "armed: 200 ms, one shot");
	ok(timer_gettime(id, &got) == 0 && got.it_value.tv_sec == 0 &&
	   got.it_value.tv_nsec > 0 && got.it_value.tv_nsec <= 200 * MS && !got.it_interval.tv_nsec,
	   "timer_gettime: the time left");
	ok(wait_hits(1) && got_code == SI_TIMER && got_ptr == &marker &&
	   got_timerid == (int)(intptr_t)id && got_overrun == 0,
	   "the signal: SI_TIMER, sigev_value, si_timerid, no overrun");
	ok(timer_gettime(id, &got) == 0 && !got.it_value.tv_sec && !got.it_value.tv_nsec,
	   "expired: disarmed");

	hits = 0;
	v = spec(10 * MS, 10 * MS);
	ok(timer_settime(id, 0, &v, NULL) == 0 && wait_hits(5), "periodic: every 10 ms, five signals");
	ok(timer_gettime(id, &got) == 0 && got.it_interval.tv_nsec == 10 * MS &&
	   got.it_value.tv_nsec > 0 && got.it_value.tv_nsec <= 10 * MS,
	   "timer_gettime: the period and the time to the next");
	v = spec(0, 0);
	ok(timer_settime(id, 0, &v, &got) == 0 && got.it_interval.tv_nsec == 10 * MS,
	   "disarm: the old value comes back");
	ok(timer_delete(id) == 0 && timer_delete(id) == -1 && errno == EINVAL,
	   "timer_delete; a second time: EINVAL");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void test_overrun(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 3,
			       .sigev_value.sival_int = 42 };
	struct itimerspec v = spec(20 * MS, 20 * MS);
	sigset_t s = only(SIGRTMIN + 3);
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	timer_t id;
	int first;

	sigprocmask(SIG_BLOCK, &s, NULL);
	timer_create(CLOCK_MONOTONIC, &ev, &id);
	timer_settime(id, 0, &v, NULL);
	sleep_ms(150);
	ok(sigtimedwait(&s, &si, &zero) == SIGRTMIN + 3 && si.si_code == SI_TIMER &&
	   si.si_value.sival_int == 42, "blocked for 150 ms: its signal is pending");
	first = si.si_overrun;
	ok(first >= 5, "queued once: si_overrun counts the periods since (>= 5)");
	ok(timer_getoverrun(id) == first, "timer_getoverrun says the same");
	zero.tv_sec = 5;
	ok(sigtimedwait(&s, &si, &zero) == SIGRTMIN + 3 && si.si_code == SI_TIMER,
	   "and the timer goes on once it is taken");
	v = spec(0, 0);
	timer_settime(id, 0, &v, NULL);
	v = spec(5 * MS, 0);
	timer_settime(id, 0, &v, NULL);
	sleep_ms(30);
	ok(timer_delete(id) == 0, "deleted with its signal pending");
	/*
	 * Whether that signal stays pending depends on the kernel (6.18 drops
	 * it, Debian 12's 6.1 still delivers it) and the native run is the
	 * oracle: take it if it is there, checking nothing.
	 */
	zero.tv_sec = 0;
	sigtimedwait(&s, &si, &zero);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void test_none_and_clocks(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	struct sigevent sig = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec v = spec(1000 * MS, 0), got;
	sigset_t s = only(SIGUSR1);
	struct timespec rt;
	long long t0;
	timer_t id;

	hits = 0;
	sigprocmask(SIG_BLOCK, &s, NULL);	/* only sigsuspend takes it */

	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == 0 && timer_settime(id, 0, &v, NULL) == 0,
	   "SIGEV_NONE: armed for 1 s");
	sleep_ms(20);
	ok(timer_gettime(id, &got) == 0 && got.it_value.tv_sec == 0 &&
	   got.it_value.tv_nsec > 0 && got.it_value.tv_nsec < 990 * MS && hits == 0,
	   "its time left runs down; no signal");
	v = spec(10 * MS, 10 * MS);
	timer_settime(id, 0, &v, NULL);
	sleep_ms(35);
	ok(timer_gettime(id, &got) == 0 && got.it_value.tv_sec == 0 &&
	   got.it_value.tv_nsec > 0 && got.it_value.tv_nsec <= 10 * MS,
	   "periodic SIGEV_NONE: the time to its next period");
	timer_delete(id);

	ok(timer_create(CLOCK_REALTIME, &sig, &id) == 0, "timer_create(CLOCK_REALTIME)");
	clock_gettime(CLOCK_REALTIME, &rt);
	rt.tv_nsec += 50 * MS;
	if (rt.tv_nsec >= 1000000000) {
		rt.tv_sec++;
		rt.tv_nsec -= 1000000000;
	}
	v = (struct itimerspec){ { 0, 0 }, rt };
	t0 = now_ms(CLOCK_MONOTONIC);
	ok(timer_settime(id, TIMER_ABSTIME, &v, NULL) == 0 && wait_hits(1) &&
	   now_ms(CLOCK_MONOTONIC) - t0 >= 40, "TIMER_ABSTIME: fires at that realtime");
	rt.tv_sec -= 10;
	v = (struct itimerspec){ { 0, 0 }, rt };
	ok(timer_settime(id, TIMER_ABSTIME, &v, NULL) == 0 && wait_hits(2),
	   "an absolute time past: at once");
	timer_delete(id);
	ok(timer_create(CLOCK_BOOTTIME, &sig, &id) == 0 && timer_delete(id) == 0,
	   "CLOCK_BOOTTIME");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void test_errors(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec v = spec(0, 0), got;
	timer_t id, bogus = (timer_t)(intptr_t)12345;
	int st;
	pid_t pid;

	ok(timer_settime(bogus, 0, &v, NULL) == -1 && errno == EINVAL &&
	   timer_gettime(bogus, &got) == -1 && errno == EINVAL &&
	   timer_getoverrun(bogus) == -1 && errno == EINVAL,
	   "an unknown timer: EINVAL (settime, gettime, getoverrun)");
	ev.sigev_notify = 99;
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL, "bad sigev_notify: EINVAL");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 0;
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL, "signal 0: EINVAL");
	ev.sigev_signo = 65;
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL, "signal 65: EINVAL");
	ok(timer_create(CLOCK_MONOTONIC_RAW, NULL, &id) == -1 && errno == EOPNOTSUPP,
	   "CLOCK_MONOTONIC_RAW: EOPNOTSUPP");
	ok(timer_create(99, NULL, &id) == -1 && errno == EINVAL, "an unknown clock: EINVAL");

	pid = fork();
	if (pid == 0)
		_exit(0);
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_notify_thread_id = pid;
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL,
	   "SIGEV_THREAD_ID to another process's thread: EINVAL");
	waitpid(pid, &st, 0);

	ok(timer_create(CLOCK_MONOTONIC, NULL, &id) == 0, "no sigevent: SIGALRM with the id");
	v.it_value.tv_nsec = 1000000000;
	ok(timer_settime(id, 0, &v, NULL) == -1 && errno == EINVAL, "tv_nsec of 1 s: EINVAL");
	v = spec(1000 * MS, 0);
	timer_settime(id, 0, &v, NULL);
	pid = fork();
	if (pid == 0)
		_exit(timer_gettime(id, &got) == -1 && errno == EINVAL ? 0 : 1);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork does not inherit timers");
	pid = fork();
	if (pid == 0) {
		char arg[32];

		snprintf(arg, sizeof(arg), "%d", (int)(intptr_t)id);
		execl(argv0, argv0, "after-exec", arg, (char *)NULL);
		_exit(2);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "execve deletes them (a kept one would SIGALRM the new program)");
	timer_delete(id);
}

/* In the exec'd child of test_errors: the timer must be gone. */
static int after_exec(int id)
{
	struct itimerspec got;

	return syscall(SYS_timer_gettime, id, &got) == -1 && errno == EINVAL ? 0 : 1;
}

static pid_t thread_tid;
static volatile sig_atomic_t thread_code, thread_hits;
static sem_t ready;

static void *thread_waiter(void *arg)
{
	sigset_t s = only(SIGUSR2);
	struct timespec ts = { 5, 0 };
	siginfo_t si;

	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	sem_post(&ready);
	if (sigtimedwait(&s, &si, &ts) == SIGUSR2) {
		thread_hits++;
		thread_code = si.si_code;
	}
	return NULL;
}

static void test_thread_id(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR2 };
	struct itimerspec v = spec(20 * MS, 0);
	sigset_t s = only(SIGUSR2), pend;
	pthread_t th;
	timer_t id;

	sigprocmask(SIG_BLOCK, &s, NULL);	/* the thread inherits it */
	sem_init(&ready, 0, 0);
	pthread_create(&th, NULL, thread_waiter, NULL);
	sem_wait(&ready);
	ev.sigev_notify_thread_id = thread_tid;
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == 0 && timer_settime(id, 0, &v, NULL) == 0,
	   "SIGEV_THREAD_ID: a timer for one thread");
	pthread_join(th, NULL);
	ok(thread_hits == 1 && thread_code == SI_TIMER, "that thread takes the signal");
	sigpending(&pend);
	ok(!sigismember(&pend, SIGUSR2), "and nothing is left for the others");
	timer_delete(id);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static sem_t ran;
static volatile int thread_value, threads_ok = 1;
static pthread_t main_thread;

static void on_expire(union sigval sv)
{
	thread_value = sv.sival_int;
	if (pthread_equal(pthread_self(), main_thread))
		threads_ok = 0;
	sem_post(&ran);
}

static void test_sigev_thread(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_expire,
			       .sigev_value.sival_int = 77 };
	struct itimerspec v = spec(10 * MS, 10 * MS);
	struct timespec deadline;
	int runs = 0;
	timer_t id;

	main_thread = pthread_self();
	sem_init(&ran, 0, 0);
	ok(timer_create(CLOCK_MONOTONIC, &ev, &id) == 0 && timer_settime(id, 0, &v, NULL) == 0,
	   "SIGEV_THREAD (glibc): every 10 ms");
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	while (runs < 3 && sem_timedwait(&ran, &deadline) == 0)
		runs++;
	ok(runs == 3 && thread_value == 77 && threads_ok,
	   "the function runs in another thread with sigev_value, each period");
	ok(timer_delete(id) == 0, "timer_delete");
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc == 3 && !strcmp(argv[1], "after-exec"))
		return after_exec(atoi(argv[2]));
	argv0 = argv[0];
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	test_signal();
	test_overrun();
	test_none_and_clocks();
	test_errors();
	test_thread_id();
	test_sigev_thread();
	return tap_done();
}

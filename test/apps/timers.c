// SPDX-License-Identifier: Apache-2.0
/*
 * timers.c: alarm(2), setitimer/getitimer(ITIMER_REAL): SIGALRM ends
 * pause and sleeps, fires periodically under a spinning loop (no syscall
 * to stop at), the default action kills, fork does not inherit it;
 * timerfd: blocking and non-blocking reads of the expiration count, poll,
 * absolute CLOCK_REALTIME deadlines, gettime, disarming.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void test_alarm(void)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	long long t0;

	ok(alarm(2) == 0, "alarm: no earlier alarm");
	ok(alarm(1) == 2, "alarm: the earlier one's seconds left");
	t0 = now_ms();
	pause();
	ok(alarms == 1 && now_ms() - t0 >= 900, "pause ends with SIGALRM after ~1 s");
	ok(alarm(0) == 0, "and it is gone");
	alarm(1);
	ok(nanosleep(&req, &rem) == -1 && errno == EINTR && rem.tv_sec >= 3,
	   "a 5 s nanosleep ends early with EINTR and the time left");
}

static void test_itimer(void)
{
	struct itimerval v = { { 0, 20000 }, { 0, 30000 } }, got, off = { { 0, 0 }, { 0, 0 } };
	long long t0 = now_ms();

	alarms = 0;
	ok(setitimer(ITIMER_REAL, &v, NULL) == 0, "setitimer: 30 ms, then every 20 ms");
	ok(getitimer(ITIMER_REAL, &got) == 0 && got.it_interval.tv_usec == 20000 &&
	   got.it_value.tv_sec == 0 && got.it_value.tv_usec > 0 &&
	   got.it_value.tv_usec <= 30000, "getitimer: the interval and the time left");
	while (alarms < 5 && now_ms() - t0 < 5000)
		;	/* spin: only a timer interrupt can stop this */
	ok(alarms == 5, "five SIGALRMs while spinning");
	ok(setitimer(ITIMER_REAL, &off, &got) == 0 && got.it_interval.tv_usec == 20000,
	   "disarm: the old value comes back");
	ok(getitimer(ITIMER_REAL, &got) == 0 && got.it_value.tv_sec == 0 &&
	   got.it_value.tv_usec == 0, "disarmed");
	v.it_value.tv_usec = 1000000;
	ok(setitimer(ITIMER_REAL, &v, NULL) == -1 && errno == EINVAL, "usec >= 1 s: EINVAL");
	ok(setitimer(99, &off, NULL) == -1 && errno == EINVAL, "an unknown timer: EINVAL");
}

static void test_processes(void)
{
	struct itimerval got;
	int st = 0;
	pid_t pid;

	alarm(10);
	pid = fork();
	if (pid == 0) {
		getitimer(ITIMER_REAL, &got);
		if (got.it_value.tv_sec || got.it_value.tv_usec)
			_exit(1);	/* inherited */
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		pause();
		_exit(2);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM,
	   "a child's own alarm kills it (default action); fork did not inherit ours");
	ok(alarm(0) >= 8, "ours still runs");
}

static void test_timerfd(void)
{
	struct itimerspec v = { { 0, 20000000 }, { 0, 30000000 } }, got;
	struct pollfd pfd;
	struct timespec rt;
	uint64_t n = 0;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), p[2];

	ok(fd >= 0, "timerfd_create(CLOCK_MONOTONIC)");
	ok(timerfd_settime(fd, 0, &v, NULL) == 0, "timerfd: 30 ms, then every 20 ms");
	ok(timerfd_gettime(fd, &got) == 0 && got.it_interval.tv_nsec == 20000000 &&
	   got.it_value.tv_nsec > 0 && got.it_value.tv_nsec <= 30000000, "timerfd_gettime");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 0) == 0, "not readable before it expires");
	ok(read(fd, &n, sizeof(n)) == 8 && n >= 1, "a read waits for the first expiration");
	usleep(70000);
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "then readable (poll)");
	ok(read(fd, &n, sizeof(n)) == 8 && n >= 2, "the count of expirations since");
	ok(read(fd, &n, 4) == -1 && errno == EINVAL, "a read of less than 8 bytes: EINVAL");
	v = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
	ok(timerfd_settime(fd, 0, &v, &got) == 0 && got.it_interval.tv_nsec == 20000000,
	   "disarm: the old value comes back");
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	clock_gettime(CLOCK_REALTIME, &rt);
	v = (struct itimerspec){ { 0, 0 }, { rt.tv_sec + 1, rt.tv_nsec } };
	ok(fd >= 0 && timerfd_settime(fd, TFD_TIMER_ABSTIME, &v, NULL) == 0,
	   "CLOCK_REALTIME, absolute: in 1 s");
	ok(read(fd, &n, sizeof(n)) == -1 && errno == EAGAIN, "TFD_NONBLOCK: EAGAIN before");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 3000) == 1 && read(fd, &n, sizeof(n)) == 8 && n == 1,
	   "poll wakes at the deadline; one expiration");
	close(fd);
	ok(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0) == -1 && errno == EINVAL,
	   "a CPU-time clock: EINVAL");
	ok(pipe(p) == 0 && timerfd_gettime(p[0], &got) == -1 && errno == EINVAL,
	   "timerfd_gettime on a pipe: EINVAL");
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	test_alarm();
	test_itimer();
	test_processes();
	test_timerfd();
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * jobctl.c: job control. SIGSTOP stops a child (all its threads: shared
 * counters stay still) until SIGCONT; wait4 with WUNTRACED / WCONTINUED
 * and waitid with WSTOPPED / WCONTINUED report each once (WNOWAIT keeps
 * it); SIGKILL kills a stopped child; the parent's SIGCHLD says
 * CLD_STOPPED / CLD_CONTINUED unless SA_NOCLDSTOP; SIGTSTP stops with its
 * default action only, not in an orphaned process group; SIGCONT discards
 * a pending stop signal; a read a stop interrupted goes on after SIGCONT,
 * and a nanosleep only until its first deadline; a group that an exit
 * orphans with a stopped member gets SIGHUP and SIGCONT.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile long *counters;	/* MAP_SHARED: the children count here */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Wait up to 5 s until counters[i] differs from @from. */
static int moves(int i, long from)
{
	for (int n = 0; n < 500 && counters[i] == from; n++)
		sleep_ms(10);
	return counters[i] != from;
}

static void *spin(void *arg)
{
	volatile long *c = arg;

	for (;;)
		(*c)++;
	return NULL;
}

/* A child that counts in counters[0] (and counters[1] in a second thread). */
static pid_t spinner(int threads)
{
	pid_t pid = fork();
	pthread_t th;

	if (pid == 0) {
		if (threads > 1)
			pthread_create(&th, NULL, spin, (void *)&counters[1]);
		spin((void *)&counters[0]);
	}
	return pid;
}

/* The state letter of /proc/PID/stat, or '?'. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static void test_stop_continue(void)
{
	long c0, c1;
	int st;
	pid_t pid;

	counters[0] = counters[1] = 0;
	pid = spinner(2);
	ok(moves(0, 0) && moves(1, 0), "a child with two threads counts in shared memory");
	kill(pid, SIGSTOP);
	ok(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	   "SIGSTOP: waitpid(WUNTRACED) sees WIFSTOPPED, WSTOPSIG SIGSTOP");
	c0 = counters[0];
	c1 = counters[1];
	sleep_ms(50);
	ok(counters[0] == c0 && counters[1] == c1, "stopped: neither thread runs");
	ok(proc_state(pid) == 'T', "/proc/PID/stat says T");
	ok(waitpid(pid, &st, WUNTRACED | WNOHANG) == 0, "the stop is reported once");
	kill(pid, SIGCONT);
	ok(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	   "SIGCONT: waitpid(WCONTINUED) sees WIFCONTINUED");
	ok(moves(0, c0) && moves(1, c1), "both threads count again");
	ok(waitpid(pid, &st, WCONTINUED | WNOHANG) == 0, "the continue is reported once");
	ok(waitpid(pid, &st, WNOHANG) == 0, "and without WUNTRACED/WCONTINUED neither shows");

	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGKILL);
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	   "SIGKILL kills a stopped child");
}

static void test_sigchld_and_waitid(void)
{
	sigset_t chld;
	struct timespec zero = { 0, 0 }, five = { 5, 0 };
	struct sigaction sa;
	siginfo_t si;
	int st;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	counters[0] = 0;
	pid = spinner(1);
	moves(0, 0);
	kill(pid, SIGSTOP);
	if (!ok(sigtimedwait(&chld, &si, &five) == SIGCHLD && si.si_code == CLD_STOPPED &&
		si.si_pid == pid && si.si_status == SIGSTOP, "SIGCHLD: CLD_STOPPED, the signal"))
		diag("si_code %d si_pid %d (child %d) si_status %d", si.si_code, si.si_pid,
		     (int)pid, si.si_status);
	memset(&si, 0, sizeof(si));
	ok(waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT) == 0 && si.si_code == CLD_STOPPED &&
	   si.si_status == SIGSTOP && si.si_pid == pid, "waitid(WSTOPPED | WNOWAIT): CLD_STOPPED");
	memset(&si, 0, sizeof(si));
	ok(waitid(P_PID, pid, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED,
	   "WNOWAIT left it to report again");
	memset(&si, 0, sizeof(si));
	ok(waitid(P_PID, pid, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0,
	   "then it is gone");
	kill(pid, SIGCONT);
	ok(sigtimedwait(&chld, &si, &five) == SIGCHLD && si.si_code == CLD_CONTINUED &&
	   si.si_pid == pid && si.si_status == SIGCONT, "SIGCHLD: CLD_CONTINUED, SIGCONT");
	memset(&si, 0, sizeof(si));
	ok(waitid(P_PID, pid, &si, WCONTINUED) == 0 && si.si_code == CLD_CONTINUED &&
	   si.si_status == SIGCONT, "waitid(WCONTINUED): CLD_CONTINUED");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	kill(pid, SIGSTOP);
	ok(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	   sigtimedwait(&chld, &si, &zero) == -1 && errno == EAGAIN,
	   "SA_NOCLDSTOP: no SIGCHLD for a stop; wait still sees it");
	kill(pid, SIGCONT);
	ok(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st) &&
	   sigtimedwait(&chld, &si, &zero) == -1 && errno == EAGAIN, "nor for a continue");
	sa.sa_flags = 0;
	sigaction(SIGCHLD, &sa, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	sigtimedwait(&chld, &si, &zero);	/* the exit's */
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
}

static void on_tstp(int sig)
{
	(void)sig;
}

/* A child in a process group of its own runs @fn; its status. */
static int child_status(int (*fn)(void), int stop_with)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (stop_with) {
		if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) ||
		    WSTOPSIG(st) != stop_with)
			return -1;
		kill(pid, SIGCONT);
	}
	waitpid(pid, &st, 0);
	return st;
}

static int tstp_default(void)
{
	setpgid(0, 0);	/* its parent is in another group of the session: not orphaned */
	raise(SIGTSTP);
	return 3;	/* after SIGCONT */
}

static int tstp_handled(void)
{
	setpgid(0, 0);
	signal(SIGTSTP, on_tstp);
	raise(SIGTSTP);
	return 4;
}

static int tstp_orphaned(void)
{
	setsid();	/* a session of its own: its group is orphaned */
	raise(SIGTSTP);
	raise(SIGTTIN);
	raise(SIGTTOU);
	return 5;
}

static int stop_orphaned(void)
{
	setsid();
	raise(SIGSTOP);	/* SIGSTOP still stops */
	return 6;
}

static void test_tstp(void)
{
	int st;

	st = child_status(tstp_default, SIGTSTP);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
	   "SIGTSTP's default stops; it goes on after SIGCONT");
	st = child_status(tstp_handled, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 4, "a SIGTSTP handler runs instead: no stop");
	st = child_status(tstp_orphaned, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 5,
	   "SIGTSTP, SIGTTIN, SIGTTOU do not stop an orphaned process group");
	st = child_status(stop_orphaned, SIGSTOP);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 6, "SIGSTOP does");
}

static void test_discard_and_restart(void)
{
	int to[2], from[2], st;
	sigset_t tstp;
	char c;
	pid_t pid;

	pipe(to);
	pipe(from);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		sigemptyset(&tstp);
		sigaddset(&tstp, SIGTSTP);
		sigprocmask(SIG_BLOCK, &tstp, NULL);
		write(from[1], "r", 1);
		read(to[0], &c, 1);
		sigprocmask(SIG_UNBLOCK, &tstp, NULL);	/* no SIGTSTP left to stop it */
		_exit(7);
	}
	read(from[0], &c, 1);
	kill(pid, SIGTSTP);	/* blocked: pending */
	kill(pid, SIGCONT);	/* discards it */
	write(to[1], "g", 1);
	ok(waitpid(pid, &st, WUNTRACED) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	   "SIGCONT discards a pending SIGTSTP");

	pid = fork();
	if (pid == 0) {
		ssize_t n = read(to[0], &c, 1);	/* stopped in here */

		_exit(n == 1 ? c : 100 + errno);
	}
	sleep_ms(20);
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	fcntl(to[0], F_SETFL, O_NONBLOCK);
	write(to[1], "x", 1);
	sleep_ms(20);
	ok(read(to[0], &c, 1) == 1 && c == 'x', "a child stopped in read(2) takes nothing");
	write(to[1], "z", 1);
	kill(pid, SIGCONT);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 'z',
	   "after SIGCONT its read goes on and returns the data");
	close(to[0]);
	close(to[1]);
	close(from[0]);
	close(from[1]);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void nop(int sig)
{
	(void)sig;
}

/* A nanosleep stopped and continued ends at its first deadline, without EINTR. */
static void test_sleep_restart(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec req = { 0, 400000000 };
		long long t0 = now_ms(), ms;
		int r = nanosleep(&req, NULL);

		ms = now_ms() - t0;
		if (r)
			_exit(1);
		_exit(ms < 600 ? 2 : ms > 900 ? 3 : 0);
	}
	sleep_ms(50);
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	sleep_ms(600);
	kill(pid, SIGCONT);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a 400 ms nanosleep stopped for 600 ms returns 0 right after SIGCONT");

	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = nop, .sa_flags = SA_RESTART };
		struct timespec req = { 2, 0 }, rem = { 0, 0 };

		sigaction(SIGUSR1, &sa, NULL);
		_exit(nanosleep(&req, &rem) == -1 && errno == EINTR && rem.tv_sec >= 1 ? 0 : 1);
	}
	sleep_ms(50);
	kill(pid, SIGUSR1);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a handled signal ends it with EINTR and the time left, SA_RESTART or not");
}

static int hup_pipe = -1;

static void note_sig(int sig)
{
	char c = sig == SIGHUP ? 'H' : 'C';

	write(hup_pipe, &c, 1);
}

/*
 * In a session of its own, a leader whose child leads another group;
 * the child stops, the leader exits: the child's group is orphaned.
 */
static void test_orphan_hup(void)
{
	struct sigaction sa;
	int p[2], st, n = 0;
	char buf[4] = "";
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		pid_t child;

		setsid();
		child = fork();
		if (child == 0) {
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = note_sig;
			hup_pipe = p[1];
			sigaction(SIGHUP, &sa, NULL);
			sigaction(SIGCONT, &sa, NULL);
			setpgid(0, 0);
			raise(SIGSTOP);
			sleep_ms(100);	/* both handlers have run */
			_exit(0);
		}
		waitpid(child, &st, WUNTRACED);
		_exit(WIFSTOPPED(st) ? 0 : 1);
	}
	close(p[1]);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a session leader exits while its child's own group is stopped");
	for (struct pollfd pfd = { p[0], POLLIN, 0 };
	     n < 2 && poll(&pfd, 1, 3000) == 1 && read(p[0], buf + n, 1) == 1;)
		n++;
	close(p[0]);
	ok(n == 2 && strchr(buf, 'H') && strchr(buf, 'C'),
	   "the orphaned group gets SIGHUP and SIGCONT");
}

int main(void)
{
	counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counters == MAP_FAILED)
		return 2;
	test_stop_continue();
	test_sigchld_and_waitid();
	test_tstp();
	test_discard_and_restart();
	test_sleep_restart();
	test_orphan_hup();
	return tap_done();
}

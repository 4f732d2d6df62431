// SPDX-License-Identifier: Apache-2.0
/*
 * signalfd.c: signalfd4/signalfd: flags, reads of blocked pending signals
 * (process-directed and thread-directed, dequeued by the read, several
 * per read), a blocking read woken by another process, poll and epoll
 * readiness, changing the mask of an existing fd, SIGCHLD's pid and
 * status, a thread's own signals, a forked child reading its own; errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

static sigset_t set_of(int a, int b, int c)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	if (c)
		sigaddset(&s, c);
	return s;
}

/* One record from @fd: 1 with it in *@si, 0 none, -1 error (errno). */
static int read_one(int fd, struct signalfd_siginfo *si)
{
	ssize_t n = read(fd, si, sizeof(*si));

	return n == sizeof(*si) ? 1 : n < 0 ? -1 : 0;
}

static int is_pending(int sig)
{
	sigset_t s;

	sigpending(&s);
	return sigismember(&s, sig);
}

static void test_basics(void)
{
	sigset_t m = set_of(SIGUSR1, SIGUSR2, SIGRTMIN + 1);
	struct signalfd_siginfo si[8];
	struct pollfd pfd;
	int fd, p[2];

	sigprocmask(SIG_BLOCK, &m, NULL);
	m = set_of(SIGUSR1, 0, 0);
	fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	ok(fd >= 0, "signalfd(-1, {USR1}, SFD_NONBLOCK | SFD_CLOEXEC)");
	ok(fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_NONBLOCK),
	   "the flags: close-on-exec, non-blocking");
	ok(read_one(fd, si) == -1 && errno == EAGAIN, "nothing pending: EAGAIN");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 0) == 0, "and poll says not readable");

	raise(SIGUSR1);
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "a pending blocked SIGUSR1: POLLIN");
	ok(read_one(fd, si) == 1 && si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_TKILL &&
	   si[0].ssi_pid == (uint32_t)getpid() && si[0].ssi_uid == getuid(),
	   "raise (thread-directed): signo, SI_TKILL, pid, uid");
	ok(!is_pending(SIGUSR1), "the read took it: no longer pending");
	kill(getpid(), SIGUSR1);
	ok(read_one(fd, si) == 1 && si[0].ssi_signo == SIGUSR1 && si[0].ssi_code == SI_USER &&
	   si[0].ssi_pid == (uint32_t)getpid(), "kill (process-directed): SI_USER");
	kill(getpid(), SIGUSR1);
	ok(read(fd, si, sizeof(si[0]) - 1) == -1 && errno == EINVAL,
	   "a buffer smaller than one record: EINVAL");

	kill(getpid(), SIGUSR2);
	ok(read_one(fd, si) == 1 && si[0].ssi_signo == SIGUSR1 && read_one(fd, si) == -1 &&
	   errno == EAGAIN && is_pending(SIGUSR2), "a signal outside the mask is left pending");
	m = set_of(SIGUSR1, SIGUSR2, SIGRTMIN + 1);
	ok(signalfd(fd, &m, 0) == fd, "signalfd on the fd again changes its mask, same fd");
	ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "and keeps its flags");
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGRTMIN + 1);
	kill(getpid(), SIGUSR1);
	ok(read(fd, si, sizeof(si)) == 4 * (ssize_t)sizeof(si[0]) &&
	   si[0].ssi_signo == SIGUSR1 && si[1].ssi_signo == SIGUSR2 &&
	   si[2].ssi_signo == (uint32_t)SIGRTMIN + 1 && si[3].ssi_signo == (uint32_t)SIGRTMIN + 1,
	   "one read takes all four pending (lowest first; real-time ones queued)");

	m = set_of(SIGUSR1, 0, 0);
	ok(signalfd(-1, &m, 0x4) == -1 && errno == EINVAL, "unknown flags: EINVAL");
	ok(syscall(SYS_signalfd4, -1, &m, 4, 0) == -1 && errno == EINVAL,
	   "a sigset size other than 8: EINVAL");
	ok(pipe(p) == 0 && signalfd(p[0], &m, 0) == -1 && errno == EINVAL,
	   "on an fd that is not a signalfd: EINVAL");
	close(p[1]);
	close(p[0]);
	ok(signalfd(p[0], &m, 0) == -1 && errno == EBADF, "on a closed fd: EBADF");
	close(fd);
}

static void test_blocking_and_polling(void)
{
	sigset_t m = set_of(SIGUSR1, SIGUSR2, 0);
	struct signalfd_siginfo si;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct pollfd pfd;
	pid_t me = getpid(), pid;
	int fd = signalfd(-1, &m, 0), ep, st;

	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(me, SIGUSR2);
		_exit(0);
	}
	ok(read_one(fd, &si) == 1 && si.ssi_signo == SIGUSR2 && si.ssi_pid == (uint32_t)pid,
	   "a blocking read waits for another process's kill");
	waitpid(pid, &st, 0);

	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		kill(me, SIGUSR1);
		_exit(0);
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 5000) == 1 && pfd.revents == POLLIN, "poll waits until one is pending");
	waitpid(pid, &st, 0);
	ok(read_one(fd, &si) == 1 && si.ssi_signo == SIGUSR1, "and the read takes it");

	ep = epoll_create1(0);
	ev.data.u32 = 7;
	ok(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 && epoll_wait(ep, &got, 1, 0) == 0,
	   "epoll: not ready while nothing is pending");
	kill(getpid(), SIGUSR2);
	ok(epoll_wait(ep, &got, 1, 0) == 1 && got.events == EPOLLIN && got.data.u32 == 7,
	   "ready once a signal is");
	read_one(fd, &si);
	ok(epoll_wait(ep, &got, 1, 0) == 0, "not ready once read");
	close(ep);
	close(fd);
}

static void test_sigchld(void)
{
	sigset_t m = set_of(SIGCHLD, 0, 0);
	struct signalfd_siginfo si;
	int fd, st;
	pid_t pid;

	sigprocmask(SIG_BLOCK, &m, NULL);
	fd = signalfd(-1, &m, 0);
	pid = fork();
	if (pid == 0)
		_exit(5);
	ok(read_one(fd, &si) == 1 && si.ssi_signo == SIGCHLD && si.ssi_code == CLD_EXITED &&
	   si.ssi_pid == (uint32_t)pid && si.ssi_status == 5 && si.ssi_uid == getuid(),
	   "SIGCHLD: CLD_EXITED, the child's pid and exit code");
	ok(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 5, "the child is still there to reap");

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	ok(read_one(fd, &si) == 1 && si.ssi_code == CLD_KILLED && si.ssi_pid == (uint32_t)pid &&
	   si.ssi_status == SIGTERM, "a child killed by SIGTERM: CLD_KILLED, the signal");
	waitpid(pid, &st, 0);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
}

static sem_t raised, go;
static int thread_fd, thread_got;

static void *thread_reader(void *arg)
{
	struct signalfd_siginfo si;

	(void)arg;
	raise(SIGUSR1);		/* to this thread alone */
	sem_post(&raised);
	sem_wait(&go);
	thread_got = read_one(thread_fd, &si) == 1 && si.ssi_signo == SIGUSR1 &&
		     si.ssi_code == SI_TKILL;
	return NULL;
}

static void test_threads_and_fork(void)
{
	sigset_t m = set_of(SIGUSR1, 0, 0);
	struct signalfd_siginfo si;
	pthread_t th;
	int st;
	pid_t pid;

	thread_fd = signalfd(-1, &m, SFD_NONBLOCK);
	sem_init(&raised, 0, 0);
	sem_init(&go, 0, 0);
	pthread_create(&th, NULL, thread_reader, NULL);
	sem_wait(&raised);
	ok(read_one(thread_fd, &si) == -1 && errno == EAGAIN,
	   "another thread's own signal is not this thread's to read");
	sem_post(&go);
	pthread_join(th, NULL);
	ok(thread_got, "that thread reads it from the same fd");

	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGUSR1);
		_exit(read_one(thread_fd, &si) == 1 && si.ssi_pid == (uint32_t)getpid() ? 0 : 1);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a forked child reads its own signals from the inherited fd");
	ok(read_one(thread_fd, &si) == -1 && errno == EAGAIN, "and the parent has none");
	close(thread_fd);
}

int main(void)
{
	test_basics();
	test_blocking_and_polling();
	test_sigchld();
	test_threads_and_fork();
	return tap_done();
}

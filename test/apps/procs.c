// SPDX-License-Identifier: Apache-2.0
/*
 * procs.c: processes: fork, wait4/waitpid/waitid with their options, exit
 * statuses and signals, execve, vfork, blocking pipes between processes,
 * process groups and sessions.
 */
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <linux/futex.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Fork a child that runs @fn(@arg) and exits with its result. */
static pid_t spawn(int (*fn)(int), int arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

static int ret_arg(int arg)
{
	return arg;
}

static int sleep_then(int code)
{
	nap_ms(30);
	return code;
}

static int pause_forever(int unused)
{
	(void)unused;
	for (;;)
		pause();
	return 0;
}

static int status_of(pid_t pid)
{
	int st = -1;

	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void test_fork_wait(void)
{
	pid_t me = getpid(), pid;
	int st, fds[2];
	char buf[16] = "";

	pid = spawn(ret_arg, 7);
	st = status_of(pid);
	ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7, "a child's exit code reaches waitpid");
	ok(waitpid(pid, &st, 0) == -1 && errno == ECHILD, "a reaped child is gone (ECHILD)");
	ok(wait(NULL) == -1 && errno == ECHILD, "wait with no children is ECHILD");

	pid = spawn(sleep_then, 3);
	ok(waitpid(pid, &st, WNOHANG) == 0, "WNOHANG on a running child returns 0");
	ok(waitpid(-1, &st, 0) == pid && WEXITSTATUS(st) == 3, "waitpid(-1) waits for the child");

	if (pipe(fds) == 0 && (pid = fork()) == 0) {
		char msg[16];
		int n = snprintf(msg, sizeof(msg), "%d", getppid() == me);

		write(fds[1], msg, (size_t)n);
		_exit(0);
	}
	close(fds[1]);
	ok(read(fds[0], buf, sizeof(buf) - 1) == 1 && buf[0] == '1', "the child's getppid is the parent");
	close(fds[0]);
	status_of(pid);
}

static void test_signals(void)
{
	pid_t pid;
	int st;

	pid = spawn(pause_forever, 0);
	nap_ms(10);
	ok(kill(pid, SIGTERM) == 0, "kill a child");
	st = status_of(pid);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "it died of SIGTERM");

	pid = spawn(pause_forever, 0);
	kill(pid, SIGKILL);
	st = status_of(pid);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL kills");
	ok(kill(pid, 0) == -1 && errno == ESRCH, "a reaped pid is ESRCH");
	ok(kill(getpid(), 0) == 0, "kill(self, 0) checks only");
}

static int write_to_closed_pipe(int unused)
{
	int fds[2];

	(void)unused;
	if (pipe(fds))
		return 1;
	close(fds[0]);
	write(fds[1], "x", 1);
	return 2;	/* not reached: SIGPIPE */
}

static void test_pipes(void)
{
	int fds[2], st;
	char buf[8192];
	ssize_t n, total = 0;
	pid_t pid;

	st = status_of(spawn(write_to_closed_pipe, 0));
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "writing to a pipe with no reader is SIGPIPE");

	signal(SIGPIPE, SIG_IGN);
	pipe(fds);
	close(fds[0]);
	ok(write(fds[1], "x", 1) == -1 && errno == EPIPE, "with SIGPIPE ignored it is EPIPE");
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);

	/* the reader blocks until a slow writer writes; 200 KiB pass a 64 KiB pipe */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		nap_ms(20);
		memset(buf, 'a', sizeof(buf));
		for (int i = 0; i < 25; i++)
			if (write(fds[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += n;
	close(fds[0]);
	st = status_of(pid);
	ok(n == 0 && total == 25 * 8192 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a blocking reader gets all of a slow writer's data, then EOF");
}

static void test_exec(void)
{
	char *argv[] = { "/apps/exit_code", "42", NULL };
	char *env[] = { NULL };
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, env);
		_exit(99);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 42, "fork + execve runs the program");

	pid = vfork();
	if (pid == 0) {
		execve(argv[0], argv, env);
		_exit(99);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 42, "vfork + execve runs the program");

	pid = fork();
	if (pid == 0) {
		char *bad[] = { "/nope", NULL };

		execve(bad[0], bad, env);
		_exit(errno == ENOENT ? 5 : 6);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 5, "execve of a missing file is ENOENT");
}

/* execveat(@dirfd, @path, .., @flags) in a child: its exit status, or 100 + errno. */
static int execveat_status(int dirfd, const char *path, int flags)
{
	char *argv[] = { "exit_code", "43", NULL };
	char *env[] = { NULL };
	pid_t pid = fork();

	if (pid == 0) {
		syscall(SYS_execveat, dirfd, path, argv, env, flags);
		_exit(100 + errno);
	}
	return WEXITSTATUS(status_of(pid));
}

static void test_execveat(void)
{
	int dir = open("/apps", O_RDONLY | O_DIRECTORY);
	int fd = open("/apps/exit_code", O_RDONLY | O_CLOEXEC);
	int pfd = open("/apps/exit_code", O_PATH);

	ok(execveat_status(dir, "exit_code", 0) == 43, "execveat relative to a directory fd");
	ok(execveat_status(fd, "", AT_EMPTY_PATH) == 43, "execveat of the fd itself (fexecve)");
	ok(execveat_status(pfd, "", AT_EMPTY_PATH) == 43, "of an O_PATH fd");
	ok(execveat_status(AT_FDCWD, "/apps/exit_code", 0) == 43, "AT_FDCWD and an absolute path");
	ok(execveat_status(fd, "", 0) == 100 + ENOENT, "an empty path without AT_EMPTY_PATH: ENOENT");
	ok(execveat_status(99, "", AT_EMPTY_PATH) == 100 + EBADF, "a bad fd: EBADF");
	ok(execveat_status(dir, "exit_code", 0x1) == 100 + EINVAL, "unknown flags: EINVAL");
	unlink("/tmp/exit_code.lnk");
	if (symlink("/apps/exit_code", "/tmp/exit_code.lnk") == 0) {
		ok(execveat_status(AT_FDCWD, "/tmp/exit_code.lnk", 0) == 43, "through a symlink");
		ok(execveat_status(AT_FDCWD, "/tmp/exit_code.lnk", AT_SYMLINK_NOFOLLOW) ==
		   100 + ELOOP, "not with AT_SYMLINK_NOFOLLOW: ELOOP");
		unlink("/tmp/exit_code.lnk");
	}
	close(dir), close(fd), close(pfd);
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t pid = spawn(ret_arg, 9);

	memset(&si, 0, sizeof(si));
	ok(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == pid &&
	   si.si_code == CLD_EXITED && si.si_status == 9, "waitid reports the exit (WNOWAIT)");
	ok(waitid(P_PID, (id_t)pid, &si, WEXITED) == 0 && si.si_status == 9,
	   "WNOWAIT left it to be waited for again");
	ok(waitid(P_ALL, 0, &si, WEXITED | WNOHANG) == -1 && errno == ECHILD,
	   "then it is gone");
}

static int in_new_group(int unused)
{
	(void)unused;
	if (setpgid(0, 0))
		return 1;
	if (getpgrp() != getpid())
		return 2;
	if (setsid() != -1 || errno != EPERM)
		return 3;	/* a group leader cannot start a session */
	return 0;
}

static int in_new_session(int unused)
{
	(void)unused;
	if (setsid() != getpid())
		return 1;
	if (getsid(0) != getpid() || getpgrp() != getpid())
		return 2;
	if (setpgid(0, 0) != -1 || errno != EPERM)
		return 3;	/* a session leader stays in its group */
	return 0;
}

static void test_groups(void)
{
	int st;

	ok(getpgid(0) == getpgrp() && getsid(0) >= 0, "getpgid(0) is getpgrp()");
	st = status_of(spawn(in_new_group, 0));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setpgid(0, 0) makes a group leader");
	st = status_of(spawn(in_new_session, 0));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsid makes a session and group leader");
	ok(getpgid(0x7ffffff0) == -1 && errno == ESRCH, "getpgid of no process is ESRCH");
}

static int nofile_is_16(int unused)
{
	struct rlimit rl;

	(void)unused;
	return getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 16 ? 0 : 1;
}

static int rounds_up(int unused)
{
	(void)unused;
	return fegetround() == FE_UPWARD ? 0 : 1;
}

/* The FPU control state (here the SSE rounding mode) is inherited by fork. */
static void test_fpu_inherited(void)
{
	int st;

	fesetround(FE_UPWARD);
	st = status_of(spawn(rounds_up, 0));
	fesetround(FE_TONEAREST);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child keeps the rounding mode");
	st = status_of(spawn(rounds_up, 0));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 1, "and one forked after it is reset does not");
}

/* MAP_SHARED|MAP_ANONYMOUS memory is shared with forked children; private is copied. */
static void test_shared_memory(void)
{
	int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	shared[0] = 1;
	shared[1500] = 2;	/* the second page */
	private[0] = 1;
	pid = fork();
	if (pid == 0) {
		shared[0] += 10;
		shared[1500] += 20;
		private[0] += 10;
		_exit(shared[0] == 11 && private[0] == 11 ? 0 : 1);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && shared[0] == 11 && shared[1500] == 22,
	   "a child's writes to shared anonymous memory are the parent's");
	ok(private[0] == 1, "private memory is the parent's own");
	pid = fork();
	if (pid == 0) {
		munmap(shared, 8192);
		_exit(0);
	}
	status_of(pid);
	shared[0]++;
	ok(shared[0] == 12, "a child's munmap leaves the parent's pages alone");
	munmap(shared, 8192);
	munmap(private, 4096);
}

/* A futex without FUTEX_PRIVATE_FLAG in shared memory wakes across processes. */
static void test_shared_futex(void)
{
	uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sem_t *sem = (sem_t *)(word + 16);
	struct timespec five = { 5, 0 };
	pid_t pid;
	int st;

	*word = 0;
	sem_init(sem, 1, 0);
	pid = fork();
	if (pid == 0) {
		while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0)
			if (syscall(SYS_futex, word, FUTEX_WAIT, 0, &five, NULL, 0) && errno == ETIMEDOUT)
				_exit(1);
		_exit(sem_timedwait(sem, &(struct timespec){ time(NULL) + 5, 0 }) == 0 ? 0 : 2);
	}
	usleep(50000);	/* let the child wait first (else the test is weaker, not wrong) */
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	usleep(20000);
	sem_post(sem);
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) != 1, "FUTEX_WAKE in shared memory wakes another process");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a process-shared semaphore posts across processes");
	munmap(word, 4096);
}

static void test_rlimits(void)
{
	struct rlimit rl, old;
	int fd = 0, last = -1, st;

	getrlimit(RLIMIT_NOFILE, &old);
	rl = (struct rlimit){ 16, old.rlim_max };
	ok(setrlimit(RLIMIT_NOFILE, &rl) == 0, "lower RLIMIT_NOFILE to 16");
	while (fd >= 0) {
		fd = dup(0);
		if (fd >= 0)
			last = fd;
	}
	ok(errno == EMFILE && last == 15, "fds stop at 15 with EMFILE");
	for (; last > 2; last--)
		close(last);
	st = status_of(spawn(nofile_is_16, 0));
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child inherits the limit");
	rl.rlim_max = rl.rlim_max == RLIM_INFINITY ? rl.rlim_max : rl.rlim_max + 1;
	ok(old.rlim_max == RLIM_INFINITY || (setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM) ||
	   getuid() == 0, "raising the hard limit needs privilege");
	setrlimit(RLIMIT_NOFILE, &old);
}

int main(void)
{
	test_fork_wait();
	test_signals();
	test_pipes();
	test_exec();
	test_execveat();
	test_waitid();
	test_groups();
	test_rlimits();
	test_fpu_inherited();
	test_shared_memory();
	test_shared_futex();
	return tap_done();
}

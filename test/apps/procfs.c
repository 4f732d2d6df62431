// SPDX-License-Identifier: Apache-2.0
/*
 * procfs.c: /proc/PID of each process: self, stat, status, comm, cmdline,
 * exe, the listing of /proc, a sleeping child, a zombie, a reaped child
 * (gone), and a thread counted in Threads.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static char buf[8192];

/* The contents of @path (NUL-terminated in buf), or "" */
static const char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Does @path's text have the line "@key\t@val"? */
static int has_field(const char *path, const char *key, const char *val)
{
	char line[128];

	snprintf(line, sizeof(line), "\n%s:\t%s\n", key, val);
	slurp(path);
	memmove(buf + 1, buf, sizeof(buf) - 1);
	buf[0] = '\n';
	if (!strstr(buf, line)) {
		diag("%s has no \"%s:\t%s\"", path, key, val);
		return 0;
	}
	return 1;
}

/* The third field of /proc/@pid/stat (the state letter), or '?'. */
static char state_of(pid_t pid)
{
	char path[64];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	p = strrchr(slurp(path), ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static int listed(pid_t pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= atoi(e->d_name) == pid && e->d_type == DT_DIR;
	if (d)
		closedir(d);
	return found;
}

static void test_self(const char *argv0)
{
	char path[64], want[64], link[64] = "";
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	int pid = -1, ppid = -1;
	char state = '?';

	snprintf(want, sizeof(want), "%d", getpid());
	ok(n > 0 && strcmp(link, want) == 0, "/proc/self links to the pid");
	ok(sscanf(slurp("/proc/self/stat"), "%d (procfs) %c %d", &pid, &state, &ppid) == 3 &&
	   pid == getpid() && state == 'R' && ppid == getppid(),
	   "/proc/self/stat: pid, (comm), R, ppid");
	ok(strcmp(slurp("/proc/self/comm"), "procfs\n") == 0, "/proc/self/comm");
	ok(has_field("/proc/self/status", "Pid", want), "status: Pid");
	snprintf(want, sizeof(want), "%d", getppid());
	ok(has_field("/proc/self/status", "PPid", want), "status: PPid");
	ok(has_field("/proc/self/status", "State", "R (running)"), "status: State R");
	ok(has_field("/proc/self/status", "Threads", "1"), "status: one thread");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", getpid());
	ok(memcmp(slurp(path), argv0, strlen(argv0) + 1) == 0 &&
	   strcmp(buf + strlen(argv0) + 1, "arg1") == 0, "/proc/PID/cmdline: the arguments");
	ok(listed(getpid()), "/proc lists this process");
}

static void test_child(void)
{
	char path[64], want[64], self_exe[256] = "", exe[256] = "";
	int p[2], st = 0;
	siginfo_t si;
	struct stat sb;
	pid_t pid;

	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 3 : 4);
	}
	close(p[0]);
	usleep(50000);	/* let it block in read */
	ok(listed(pid), "/proc lists the child");
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(want, sizeof(want), "%d", getpid());
	ok(has_field(path, "PPid", want), "the child's PPid is this process");
	ok(state_of(pid) == 'S', "a child blocked in read is sleeping (S)");
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	ok(strcmp(slurp(path), "procfs\n") == 0, "the child's comm");
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	readlink(path, exe, sizeof(exe) - 1);
	readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	ok(exe[0] && strcmp(exe, self_exe) == 0, "the child's exe is this program");
	close(p[1]);
	ok(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0, "the child exits");
	ok(state_of(pid) == 'Z', "not reaped yet: a zombie (Z)");
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3, "reaped");
	snprintf(path, sizeof(path), "/proc/%d", pid);
	ok(stat(path, &sb) == -1 && errno == ENOENT, "then /proc/PID is gone");
	ok(!listed(pid), "and not listed");
}

static int gate[2];

static void *waiter(void *arg)
{
	char c;

	(void)arg;
	return read(gate[0], &c, 1) == 1 ? NULL : arg;
}

static void test_thread(void)
{
	pthread_t t;

	if (pipe(gate) || pthread_create(&t, NULL, waiter, NULL))
		return;
	ok(has_field("/proc/self/status", "Threads", "2"), "a second thread is counted");
	write(gate[1], "x", 1);
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "arg1")) {
		fprintf(stderr, "usage: %s arg1\n", argv[0]);
		return 2;
	}
	test_self(argv[0]);
	test_child();
	test_thread();
	return tap_done();
}

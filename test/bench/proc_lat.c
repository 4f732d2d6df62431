// SPDX-License-Identifier: Apache-2.0
/*
 * proc_lat.c EXEC_PATH [BATCHES]: the cost of the process-model operations
 * of issue 4, natively and in the sandbox (it rides in build/apps.tar as
 * /bench/proc_lat; EXEC_PATH is a static program that exits 0):
 *
 *   fork_wait     fork + _exit + wait4
 *   fork_exec     fork + execve(EXEC_PATH) + wait4
 *   fork_big      fork_wait from a process with BIG_MIB of written heap, the
 *                 child writing one page of it (copy-on-write's case)
 *   pipe_pingpong one byte there and back between two processes
 *   fault_demand  per page: mmap of 256 MAP_NORESERVE pages, a touch of each,
 *                 munmap (the sentry maps such pages on the first fault)
 *   fault_eager   the same without MAP_NORESERVE (the sentry populates at mmap)
 *   thread        pthread_create + pthread_join
 *   futex_pingpong one futex wake there and back between two threads
 *   switch        per switch: sched_yield between two processes on one CPU
 *                 that only yield (the cost of changing address space, which
 *                 pipe_pingpong pays twice); it pins itself, so it runs last
 *                 but cpuid
 *   cpuid         one cpuid instruction (glibc runs ~40 at each start): what
 *                 the CPU, or the hypervisor that traps it, charges
 *
 * Each batch runs for about 20 ms; one line per batch, "NAME NS_PER_OP".
 * An operation that fails prints "NAME skipped: REASON" instead.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_NS (20 * 1000 * 1000LL)
#define FAULT_PAGES 256
#define BIG_MIB 32

static const char *exec_path;
static int ping[2], pong[2];
static pid_t echo_pid;

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Each op does @n operations and returns 0, or -errno. */
static int op_fork_wait(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		int st;

		if (p < 0)
			return -errno;
		if (p == 0)
			_exit(0);
		if (waitpid(p, &st, 0) != p)
			return -errno;
	}
	return 0;
}

static char *big;

static int op_fork_big(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		int st;

		if (p < 0)
			return -errno;
		if (p == 0) {
			big[(i * 4096) % (BIG_MIB << 20)]++;
			_exit(0);
		}
		if (waitpid(p, &st, 0) != p)
			return -errno;
	}
	return 0;
}

static int op_fork_exec(long n)
{
	char *argv[] = { (char *)exec_path, "0", NULL }, *envp[] = { NULL };

	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		int st;

		if (p < 0)
			return -errno;
		if (p == 0) {
			execve(exec_path, argv, envp);
			_exit(127);
		}
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
			return -ENOEXEC;
	}
	return 0;
}

static int op_pipe(long n)
{
	char c = 'x';

	for (long i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return -EIO;
	return 0;
}

/* n mappings of FAULT_PAGES, each page touched once. */
static int touch_pages(long n, int flags)
{
	for (long done = 0; done < n; done++) {
		char *m = mmap(NULL, FAULT_PAGES * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

		if (m == MAP_FAILED)
			return -errno;
		for (long i = 0; i < FAULT_PAGES; i++)
			m[i * 4096] = 1;
		munmap(m, FAULT_PAGES * 4096);
	}
	return 0;
}

static int op_fault_demand(long n)
{
	return touch_pages(n, MAP_NORESERVE);
}

static int op_fault_eager(long n)
{
	return touch_pages(n, 0);
}

static void *nothing(void *arg)
{
	return arg;
}

static int op_thread(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
			return -EAGAIN;
	}
	return 0;
}

static atomic_int turn;	/* 0: main's turn, 1: the partner's; 2: stop */

static void futex_wait_for(int want)
{
	int v;

	while ((v = atomic_load(&turn)) != want && v != 2)
		syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
}

static void pass_to(int who)
{
	atomic_store(&turn, who);
	syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
	(void)arg;
	for (;;) {
		futex_wait_for(1);
		if (atomic_load(&turn) == 2)
			return NULL;
		pass_to(0);
	}
}

static int op_futex(long n)
{
	for (long i = 0; i < n; i++) {
		pass_to(1);
		futex_wait_for(0);
	}
	return 0;
}

static pid_t yield_pid;

static int op_switch(long n)
{
	for (long i = 0; i < n; i++)
		sched_yield();	/* to the other process, and back: two switches */
	return 0;
}

/* Natively both must share one CPU, or the yields switch nothing. */
static void start_yielder(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	CPU_ZERO(&one);
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	sched_setaffinity(0, sizeof(one), &one);
	yield_pid = fork();
	if (yield_pid == 0)
		for (;;)
			sched_yield();
}

static int op_cpuid(long n)
{
	for (long i = 0; i < n; i++) {
		unsigned int a = 0, b, c = 0, d;

		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
	return 0;
}

/* How many operations take about BATCH_NS, from a trial. */
static long calibrate(int (*op)(long), int *err)
{
	long n = 4;

	for (;;) {
		long long t0 = now_ns(), dt;

		*err = op(n);
		dt = now_ns() - t0;
		if (*err)
			return 0;
		if (dt > BATCH_NS / 8 || n >= (1L << 22))
			return n * BATCH_NS / (dt ? dt : 1) + 1;
		n *= 4;
	}
}

/* @per: operations in one unit of an op's n (pages per mapping, or 1). */
static void bench(const char *name, int (*op)(long), long per, int batches)
{
	int err;
	long n = calibrate(op, &err);

	if (err) {
		printf("%s skipped: %s\n", name, strerror(-err));
		return;
	}
	for (int b = 0; b < batches; b++) {
		long long t0 = now_ns();

		err = op(n);
		if (err) {
			printf("%s skipped: %s\n", name, strerror(-err));
			return;
		}
		printf("%s %.1f\n", name, (double)(now_ns() - t0) / (n * per));
		fflush(stdout);
	}
}

static void start_echo(void)
{
	char c;

	if (pipe(ping) || pipe(pong))
		return;
	echo_pid = fork();
	if (echo_pid == 0) {
		close(ping[1]);	/* so that the parent's close ends the loop */
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
}

int main(int argc, char **argv)
{
	int batches = argc > 2 ? atoi(argv[2]) : 5;
	pthread_t partner;

	if (argc < 2) {
		fprintf(stderr, "usage: %s EXEC_PATH [BATCHES]\n", argv[0]);
		return 2;
	}
	exec_path = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench("fork_wait", op_fork_wait, 1, batches);
	bench("fork_exec", op_fork_exec, 1, batches);
	big = malloc(BIG_MIB << 20);
	if (big) {
		memset(big, 1, BIG_MIB << 20);
		bench("fork_big", op_fork_big, 1, batches);
		free(big);
	}
	start_echo();
	bench("pipe_pingpong", op_pipe, 1, batches);
	close(ping[1]);
	waitpid(echo_pid, NULL, 0);
	bench("fault_demand", op_fault_demand, FAULT_PAGES, batches);
	bench("fault_eager", op_fault_eager, FAULT_PAGES, batches);
	bench("thread", op_thread, 1, batches);
	if (pthread_create(&partner, NULL, futex_partner, NULL) == 0) {
		bench("futex_pingpong", op_futex, 1, batches);
		pass_to(2);
		pthread_join(partner, NULL);
	}
	start_yielder();
	if (yield_pid > 0) {
		bench("switch", op_switch, 2, batches);
		kill(yield_pid, SIGKILL);
		waitpid(yield_pid, NULL, 0);
	}
	bench("cpuid", op_cpuid, 1, batches);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * syscall_lat.c [BATCHES]: the cost of one syscall round trip, measured in
 * the sandbox (it rides in build/apps.tar as /bench/syscall_lat) and
 * natively. Static, no libc caching in the loop: getppid is a bare
 * `syscall` instruction. Each batch runs enough calls for about 20 ms,
 * timed with CLOCK_MONOTONIC around the whole batch. clock_gettime is
 * libc's: it costs a syscall only where there is no vDSO. Prints one line per
 * batch, "NAME NS_PER_OP", for test/bench/run.sh to take medians of;
 * "NAME skipped: REASON" where a case cannot run (the image has no /dev).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCH_NS (20 * 1000 * 1000LL)

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void op_getppid(int fd)
{
	long ret;

	(void)fd;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_getppid)
			 : "rcx", "r11", "memory");
}

/* libc's clock_gettime: the vDSO where there is one, else the syscall. */
static void op_clock(int fd)
{
	struct timespec t;

	(void)fd;
	clock_gettime(CLOCK_MONOTONIC, &t);
	__asm__ volatile("" : : "r"(&t) : "memory");
}

static void op_read1(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		abort();
}

/* Calls of op that take about BATCH_NS, from a short trial run. */
static long calibrate(void (*op)(int), int fd)
{
	long n = 16;

	for (;;) {
		long long t0 = now_ns(), dt;

		for (long i = 0; i < n; i++)
			op(fd);
		dt = now_ns() - t0;
		if (dt > BATCH_NS / 8 || n >= (1L << 26))
			return n * BATCH_NS / (dt ? dt : 1) + 1;
		n *= 4;
	}
}

static void bench(const char *name, void (*op)(int), int fd, int batches)
{
	long n = calibrate(op, fd);

	for (int b = 0; b < batches; b++) {
		long long t0 = now_ns();

		for (long i = 0; i < n; i++)
			op(fd);
		printf("%s %.1f\n", name, (double)(now_ns() - t0) / n);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	int batches = argc > 1 ? atoi(argv[1]) : 5;
	int fd;

	bench("getppid", op_getppid, -1, batches);
	bench("clock_gettime", op_clock, -1, batches);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0) {
		printf("read_zero skipped: /dev/zero: %s\n", strerror(errno));
		return 0;
	}
	bench("read_zero", op_read1, fd, batches);
	close(fd);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * measure.c N CMD [ARGS...]: run CMD N times, one after the other, with
 * stdin, stdout and stderr on /dev/null; print "key value" lines:
 *
 *   runs N          runs done
 *   failed K        runs that did not exit 0
 *   median_ns, min_ns, max_ns   wall time from fork to wait4
 *   maxrss_kb       largest ru_maxrss wait4 reported: CMD's own peak RSS,
 *                   or that of a descendant it reaped, whichever is larger
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, failed = 0, null;
	long maxrss = 0;
	long long *ns;

	if (n < 1) {
		fprintf(stderr, "usage: measure N CMD [ARGS...]\n");
		return 2;
	}
	ns = calloc(n, sizeof(*ns));
	null = open("/dev/null", O_RDWR);
	if (!ns || null < 0) {
		perror("measure");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct rusage ru;
		long long t0 = now_ns();
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("wait4");
			return 1;
		}
		ns[i] = now_ns() - t0;
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(ns, n, sizeof(*ns), cmp_ll);
	printf("runs %d\nfailed %d\nmedian_ns %lld\nmin_ns %lld\nmax_ns "
	       "%lld\nmaxrss_kb %ld\n",
	       n, failed, ns[n / 2], ns[0], ns[n - 1], maxrss);
	return 0;
}

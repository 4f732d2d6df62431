// SPDX-License-Identifier: Apache-2.0
/* time.c: clock_gettime, clock_getres, gettimeofday, time and nanosleep. */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include "tap.h"

#define Y2020 1577836800L /* 2020-01-01T00:00:00Z */

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns(&t);
}

int main(void)
{
	struct timespec a, b, res, d = {0, 10 * 1000 * 1000},
				   bad = {0, 1000000000};
	struct timeval tv;
	long long t0, last;
	int mono = 1;
	time_t now;

	ok(clock_gettime(CLOCK_MONOTONIC, &a) == 0 && a.tv_nsec >= 0 &&
		   a.tv_nsec < 1000000000,
	   "clock_gettime MONOTONIC gives a normalized timespec");
	last = ns(&a);
	for (int i = 0; i < 1000; i++) {
		long long t = mono_ns();

		mono &= t >= last;
		last = t;
	}
	ok(mono, "MONOTONIC does not go back over 1000 reads");
	ok(clock_gettime(CLOCK_REALTIME, &b) == 0 && b.tv_sec > Y2020,
	   "REALTIME is after 2020");
	ok(gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 &&
		   tv.tv_usec < 1000000 && tv.tv_sec - b.tv_sec >= 0 &&
		   tv.tv_sec - b.tv_sec <= 2,
	   "gettimeofday agrees with REALTIME");
	now = time(NULL);
	ok(now - b.tv_sec >= -1 && now - b.tv_sec <= 2,
	   "time agrees with REALTIME (coarse: a tick behind)");
	ok(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(&res) > 0 &&
		   ns(&res) <= 1000000,
	   "MONOTONIC resolution is at most 1 ms");
	errno = 0;
	ok(clock_gettime((clockid_t)1234, &a) == -1 && errno == EINVAL,
	   "clock_gettime of an unknown clock fails with EINVAL");

	t0 = mono_ns();
	ok(nanosleep(&d, NULL) == 0, "nanosleep 10 ms returns 0");
	ok(mono_ns() - t0 >= 10 * 1000 * 1000,
	   "nanosleep 10 ms takes at least 10 ms");
	t0 = mono_ns();
	ok(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == 0 &&
		   mono_ns() - t0 >= 10 * 1000 * 1000,
	   "clock_nanosleep 10 ms takes at least 10 ms");
	errno = 0;
	ok(nanosleep(&bad, NULL) == -1 && errno == EINVAL,
	   "nanosleep with tv_nsec = 1e9 fails with EINVAL");
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * misc.c: host services without an fd: random bytes, sleeping, the exit
 * status. The one implementation (host.h), for both platforms.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>

#include "sentry/host.h"

#include "host_state.h"

#define NSEC_PER_SEC 1000000000LL

static bool exit_called;
static int exit_code;

long host_getrandom(void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	if (len > HOST_IO_MAX)
		len = HOST_IO_MAX;
	while (done < len) {
		n = getrandom((char *)buf + done, len - done, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (long)done : -errno;
		}
		done += (size_t)n;
	}
	return (long)len;
}

/* Sleep until an absolute CLOCK_MONOTONIC deadline: signals only resume it. */
long host_nanosleep(uint64_t ns)
{
	struct timespec deadline;
	int err;

	if (clock_gettime(CLOCK_MONOTONIC, &deadline) < 0)
		return -errno;
	/* Cap at ~292 years so the sum cannot overflow time_t arithmetic. */
	if (ns > (uint64_t)INT64_MAX / 2)
		ns = (uint64_t)INT64_MAX / 2;
	deadline.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	deadline.tv_nsec += (long)(ns % NSEC_PER_SEC);
	if (deadline.tv_nsec >= NSEC_PER_SEC) {
		deadline.tv_sec++;
		deadline.tv_nsec -= NSEC_PER_SEC;
	}
	do {
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline,
				      NULL);
	} while (err == EINTR);
	return -err;
}

void host_exit(int status)
{
	exit_code = status;
	exit_called = true;
}

bool host_exit_status(int *status)
{
	if (exit_called)
		*status = exit_code;
	return exit_called;
}

void host_exit_reset(void)
{
	exit_called = false;
	exit_code = 0;
}

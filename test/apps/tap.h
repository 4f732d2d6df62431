/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tap.h: TAP output for test/apps. Included by each app (static glibc).
 * Lines must be the same natively and in the sentry: describe checks, print
 * their outcome, never addresses, pids or times. Failure details go to
 * stderr (diag), which the runner shows but does not compare.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

/* One line buffer, so each result is one write(2) and stdio never mallocs. */
__attribute__((constructor)) static void tap_init(void)
{
	static char buf[4096];

	setvbuf(stdout, buf, _IOLBF, sizeof(buf));
}

/* Print "ok N - desc" or "not ok N - desc"; returns cond. */
__attribute__((format(printf, 2, 3))) static inline int ok(int cond,
							   const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	tap_failed += !cond;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* Print the plan; the app's exit status: 0 if every check passed, else 1. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

/* A detail for a human, on stderr: "# ..." plus a newline. */
__attribute__((format(printf, 1, 2))) static inline void diag(const char *fmt,
							      ...)
{
	va_list ap;

	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#endif /* TAP_H */

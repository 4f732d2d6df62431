/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bug.h: assertions for internal invariants only (never for anything the
 * app, guest or host controls: that gets an -errno). See style.md §3.10.
 */
#ifndef SENTRY_BUG_H
#define SENTRY_BUG_H

#include "sentry/types.h"

/* Stop the sentry: message with file:line, then plat_panic(). */
__noreturn void sentry_panic(const char *file, int line, const char *fmt, ...) __printf(3, 4);

#define panic(fmt, ...) sentry_panic(__FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define BUG_ON(cond)                                                    \
	do {                                                            \
		if (unlikely(cond))                                     \
			sentry_panic(__FILE__, __LINE__, "BUG: %s", #cond); \
	} while (0)
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* SENTRY_BUG_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h: pr_err/pr_warn/pr_info/pr_debug for the core. Messages go through
 * plat_console_write() with a "sentry: " prefix and a newline appended.
 * Define pr_fmt(fmt) before including this header for a per-file prefix.
 */
#ifndef SENTRY_LOG_H
#define SENTRY_LOG_H

#include "sentry/types.h"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6, LOG_DEBUG = 7 };

/* Runtime level (boot info "loglevel"); messages above it are dropped. */
extern int log_level;

void klog(int level, const char *fmt, ...) __printf(2, 3);

#define pr_err(fmt, ...)  klog(LOG_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) klog(LOG_WARN, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) klog(LOG_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)                                              \
	do {                                                            \
		if (CONFIG_LOG_LEVEL >= LOG_DEBUG)                      \
			klog(LOG_DEBUG, pr_fmt(fmt), ##__VA_ARGS__);    \
	} while (0)
#define pr_warn_once(fmt, ...)                                          \
	do {                                                            \
		static bool __warned;                                   \
		if (!__warned) {                                        \
			__warned = true;                                \
			pr_warn(fmt, ##__VA_ARGS__);                    \
		}                                                       \
	} while (0)

#endif /* SENTRY_LOG_H */

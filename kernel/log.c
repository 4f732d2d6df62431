// SPDX-License-Identifier: Apache-2.0
/* log.c: klog() and sentry_panic(): formatted diagnostics to the platform console. */
#include "sentry/bug.h"
#include "sentry/log.h"
#include "sentry/platform.h"
#include "sentry/string.h"

int log_level = LOG_INFO;

static void vlog(const char *fmt, va_list ap)
{
	char buf[512];
	size_t len;

	memcpy(buf, "sentry: ", 8);
	kvsnprintf(buf + 8, sizeof(buf) - 9, fmt, ap);
	len = strlen(buf);
	buf[len++] = '\n';
	plat_console_write(buf, len);
}

void klog(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void sentry_panic(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	klog(LOG_ERR, "panic at %s:%d: %s", file, line, msg);
	plat_panic();
}

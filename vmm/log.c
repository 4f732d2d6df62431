// SPDX-License-Identifier: Apache-2.0
/* log.c: the VMM's diagnostics on stderr, "sentry-vm: " prefix, one line each. */
#include <stdarg.h>
#include <stdio.h>

#include "vmm/vmm.h"

bool vmm_quiet;

static void vlog(const char *what, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "sentry-vm: %s%s\n", what, buf);
}

void vmm_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void vmm_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void vmm_info(const char *fmt, ...)
{
	va_list ap;

	if (vmm_quiet)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * core_libc.c: the sentry heap (sentry/kmalloc.h) for hosted builds of the
 * core (ptrace platform, unit tests): libc malloc, so ASan checks every
 * core allocation. The guest build has kernel/lib/kmalloc.c instead.
 */
#include <stdlib.h>
#include <string.h>

#include "sentry/kmalloc.h"

/* glibc's malloc alignment on x86_64 and arm64 is 16, as kmalloc promises. */
void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

char *kstrdup(const char *s)
{
	return strdup(s);
}

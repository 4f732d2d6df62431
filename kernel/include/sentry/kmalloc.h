/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kmalloc.h: the sentry's heap. Guest build: kernel/lib/kmalloc.c (size
 * classes over page_alloc). Hosted builds: vmm/core_libc.c (libc malloc,
 * so unit tests get ASan on every core allocation).
 */
#ifndef SENTRY_KMALLOC_H
#define SENTRY_KMALLOC_H

#include "sentry/types.h"

/* Allocate @size bytes, 16-byte aligned, contents undefined. NULL if out of memory. */
void *kmalloc(size_t size);
/* As kmalloc, zero-filled. */
void *kzalloc(size_t size);
/* Free a block from kmalloc/kzalloc; NULL is a no-op. */
void kfree(void *p);
/* kmalloc'd copy of the NUL-terminated @s; NULL if out of memory. */
char *kstrdup(const char *s);

#endif /* SENTRY_KMALLOC_H */

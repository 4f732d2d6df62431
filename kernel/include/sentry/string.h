/* SPDX-License-Identifier: Apache-2.0 */
/*
 * string.h: the memory and string helpers the core may use. The guest build
 * links kernel/lib/string.c; hosted builds (ptrace, unit tests) get libc's,
 * which have exactly these prototypes (that is why the names are libc's).
 */
#ifndef SENTRY_STRING_H
#define SENTRY_STRING_H

#include "sentry/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);

/* Core formatting (kernel/printf.c): %d %i %u %o %x %X %p %s %c %%, with l/ll/z
 * modifiers, width, '0' and '-' flags, and %.*s. Always NUL-terminates when
 * @size > 0; returns the length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* SENTRY_STRING_H */

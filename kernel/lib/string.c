// SPDX-License-Identifier: Apache-2.0
/*
 * string.c: the memory and string functions of sentry/string.h for the
 * guest build (hosted builds use libc's). The compiler also emits calls to
 * memcpy/memset/memmove/memcmp for struct copies, so these must never be
 * turned back into calls to themselves: the bulk ones are rep string
 * instructions (x86_64 only: this file is built into the x86 guest), the
 * rest plain loops over bytes.
 *
 * Page-sized fills and copies use plain 8-byte stores instead of rep: under
 * shadow paging (PVM) a page that was a page table stays write-protected
 * after it is freed, and the hypervisor emulates every iteration of a rep
 * instruction that writes it (4096 for a page: ~300 µs), whereas plain
 * stores trap only until it lets the page go (a few stores).
 */
#include "sentry/string.h"

#define WORDWISE_MIN	512	/* smaller: no page to be had, rep is fine */

static inline void store8(void *p, unsigned long v)
{
	/* asm: the compiler must not turn the loop back into memset/memcpy */
	__asm__ volatile("movq %1, %0" : "=m"(*(unsigned long *)p) : "r"(v));
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (n >= WORDWISE_MIN && !(((unsigned long)dst | (unsigned long)src) & 7)) {
		const unsigned long *s8 = src;
		unsigned long *d8 = dst;
		size_t words = n / 8;

		for (size_t i = 0; i < words; i++)
			store8(&d8[i], s8[i]);
		d = d8 + words;
		src = s8 + words;
		n &= 7;
	}
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if (n >= WORDWISE_MIN && !((unsigned long)dst & 7)) {
		unsigned long v = (unsigned char)c * 0x0101010101010101UL, *d8 = dst;
		size_t words = n / 8;

		for (size_t i = 0; i < words; i++)
			store8(&d8[i], v);
		d = d8 + words;
		n &= 7;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q)
		p++, q++;
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

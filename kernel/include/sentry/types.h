/* SPDX-License-Identifier: Apache-2.0 */
/*
 * types.h: basic types of the core. Dual-use: core (freestanding, guest and
 * hosted) and the hosted code that implements core contracts. Only compiler
 * headers are included.
 */
#ifndef SENTRY_TYPES_H
#define SENTRY_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t uaddr_t;	/* app virtual address: never dereferenced directly */
typedef uint64_t paddr_t;	/* sentry "physical" address: offset into guest RAM / the memfd */
typedef long ssize_t;
typedef long loff_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(x)	(((x) & (PAGE_SIZE - 1)) == 0)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __noreturn	__attribute__((noreturn))
#define __unused	__attribute__((unused))
#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif /* SENTRY_TYPES_H */

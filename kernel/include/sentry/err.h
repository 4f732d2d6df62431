/* SPDX-License-Identifier: Apache-2.0 */
/* err.h: pointers that carry -errno (Linux ERR_PTR convention). Dual-use. */
#ifndef SENTRY_ERR_H
#define SENTRY_ERR_H

#include "sentry/types.h"

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long err)
{
	return (void *)err;
}

static inline long PTR_ERR(const void *p)
{
	return (long)p;
}

static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}

static inline bool IS_ERR_OR_NULL(const void *p)
{
	return !p || IS_ERR(p);
}

#endif /* SENTRY_ERR_H */

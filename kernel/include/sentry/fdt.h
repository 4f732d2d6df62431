/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fdt.h: a small read-only flattened device tree walker (kernel/fdt.c), core.
 * Every offset is checked against the blob's size: a corrupt blob gives
 * -EINVAL, never an out-of-bounds read.
 */
#ifndef SENTRY_FDT_H
#define SENTRY_FDT_H

#include "sentry/types.h"

/** dtb_check() - validate the header of the blob at @fdt (at most @maxlen bytes). */
int dtb_check(const void *fdt, size_t maxlen);

/**
 * dtb_getprop() - property @prop of the node at absolute @path ("/chosen",
 * "/memory@0"; unit addresses must match exactly). *@len gets its length.
 * Preconditions: dtb_check() succeeded. Return: pointer into the blob, or NULL.
 */
const void *dtb_getprop(const void *fdt, const char *path, const char *prop,
			size_t *len);

/** dtb_be32() / dtb_be64() - read big-endian cells (unaligned-safe). */
uint32_t dtb_be32(const void *p);
uint64_t dtb_be64(const void *p);

#endif /* SENTRY_FDT_H */

// SPDX-License-Identifier: Apache-2.0
/* fdt.c: read-only FDT walker for the boot info (format: devicetree spec v17). */
#include "sentry/fdt.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_DEPTH	8

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	uint32_t version, last_comp_version, boot_cpuid_phys;
	uint32_t size_dt_strings, size_dt_struct;
};

uint32_t dtb_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t dtb_be64(const void *p)
{
	return (uint64_t)dtb_be32(p) << 32 | dtb_be32((const uint8_t *)p + 4);
}

static uint32_t hdr(const void *fdt, size_t field)
{
	return dtb_be32((const uint8_t *)fdt + field * 4);
}

int dtb_check(const void *fdt, size_t maxlen)
{
	uint32_t total, st_off, st_size, str_off, str_size;

	if (maxlen < sizeof(struct fdt_header) || hdr(fdt, 0) != FDT_MAGIC)
		return -EINVAL;
	total = hdr(fdt, 1);
	st_off = hdr(fdt, 2);
	str_off = hdr(fdt, 3);
	str_size = hdr(fdt, 8);
	st_size = hdr(fdt, 9);
	if (total > maxlen || hdr(fdt, 5) < 17)
		return -EINVAL;
	/* both tests needed: offsets and sizes are 32-bit, their sum is not */
	if (st_off > total || st_size > total - st_off || (st_off | st_size) & 3)
		return -EINVAL;
	if (str_off > total || str_size > total - str_off)
		return -EINVAL;
	return 0;
}

/* Does node name @name (len @n) equal path component @comp (len @cn)? */
static bool name_eq(const char *name, size_t n, const char *comp, size_t cn)
{
	return n == cn && memcmp(name, comp, n) == 0;
}

const void *dtb_getprop(const void *fdt, const char *path, const char *prop,
			size_t *len)
{
	const uint8_t *base = fdt;
	const uint8_t *p = base + hdr(fdt, 2);
	const uint8_t *end = p + hdr(fdt, 9);
	const char *strs = (const char *)base + hdr(fdt, 3);
	uint32_t strs_size = hdr(fdt, 8);
	int depth = 0, matched = 0;	/* nodes on the stack / of them matching @path */
	const char *want = path;	/* next component of @path still to match */

	while (p + 4 <= end) {
		uint32_t tok = dtb_be32(p);

		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			size_t n = strnlen((const char *)p, end - p);
			const char *slash;
			size_t cn;

			if (p + n >= end || depth >= FDT_MAX_DEPTH)
				return NULL;
			while (*want == '/')
				want++;
			slash = strchr(want, '/');
			cn = slash ? (size_t)(slash - want) : strlen(want);
			if (matched == depth && (depth == 0 ? n == 0 : name_eq((const char *)p, n, want, cn))) {
				matched++;
				if (depth > 0)
					want += cn;
			}
			depth++;
			p += ALIGN_UP(n + 1, 4);
			break;
		}
		case FDT_END_NODE:
			if (depth == 0)
				return NULL;
			if (matched == depth)
				return NULL;	/* left the wanted node without the property */
			depth--;
			break;
		case FDT_PROP: {
			uint32_t plen, nameoff;

			if (p + 8 > end)
				return NULL;
			plen = dtb_be32(p);
			nameoff = dtb_be32(p + 4);
			p += 8;
			if (plen > (size_t)(end - p) || nameoff >= strs_size)
				return NULL;
			while (*want == '/')
				want++;
			if (matched == depth && *want == '\0' &&
			    strncmp(strs + nameoff, prop, strs_size - nameoff) == 0) {
				*len = plen;
				return p;
			}
			p += ALIGN_UP(plen, 4);
			break;
		}
		case FDT_NOP:
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

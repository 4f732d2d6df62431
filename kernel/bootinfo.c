// SPDX-License-Identifier: Apache-2.0
/* bootinfo.c: parse the VMM's boot info FDT (abi/sentry/bootinfo.h) into struct boot_info. */
#define pr_fmt(fmt) "bootinfo: " fmt

#include "sentry/bootinfo.h"
#include "sentry/fdt.h"
#include "sentry/log.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/sentry/bootinfo.h"

struct boot_info boot_info;

static int get_u32(const void *fdt, const char *prop, uint32_t *v, bool required)
{
	size_t len;
	const void *p = dtb_getprop(fdt, BI_CHOSEN, prop, &len);

	if (!p || len != 4) {
		if (required)
			pr_err("missing or malformed %s", prop);
		return required ? -EINVAL : 0;
	}
	*v = dtb_be32(p);
	return 0;
}

/* Read @n 64-bit values of @prop into @v. */
static int get_u64s(const void *fdt, const char *prop, uint64_t *v, size_t n,
		    bool required)
{
	size_t len;
	const uint8_t *p = dtb_getprop(fdt, BI_CHOSEN, prop, &len);

	if (!p || len != n * 8) {
		if (required)
			pr_err("missing or malformed %s", prop);
		return required ? -EINVAL : 0;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = dtb_be64(p + 8 * i);
	return 0;
}

/* Split a string-list property into @out (NULL-terminated, at most @max entries). */
static int get_strlist(const void *fdt, const char *prop, const char **out,
		       size_t max)
{
	size_t len, n = 0;
	const char *p = dtb_getprop(fdt, BI_CHOSEN, prop, &len);
	const char *end = p + len;

	out[0] = NULL;
	if (!p)
		return 0;
	if (len == 0)
		return 0;
	if (p[len - 1] != '\0') {
		pr_err("%s is not a NUL-terminated string list", prop);
		return -EINVAL;
	}
	while (p < end) {
		if (n == max) {
			pr_err("%s has more than %zu entries", prop, max);
			return -E2BIG;
		}
		out[n++] = p;
		p += strlen(p) + 1;
	}
	out[n] = NULL;
	return 0;
}

static const char *get_str(const void *fdt, const char *prop, const char *dflt)
{
	size_t len;
	const char *p = dtb_getprop(fdt, BI_CHOSEN, prop, &len);

	if (!p || len == 0 || p[len - 1] != '\0')
		return dflt;
	return p;
}

int bootinfo_parse(const void *fdt, size_t maxlen, struct boot_info *bi)
{
	uint64_t v[3] = { 0, 0, 0 };
	const uint8_t *reg, *user;
	size_t len;
	int err = 0;

	memset(bi, 0, sizeof(*bi));
	if (dtb_check(fdt, maxlen)) {
		pr_err("boot info is not a valid device tree");
		return -EINVAL;
	}
	reg = dtb_getprop(fdt, "/memory@0", "reg", &len);
	if (!reg || len != 16) {
		pr_err("missing /memory@0 reg");
		return -EINVAL;
	}
	bi->ram_end = dtb_be64(reg) + dtb_be64(reg + 8);
	bi->ncpus = 1;
	bi->loglevel = LOG_INFO;
	err |= get_u32(fdt, BI_FLAVOUR, &bi->flavour, true);
	err |= get_u32(fdt, BI_NCPUS, &bi->ncpus, false);
	err |= get_u32(fdt, BI_FLAGS, &bi->flags, false);
	err |= get_u32(fdt, BI_LOGLEVEL, &bi->loglevel, false);
	err |= get_u64s(fdt, BI_RAM_FREE, &bi->ram_start, 1, true);
	err |= get_u64s(fdt, BI_IMAGE, v, 2, true);
	bi->image_pa = v[0];
	bi->image_size = v[1];
	err |= get_u64s(fdt, BI_TSC_KHZ, &bi->tsc_khz, 1, false);
	v[0] = v[1] = v[2] = 0;
	err |= get_u64s(fdt, BI_BOOT_TIME, v, 3, false);
	bi->boot_tsc = v[0];
	bi->boot_realtime_ns = (int64_t)v[1];
	bi->boot_monotonic_ns = (int64_t)v[2];
	err |= get_strlist(fdt, BI_ARGV, bi->argv, BOOT_MAX_ARGS);
	err |= get_strlist(fdt, BI_ENVP, bi->envp, BOOT_MAX_ARGS);
	bi->cwd = get_str(fdt, BI_CWD, "/");
	bi->hostname = get_str(fdt, BI_HOSTNAME, "sentry");
	user = dtb_getprop(fdt, BI_CHOSEN, BI_USER, &len);
	if (user && len == 8) {
		bi->uid = dtb_be32(user);
		bi->gid = dtb_be32(user + 4);
	}
	if (err)
		return -EINVAL;
	if (bi->ram_start < PAGE_SIZE || !PAGE_ALIGNED(bi->ram_start) ||
	    bi->ram_start >= bi->ram_end) {
		pr_err("bad free RAM range 0x%lx-0x%lx", (unsigned long)bi->ram_start,
		       (unsigned long)bi->ram_end);
		return -EINVAL;
	}
	if (!bi->argv[0]) {
		pr_err("no command given");
		return -EINVAL;
	}
	return 0;
}

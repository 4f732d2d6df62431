// SPDX-License-Identifier: Apache-2.0
/*
 * bootinfo.c: build the boot info FDT (format: abi/sentry/bootinfo.h) with
 * libfdt's sequential-write API. The same blob boots both platforms.
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "abi/sentry/bootinfo.h"
#include "vmm/vmm.h"

void boot_params_from_config(const struct vmm_config *cfg, const struct image *img,
			     struct boot_params *bp)
{
	memset(bp, 0, sizeof(*bp));
	bp->ncpus = cfg->ncpus ? cfg->ncpus : 1;
	bp->flags = (cfg->strace ? BOOT_F_STRACE : 0) | (cfg->quiet ? BOOT_F_QUIET : 0) |
		    (cfg->read_only ? BOOT_F_READONLY : 0);
	bp->loglevel = cfg->loglevel;
	bp->ram_size = cfg->ram_size;
	bp->image_size = img->size;
	bp->argv = cfg->argv;
	bp->envp = cfg->envp;
	bp->cwd = cfg->cwd ? cfg->cwd : "/";
	bp->hostname = "sentry";
	bp->uid = cfg->uid;
	bp->gid = cfg->gid;
}

/* A string-list property: the strings back to back, each NUL-terminated. */
static int prop_strlist(void *fdt, const char *name, char *const *list)
{
	size_t len = 0;
	char *buf;
	int err;

	for (char *const *s = list; s && *s; s++)
		len += strlen(*s) + 1;
	err = fdt_property_placeholder(fdt, name, (int)len, (void **)&buf);
	if (err)
		return err;
	for (char *const *s = list; s && *s; s++) {
		size_t n = strlen(*s) + 1;

		memcpy(buf, *s, n);
		buf += n;
	}
	return 0;
}

static int prop_u64s(void *fdt, const char *name, const uint64_t *v, int n)
{
	fdt64_t be[4];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt64(v[i]);
	return fdt_property(fdt, name, be, n * 8);
}

int bootinfo_build(void *buf, size_t size, const struct boot_params *bp)
{
	uint64_t reg[2] = { 0, bp->ram_size };
	uint64_t image[2] = { bp->image_pa, bp->image_size };
	uint64_t times[3] = { bp->boot_tsc, (uint64_t)bp->boot_realtime_ns,
			      (uint64_t)bp->boot_monotonic_ns };
	fdt32_t user[2] = { cpu_to_fdt32(bp->uid), cpu_to_fdt32(bp->gid) };
	int err = 0;

	if (size > INT32_MAX)
		return -EINVAL;
	err |= fdt_create(buf, (int)size);
	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_string(buf, "compatible", BOOTINFO_COMPATIBLE);
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);

	err |= fdt_begin_node(buf, "memory@0");
	err |= fdt_property_string(buf, "device_type", "memory");
	err |= prop_u64s(buf, "reg", reg, 2);
	err |= fdt_end_node(buf);

	err |= fdt_begin_node(buf, "chosen");
	err |= fdt_property_u32(buf, BI_FLAVOUR, bp->flavour);
	err |= fdt_property_u32(buf, BI_NCPUS, bp->ncpus);
	err |= fdt_property_u32(buf, BI_FLAGS, bp->flags);
	err |= fdt_property_u32(buf, BI_LOGLEVEL, bp->loglevel);
	err |= prop_u64s(buf, BI_RAM_FREE, &bp->ram_free, 1);
	err |= prop_u64s(buf, BI_IMAGE, image, 2);
	err |= prop_u64s(buf, BI_TSC_KHZ, &bp->tsc_khz, 1);
	err |= prop_u64s(buf, BI_BOOT_TIME, times, 3);
	err |= prop_strlist(buf, BI_ARGV, bp->argv);
	err |= prop_strlist(buf, BI_ENVP, bp->envp);
	err |= fdt_property_string(buf, BI_CWD, bp->cwd ? bp->cwd : "/");
	err |= fdt_property_string(buf, BI_HOSTNAME, bp->hostname ? bp->hostname : "sentry");
	err |= fdt_property(buf, BI_USER, user, sizeof(user));
	err |= fdt_end_node(buf);

	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	/* libfdt errors are negative; OR-ing them keeps "some error" without its kind */
	if (err)
		return -ENOSPC;
	return 0;
}

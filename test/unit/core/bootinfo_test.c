// SPDX-License-Identifier: Apache-2.0
/* bootinfo_test.c: the VMM's libfdt builder and the core's FDT walker agree. */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/bootinfo.h"
#include "sentry/fdt.h"

#include "abi/sentry/bootinfo.h"
#include "vmm/vmm.h"

static char *argv_[] = { "/bin/busybox", "echo", "hello world", NULL };
static char *envp_[] = { "PATH=/bin", "HOME=/root", NULL };

static struct boot_params params(void)
{
	struct boot_params bp = {
		.flavour = BOOT_FLAVOUR_KVM_PVM,
		.ncpus = 2,
		.flags = BOOT_F_STRACE,
		.loglevel = 6,
		.ram_size = 512ULL << 20,
		.ram_free = 0x400000,
		.image_pa = 0x8000000000ULL,
		.image_size = 123456,
		.tsc_khz = 2445404,
		.boot_tsc = 0x123456789abcULL,
		.boot_realtime_ns = 1763900000000000000LL,
		.boot_monotonic_ns = 42,
		.argv = argv_,
		.envp = envp_,
		.cwd = "/tmp",
		.hostname = "box",
		.uid = 1000,
		.gid = 100,
	};
	return bp;
}

Test(bootinfo, round_trip_keeps_every_field)
{
	static char buf[BOOTINFO_MAX_SIZE];
	struct boot_params bp = params();
	struct boot_info bi;

	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), 0);
	cr_assert_eq(bootinfo_parse(buf, sizeof(buf), &bi), 0);
	cr_assert_eq(bi.flavour, BOOT_FLAVOUR_KVM_PVM);
	cr_assert_eq(bi.ncpus, 2);
	cr_assert_eq(bi.flags, BOOT_F_STRACE);
	cr_assert_eq(bi.loglevel, 6);
	cr_assert_eq(bi.ram_start, 0x400000);
	cr_assert_eq(bi.ram_end, 512ULL << 20);
	cr_assert_eq(bi.image_pa, 0x8000000000ULL);
	cr_assert_eq(bi.image_size, 123456);
	cr_assert_eq(bi.tsc_khz, 2445404);
	cr_assert_eq(bi.boot_tsc, 0x123456789abcULL);
	cr_assert_eq(bi.boot_realtime_ns, 1763900000000000000LL);
	cr_assert_eq(bi.boot_monotonic_ns, 42);
	cr_assert_str_eq(bi.argv[0], "/bin/busybox");
	cr_assert_str_eq(bi.argv[2], "hello world");
	cr_assert_null(bi.argv[3]);
	cr_assert_str_eq(bi.envp[1], "HOME=/root");
	cr_assert_null(bi.envp[2]);
	cr_assert_str_eq(bi.cwd, "/tmp");
	cr_assert_str_eq(bi.hostname, "box");
	cr_assert_eq(bi.uid, 1000);
	cr_assert_eq(bi.gid, 100);
}

Test(bootinfo, too_small_buffer_is_enospc)
{
	char buf[128];
	struct boot_params bp = params();

	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), -28 /* ENOSPC */);
}

Test(bootinfo, corrupt_blobs_are_rejected_not_read_out_of_bounds)
{
	static char buf[BOOTINFO_MAX_SIZE];
	struct boot_params bp = params();
	struct boot_info bi;
	size_t total;

	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), 0);
	total = fdt_totalsize(buf);
	/* a blob cut short of its own totalsize */
	cr_assert_neq(bootinfo_parse(buf, total - 1, &bi), 0);
	/* every single-byte corruption either parses or fails cleanly (ASan watches) */
	for (size_t i = 0; i < total; i++) {
		char *copy = malloc(total);

		memcpy(copy, buf, total);
		copy[i] ^= 0xff;
		(void)bootinfo_parse(copy, total, &bi);
		free(copy);
	}
	/* a wrong magic */
	buf[0] ^= 1;
	cr_assert_neq(bootinfo_parse(buf, total, &bi), 0);
}

Test(bootinfo, missing_command_is_an_error)
{
	static char buf[BOOTINFO_MAX_SIZE];
	static char *noargs[] = { NULL };
	struct boot_params bp = params();
	struct boot_info bi;

	bp.argv = noargs;
	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), 0);
	cr_assert_neq(bootinfo_parse(buf, sizeof(buf), &bi), 0);
}

Test(bootinfo, free_ram_must_not_include_page_zero)
{
	static char buf[BOOTINFO_MAX_SIZE];
	struct boot_params bp = params();
	struct boot_info bi;

	bp.ram_free = 0;
	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), 0);
	cr_assert_neq(bootinfo_parse(buf, sizeof(buf), &bi), 0);
}

Test(fdt, lookup_of_absent_node_or_property_is_null)
{
	static char buf[BOOTINFO_MAX_SIZE];
	struct boot_params bp = params();
	size_t len;

	cr_assert_eq(bootinfo_build(buf, sizeof(buf), &bp), 0);
	cr_assert_eq(dtb_check(buf, sizeof(buf)), 0);
	cr_assert_null(dtb_getprop(buf, "/nope", "reg", &len));
	cr_assert_null(dtb_getprop(buf, "/chosen", "nope", &len));
	cr_assert_null(dtb_getprop(buf, "/memory", "reg", &len)); /* unit address must match */
	cr_assert_not_null(dtb_getprop(buf, "/memory@0", "reg", &len));
	cr_assert_eq(len, 16);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bootinfo.h: the core's view of the boot info (kernel/bootinfo.c parses the
 * flattened device tree the VMM built, format in abi/sentry/bootinfo.h).
 */
#ifndef SENTRY_BOOTINFO_H
#define SENTRY_BOOTINFO_H

#include "sentry/types.h"

#define BOOT_MAX_ARGS	256

struct boot_info {
	uint32_t flavour;		/* BOOT_FLAVOUR_* */
	uint32_t ncpus;
	uint32_t flags;			/* BOOT_F_* */
	uint32_t loglevel;
	paddr_t ram_start, ram_end;	/* RAM the page allocator may hand out */
	paddr_t image_pa;		/* the image tar, read-only */
	uint64_t image_size;
	uint64_t tsc_khz;		/* KVM: TSC rate for clocks */
	int64_t boot_realtime_ns;	/* host CLOCK_REALTIME at boot_tsc */
	int64_t boot_monotonic_ns;	/* host CLOCK_MONOTONIC at boot_tsc */
	uint64_t boot_tsc;
	const char *argv[BOOT_MAX_ARGS + 1];	/* NULL-terminated, point into the FDT */
	const char *envp[BOOT_MAX_ARGS + 1];
	const char *cwd;
	const char *hostname;
	uint32_t uid, gid;
};

/** bootinfo_parse() - fill @bi from the FDT at @fdt. Return: 0 or -EINVAL. */
int bootinfo_parse(const void *fdt, size_t maxlen, struct boot_info *bi);

/** The parsed boot info, set once by sentry_main(). */
extern struct boot_info boot_info;

/**
 * sentry_main() - boot the core from the FDT at @fdt and run the command.
 * Return: sentry-vm's exit status (app code, 128+signal, 125 setup error,
 * 126 not executable, 127 not found). Called by arch boot code under KVM,
 * by vmm/ptrace in-process under ptrace.
 */
int sentry_main(const void *fdt, size_t fdt_size);

#endif /* SENTRY_BOOTINFO_H */

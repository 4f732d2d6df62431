/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vdso.h: the vDSO in every process (kernel/vdso.c), core.
 *
 * The image is arch/<a>/vdso, embedded by the build; its clocks read the
 * [vvar] page, which holds the platform's clock formula (plat_clock_vvar,
 * sentry/arch/vvar.h).
 */
#ifndef SENTRY_VDSO_H
#define SENTRY_VDSO_H

#include "sentry/types.h"

struct mm;

/* The image as the build embedded it (arch/<a>/vdso/Build.mk). */
extern const unsigned char vdso_image[], vdso_image_end[];

/**
 * vdso_init() - put the image and the [vvar] page into pinned physical
 * pages, the clock formula in [vvar]. Once, at boot, before the first exec.
 * Return: 0; -ENOEXEC (the embedded image is no ELF or too big), -ENOMEM.
 * On failure processes get no vDSO and their C library makes syscalls.
 */
int vdso_init(void);

/**
 * vdso_map() - map [vvar] (read-only) at USER_VDSO_VA and the image (r-x)
 * right above it into the new address space @mm. *@ehdr receives the
 * image's address for AT_SYSINFO_EHDR, 0 without a vDSO.
 * Return: 0 (also without a vDSO), -EEXIST, -ENOMEM.
 */
int vdso_map(struct mm *mm, uaddr_t *ehdr);

#endif /* SENTRY_VDSO_H */

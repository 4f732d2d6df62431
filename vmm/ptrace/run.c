// SPDX-License-Identifier: Apache-2.0
/*
 * run.c: ptrace_run(), the ptrace platform's entry point for vmm/main.c:
 * RAM, boot info, then the sentry core in this process.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "sentry/bootinfo.h"

#include "abi/sentry/bootinfo.h"

#include "vmm/vmm.h"

#include "../sandbox/seccomp.h"
#include "ptrace.h"

/* First physical address the sentry may allocate: pa 0 means "none". */
#define PTRACE_RAM_FREE (1UL << 20)

int ptrace_run(const struct vmm_config *cfg, const struct image *img)
{
	uint64_t ram_size = cfg->ram_size ? cfg->ram_size : GUEST_RAM_DEFAULT;
	struct boot_params bp;
	void *fdt;
	int err, status;

	err = ptrace_mem_init(ram_size, img->data, img->size, img->fd);
	if (err) {
		vmm_err("ptrace: cannot create %llu bytes of RAM: %s",
			(unsigned long long)ram_size, strerror(-err));
		return VMM_EXIT_ERROR;
	}
	memset(&bp, 0, sizeof(bp));
	boot_params_from_config(cfg, img, &bp);
	bp.flavour = BOOT_FLAVOUR_PTRACE;
	bp.ram_size = ram_size;
	bp.ram_free = PTRACE_RAM_FREE;
	bp.image_pa = GUEST_IMAGE_GPA;
	bp.image_size = img->size;

	fdt = malloc(BOOTINFO_MAX_SIZE);
	if (!fdt) {
		vmm_err("ptrace: out of memory");
		status = VMM_EXIT_ERROR;
		goto out_mem;
	}
	err = bootinfo_build(fdt, BOOTINFO_MAX_SIZE, &bp);
	if (err) {
		vmm_err("ptrace: building the boot info: %s", strerror(-err));
		status = VMM_EXIT_ERROR;
		goto out_fdt;
	}
	/* SIG_IGN would make the kernel reap stubs behind our back. */
	signal(SIGCHLD, SIG_DFL);
	/* From here on, only what the core and the stubs need. */
	err = seccomp_tracer_enter();
	if (err) {
		vmm_err("ptrace: cannot enter the seccomp allowlist: %s",
			strerror(-err));
		status = VMM_EXIT_ERROR;
		goto out_fdt;
	}

	status = sentry_main(fdt, BOOTINFO_MAX_SIZE);

	if (ptrace_current_as) {
		plat_as_destroy(ptrace_current_as);
		ptrace_current_as = NULL;
	}
out_fdt:
	free(fdt);
out_mem:
	ptrace_mem_fini();
	return status;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * main.c: sentry-vm's entry. Parse the command line, open the image, pick
 * the platform (KVM where usable, else ptrace), run, and exit with the
 * app's status. The only place that decides to exit.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmm/config.h"
#include "vmm/vmm.h"

#define SENTRY_VM_VERSION "0.1.0"

/* Resolve --platform=auto to a platform this host can run, or explain why not. */
static int choose_platform(struct vmm_config *cfg)
{
	char kvm_why[256] = "", pt_why[256] = "";

	switch (cfg->platform) {
	case VMM_PLATFORM_KVM:
		if (kvm_usable(kvm_why, sizeof(kvm_why))) {
			vmm_err("--platform=kvm: KVM is unusable: %s", kvm_why);
			return -1;
		}
		return 0;
	case VMM_PLATFORM_PTRACE:
		if (ptrace_usable(pt_why, sizeof(pt_why))) {
			vmm_err("--platform=ptrace: ptrace is unusable: %s", pt_why);
			return -1;
		}
		return 0;
	case VMM_PLATFORM_AUTO:
		break;
	}
	if (!kvm_usable(kvm_why, sizeof(kvm_why))) {
		cfg->platform = VMM_PLATFORM_KVM;
		return 0;
	}
	if (!ptrace_usable(pt_why, sizeof(pt_why))) {
		vmm_info("KVM is unusable (%s); using the ptrace platform (-q silences this)",
			 kvm_why);
		cfg->platform = VMM_PLATFORM_PTRACE;
		return 0;
	}
	vmm_err("no platform can run here: KVM: %s; ptrace: %s", kvm_why, pt_why);
	return -1;
}

int main(int argc, char **argv)
{
	struct vmm_config cfg;
	struct image img = { .fd = -1 };
	int status;

	switch (config_parse(argc, argv, &cfg)) {
	case CONFIG_RUN:
		break;
	case CONFIG_HELP:
		config_usage();
		config_free(&cfg);
		return 0;
	case CONFIG_VERSION:
		printf("sentry-vm %s\n", SENTRY_VM_VERSION);
		config_free(&cfg);
		return 0;
	default:
		config_free(&cfg);
		return VMM_EXIT_ERROR;
	}
	vmm_quiet = cfg.quiet;

	/* before the platform probe and the image: the TSC's measuring interval */
	if (cfg.platform != VMM_PLATFORM_KVM)
		ptrace_clock_start();
	if (choose_platform(&cfg) || image_open(cfg.image_path, &img)) {
		config_free(&cfg);
		return VMM_EXIT_ERROR;
	}
	if (cfg.platform == VMM_PLATFORM_KVM)
		status = kvm_run(&cfg, &img);
	else
		status = ptrace_run(&cfg, &img);

	image_close(&img);
	config_free(&cfg);
	fflush(stdout);
	return status;
}

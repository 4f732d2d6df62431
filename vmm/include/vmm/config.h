/* SPDX-License-Identifier: Apache-2.0 */
/* config.h: command-line parsing for sentry-vm (vmm/config.c). Host only. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include "vmm/vmm.h"

enum config_action {
	CONFIG_RUN,
	CONFIG_HELP,
	CONFIG_VERSION,
};

/**
 * config_parse() - parse sentry-vm's argv into @cfg.
 * Return: the action, or -EINVAL after printing what is wrong and how to fix it.
 * The strings in @cfg point into @argv or into memory owned by @cfg
 * (free with config_free()).
 */
int config_parse(int argc, char **argv, struct vmm_config *cfg);
void config_free(struct vmm_config *cfg);

/** config_usage() - the --help text. */
void config_usage(void);

#endif /* VMM_CONFIG_H */

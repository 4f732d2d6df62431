// SPDX-License-Identifier: Apache-2.0
/*
 * signal_frame.c: handler frames. Placeholder until rt_sigframe lands:
 * a handled signal is ignored, with a note once.
 */
#define pr_fmt(fmt) "signal: " fmt

#include "sentry/log.h"

#include "signal_internal.h"

int signal_setup_frame(struct task *t, int sig, const struct signal_info *info,
		       const struct linux_sigaction *ka)
{
	pr_warn_once("signal handlers are not run yet: signal %d ignored", sig);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * syscall.c: syscall dispatch through the table, the --strace hook, and the
 * one place where internal restart codes are resolved before the app sees
 * a result (style.md §3.5).
 */
#define pr_fmt(fmt) "syscall: " fmt

#include "sentry/arch.h"
#include "sentry/kconfig.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/arch/unistd.h"
#include "abi/linux/errno.h"

/* Names of every syscall this arch knows, implemented or not (generated from unistd.h). */
static const char *const syscall_names[NR_SYSCALLS] = {
#include "syscall_names.h"
};

static bool trace_on;
static uint64_t warned[(NR_SYSCALLS + 63) / 64];	/* unimplemented numbers already logged */

void syscall_trace_enable(bool on)
{
	trace_on = on;
}

static const char *syscall_name(unsigned long nr, char *buf, size_t len)
{
	if (nr < NR_SYSCALLS && syscall_names[nr])
		return syscall_names[nr];
	ksnprintf(buf, len, "syscall_%lu", nr);
	return buf;
}

/* Log an unimplemented syscall once per number (apps probe; do not flood). */
static void warn_unimplemented(unsigned long nr)
{
	char buf[24];

	if (nr < NR_SYSCALLS) {
		if (warned[nr / 64] & (1ULL << (nr % 64)))
			return;
		warned[nr / 64] |= 1ULL << (nr % 64);
	}
	pr_info("unsupported syscall %s (%lu): returning ENOSYS",
		syscall_name(nr, buf, sizeof(buf)), nr);
}

static size_t trace_arg(char *p, size_t n, uint8_t fmt, uint64_t v)
{
	char s[48];
	long len;

	switch (fmt) {
	case ARG_INT:
		return ksnprintf(p, n, "%ld", (long)v);
	case ARG_STR:
		len = strncpy_from_user(s, v, sizeof(s));
		if (len >= 0)
			return ksnprintf(p, n, "\"%s\"", s);
		if (len == -ENAMETOOLONG)
			return ksnprintf(p, n, "\"%.*s\"...", (int)sizeof(s) - 1, s);
		return ksnprintf(p, n, "0x%lx", (unsigned long)v);
	default:
		return ksnprintf(p, n, "0x%lx", (unsigned long)v);
	}
}

static void trace(struct task *t, unsigned long nr, const struct syscall_args *a,
		  const struct syscall_desc *d, long ret)
{
	char line[384], nbuf[24];
	size_t len, nargs = d ? d->nargs : 6;

	len = ksnprintf(line, sizeof(line), "[%d] %s(", t->tid,
			syscall_name(nr, nbuf, sizeof(nbuf)));
	for (size_t i = 0; i < nargs && len < sizeof(line); i++) {
		if (i)
			len += ksnprintf(line + len, sizeof(line) - len, ", ");
		if (len < sizeof(line))
			len += trace_arg(line + len, sizeof(line) - len,
					 d ? d->argfmt[i] : ARG_HEX, a->a[i]);
	}
	if (len < sizeof(line)) {
		if (ret < 0 && ret >= -4095)
			ksnprintf(line + len, sizeof(line) - len, ") = -1 (errno %ld)", -ret);
		else if (ret >= 0x10000)	/* addresses (brk, mmap) read better in hex */
			ksnprintf(line + len, sizeof(line) - len, ") = 0x%lx", ret);
		else
			ksnprintf(line + len, sizeof(line) - len, ") = %ld", ret);
	}
	klog(LOG_ERR, "%s", line);
}

void syscall_dispatch(struct task *t)
{
	unsigned long nr = arch_syscall_nr(&t->regs);
	const struct syscall_desc *d = NULL;
	struct syscall_args a;
	long ret;

	arch_syscall_args(&t->regs, &a);
	if (nr < syscall_table_size && syscall_table[nr].fn)
		d = &syscall_table[nr];
	if (d) {
		ret = d->fn(t, &a);
	} else {
		warn_unimplemented(nr);
		ret = -ENOSYS;
	}
	/*
	 * A -ERESTART* result stays in the registers: signal_deliver(), next
	 * in the run loop, restarts the call or makes it EINTR (kernel/signal.c).
	 */
	if (IS_ENABLED(CONFIG_DEBUG_STRACE) && trace_on)
		trace(t, nr, &a, d, ret);
	if (!t->exiting)
		arch_syscall_set_return(&t->regs, ret);
}

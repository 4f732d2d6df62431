// SPDX-License-Identifier: Apache-2.0
/*
 * fatal.c: vm_fatal(), the one path that stops a misbehaving guest
 * (style.md 3.8). It only reports and returns VMM_EXIT_GUEST_FAULT: the run
 * loop returns that from kvm_run(), which tears the VM down; main() exits.
 */
#include <stdarg.h>
#include <stdio.h>

#include "vmm/kvm.h"

int vm_fatal(struct vm *vm, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sentry-vm: guest stopped: %s (rip=0x%llx)\n", what,
		(unsigned long long)(vm->guest_pc ? vm->guest_pc(vm) : 0));
	return VMM_EXIT_GUEST_FAULT;
}

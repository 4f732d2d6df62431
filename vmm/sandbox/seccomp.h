/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp.h: seccomp filters of sentry-vm's host processes. Host only.
 */
#ifndef VMM_SANDBOX_SECCOMP_H
#define VMM_SANDBOX_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/* Instructions seccomp_stub_filter() needs at most. */
#define SECCOMP_STUB_FILTER_MAX 16

/**
 * seccomp_stub_filter() - the filter of a ptrace stub process, as raw BPF in
 * @insns (@max entries; SECCOMP_STUB_FILTER_MAX is enough).
 *
 * The stub runs app code under PTRACE_SYSEMU, where the app's syscalls stop
 * before seccomp and never reach the host. The tracer itself makes the stub
 * run mmap/munmap/mprotect to build the app's address space, always from the
 * one syscall instruction of the stub page, which returns to @syscall_end.
 * So: allow exactly those calls (and exit/exit_group) from exactly that
 * address, on the native arch; kill the whole stub for anything else. This
 * is the backstop if app code ever ran a syscall un-intercepted.
 * libseccomp cannot express the instruction-pointer test, hence raw BPF.
 *
 * Return: the number of instructions, or -ENOSPC.
 */
int seccomp_stub_filter(struct sock_filter *insns, size_t max,
			uint64_t syscall_end);

/**
 * seccomp_tracer_enter() - confine this process, the ptrace platform's
 * tracer (sentry-vm running the sentry core), to what it needs from here
 * on: the host services, the heap, tracing stubs, creating them. Anything
 * else kills the process (SIGSYS). Stubs forked afterwards inherit the
 * list under their own filter. Call once the RAM memfd exists and before
 * the core runs. Return: 0 or -errno.
 */
int seccomp_tracer_enter(void);

/**
 * seccomp_vmm_enter() - the KVM VMM's allowlist, entered once the VM is
 * built, right before the first KVM_RUN: KVM_RUN and KVM_GET_REGS, the host
 * services, the heap and teardown; anything else kills sentry-vm by SIGSYS.
 * Return: 0 or -errno.
 */
int seccomp_vmm_enter(void);

#endif /* VMM_SANDBOX_SECCOMP_H */

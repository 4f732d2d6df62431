/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host.h: the host services the core may use, and the only way it reaches
 * the host. One implementation of each, in vmm/host/; the KVM build reaches
 * it by hostcall (kernel/hostcall.c marshals into abi/sentry/hostcall.h),
 * the ptrace build by direct call.
 *
 * Pointers are sentry pointers (kmalloc'd or stack); the KVM build passes
 * them as guest-physical addresses that the VMM bounds-checks. Each call
 * moves at most HOST_IO_MAX bytes. Every function returns -errno (Linux
 * values) on failure. Host fds are the VMM's: in this version only the
 * sandbox's stdio, 0, 1 and 2.
 */
#ifndef SENTRY_HOST_H
#define SENTRY_HOST_H

#include "sentry/types.h"

#define HOST_IO_MAX	(1UL << 20)	/* largest buffer of one host call */

/** host_read() - read(2) on host fd @hfd. Return: bytes read or -errno. */
long host_read(int hfd, void *buf, size_t len);

/** host_write() - write(2) on host fd @hfd. Return: bytes written or -errno. */
long host_write(int hfd, const void *buf, size_t len);

/**
 * host_ioctl() - the tty ioctls TCGETS (@arg: the 36-byte kernel termios) and
 * TIOCGWINSZ (@arg: 8-byte winsize) on host fd @hfd; any other @cmd: -ENOTTY.
 * Return: 0 or -errno.
 */
long host_ioctl(int hfd, unsigned long cmd, void *arg, size_t arglen);

struct linux_stat;
/** host_fstat() - fstat(2) of host fd @hfd, in the Linux x86_64 layout. */
long host_fstat(int hfd, struct linux_stat *st);

/** host_getrandom() - @len bytes from the host's CSPRNG. Return: @len or -errno. */
long host_getrandom(void *buf, size_t len);

/** host_nanosleep() - sleep @ns nanoseconds (CLOCK_MONOTONIC). Return: 0. */
long host_nanosleep(uint64_t ns);

/**
 * host_exit() - the sandbox is done; @status is sentry-vm's exit status
 * (0-255: the app's code, 128+n for signal n, 126/127 exec failures).
 * Under KVM this stops the VM and does not return; under ptrace it records
 * the status and returns.
 */
void host_exit(int status);

#endif /* SENTRY_HOST_H */

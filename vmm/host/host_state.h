/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host_state.h: what the host services (vmm/host/) keep between calls, for
 * the code that runs a sandbox (vmm/ptrace/run.c, the KVM hostcall loop).
 * Host only.
 */
#ifndef VMM_HOST_HOST_STATE_H
#define VMM_HOST_HOST_STATE_H

#include <stdbool.h>

/**
 * host_exit_status() - the status host_exit() recorded.
 * Return: true with *@status set once host_exit() was called.
 */
bool host_exit_status(int *status);

/** host_exit_reset() - forget a recorded status (tests, a second run). */
void host_exit_reset(void);

/*
 * Host fds the sandbox may use. host_* refuse every other fd with -EBADF:
 * under KVM the guest names host fds, and the VMM's own (KVM, memfd,
 * image) must stay out of its reach. 0, 1 and 2 are allowed from the start.
 */
#define HOST_FD_MAX 1024

/** host_fd_allow() - let the sandbox use host fd @hfd. Return: 0 or -EBADF. */
int host_fd_allow(int hfd);
/** host_fd_forbid() - take @hfd away again. */
void host_fd_forbid(int hfd);
/** host_fd_allowed() - may the sandbox use host fd @hfd? */
bool host_fd_allowed(int hfd);

#endif /* VMM_HOST_HOST_STATE_H */

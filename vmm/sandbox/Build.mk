# SPDX-License-Identifier: Apache-2.0
# seccomp filters of sentry-vm's host processes (the ptrace stub filter now;
# the VMM/helper allowlists later). Included by vmm/ptrace/Build.mk and
# possibly vmm/Build.mk: the guard keeps the object listed once.
ifndef sandbox-y
sandbox-y := vmm/sandbox/seccomp.o
host-y += $(sandbox-y)
endif

# SPDX-License-Identifier: Apache-2.0
# The sentry-vm binary: CLI, image, boot info, platform selection.
host-y += vmm/main.o vmm/config.o vmm/bootinfo.o vmm/image.o vmm/log.o
include vmm/kvm/Build.mk
include vmm/ptrace/Build.mk
include vmm/host/Build.mk
# the core's heap in hosted builds (libc malloc)
hostcore-y += vmm/core_libc.o

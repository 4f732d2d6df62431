# SPDX-License-Identifier: Apache-2.0
# Host services: the one implementation of each host_* (sentry/host.h), for
# both platforms (direct calls under ptrace, hostcalls under KVM).
host-svc-y := vmm/host/io.o vmm/host/misc.o
host-y += $(host-svc-y)

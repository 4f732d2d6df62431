# SPDX-License-Identifier: Apache-2.0
# Unit tests: every test/unit/**/*.c (tests and the fake platform) plus the
# core; host units under test are listed in unit-host-y.
unit-y += $(patsubst %.c,%.o,$(wildcard test/unit/*.c test/unit/*/*.c test/unit/*/*/*.c))
unit-host-y += vmm/bootinfo.o vmm/config.o vmm/log.o vmm/core_libc.o
unit-host-y += vmm/kvm/memory.o vmm/kvm/hostcall.o vmm/kvm/fatal.o
include test/apps/Build.mk
include test/vmm/Build.mk
include test/ptrace/Build.mk

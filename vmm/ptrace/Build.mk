# SPDX-License-Identifier: Apache-2.0
# ptrace platform (host): linked only together with the core.
#   ptrace-plat-y: plat_* and ptrace_usable (also linked by test/ptrace)
#   run.o:         ptrace_run (needs sentry_main and the boot info builder)
ptrace-plat-y := vmm/ptrace/mem.o vmm/ptrace/stub.o vmm/ptrace/plat.o vmm/ptrace/probe.o \
		 vmm/ptrace/preempt.o vmm/ptrace/fpu.o vmm/ptrace/clock.o
hostcore-y += $(ptrace-plat-y) vmm/ptrace/run.o
# the stub's seccomp filter
include vmm/sandbox/Build.mk

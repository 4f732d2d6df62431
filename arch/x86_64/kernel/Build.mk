# SPDX-License-Identifier: Apache-2.0
# guest-only: entry, traps, MMU and run loop of the x86_64 sentry under KVM
guest-y += arch/x86_64/kernel/head.o arch/x86_64/kernel/entry.o \
	   arch/x86_64/kernel/boot.o arch/x86_64/kernel/trap.o \
	   arch/x86_64/kernel/mmu.o arch/x86_64/kernel/run.o \
	   arch/x86_64/kernel/fpu.o

# SPDX-License-Identifier: Apache-2.0
# arch/x86_64: core/ (register ABI, both platforms), kernel/ (guest), vmm/ (host, KVM), ptrace/ (host),
# vdso/ (the vDSO image, embedded into every build of the core)
core-y += arch/x86_64/core/syscall_abi.o arch/x86_64/core/switch.o
include arch/x86_64/kernel/Build.mk
include arch/x86_64/vmm/Build.mk
include arch/x86_64/ptrace/Build.mk
include arch/x86_64/vdso/Build.mk

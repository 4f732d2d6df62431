# SPDX-License-Identifier: Apache-2.0
# host, KVM side: boot area (page tables, GDT/TSS) and vCPU state
host-$(CONFIG_PLATFORM_KVM) += arch/x86_64/vmm/boot.o arch/x86_64/vmm/vcpu.o

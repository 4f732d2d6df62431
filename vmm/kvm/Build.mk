# SPDX-License-Identifier: Apache-2.0
# KVM VMM (host): generic half; the arch half is arch/$(ARCH)/vmm.
host-$(CONFIG_PLATFORM_KVM) += vmm/kvm/vm.o vmm/kvm/run.o vmm/kvm/memory.o \
	vmm/kvm/loader.o vmm/kvm/hostcall.o vmm/kvm/fatal.o vmm/kvm/timer.o
# Unit-tested here without /dev/kvm (test/unit/vmm/kvm_*_test.c); memory.o,
# hostcall.o and fatal.o are listed in test/Build.mk. List each only once.
unit-host-y += vmm/kvm/loader.o

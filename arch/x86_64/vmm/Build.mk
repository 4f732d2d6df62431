# host, KVM side
host-$(CONFIG_PLATFORM_KVM) +=

# KVM VMM (host)
host-$(CONFIG_PLATFORM_KVM) +=

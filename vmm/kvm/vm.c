// SPDX-License-Identifier: Apache-2.0
/*
 * vm.c: the KVM platform's entry points for main(): kvm_usable() explains
 * why KVM cannot be used here, kvm_run() boots the embedded sentry.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm/kvm.h"

int kvm_usable(char *why, size_t whylen)
{
	int fd, v, err;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			snprintf(why, whylen, "no /dev/kvm: this host has no KVM (load kvm_intel or kvm_amd, or enable nested virtualization)");
		else if (err == EACCES || err == EPERM)
			snprintf(why, whylen, "no permission to open /dev/kvm (add the user to the kvm group)");
		else
			snprintf(why, whylen, "cannot open /dev/kvm: %s", strerror(err));
		return -err;
	}
	err = 0;
	v = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		snprintf(why, whylen, "/dev/kvm speaks KVM API version %d, sentry-vm needs %d",
			 v, KVM_API_VERSION);
		err = -ENODEV;
	} else if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
		snprintf(why, whylen, "KVM on this host has no user memory slots (KVM_CAP_USER_MEMORY)");
		err = -ENODEV;
	} else if (&sentry_elf_end[0] <= &sentry_elf_start[0]) {
		snprintf(why, whylen, "this sentry-vm was built without the KVM guest kernel");
		err = -ENOEXEC;
	}
	close(fd);
	return err;
}

int kvm_run(const struct vmm_config *cfg, const struct image *img)
{
	return kvm_run_elf(cfg, img, sentry_elf_start,
			   (size_t)(sentry_elf_end - sentry_elf_start));
}

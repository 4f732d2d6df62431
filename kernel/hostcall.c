// SPDX-License-Identifier: Apache-2.0
/*
 * hostcall.c: host_* (sentry/host.h) for the sentry as a KVM guest (guest
 * only). Each call fills this vCPU's struct hc_args, converts sentry
 * pointers to guest-physical addresses and does one 8-byte MMIO store of
 * the block's address to the doorbell slot of the call
 * (abi/sentry/hostcall.h); the VMM serves it and writes ret before the
 * vCPU resumes. Buffers of any size are fine: the direct map and the
 * kernel mapping are both physically contiguous.
 */
#include "sentry/arch/kvm_guest.h"

#include "sentry/host.h"
#include "sentry/platform.h"

#include "abi/sentry/hostcall.h"

/* One block per vCPU; one vCPU in this version. */
static struct hc_args hc_args_cpu0;

int64_t kvm_hostcall(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hc_args *a = &hc_args_cpu0;

	a->a[0] = a0;
	a->a[1] = a1;
	a->a[2] = a2;
	a->a[3] = a3;
	a->a[4] = 0;
	a->a[5] = 0;
	a->ret = 0;
	arch_mmio_write64(HOSTCALL_DOORBELL_VA + (uint64_t)nr * HC_SLOT_SIZE,
			  arch_virt_to_phys(a));
	return a->ret;
}

/* A buffer's gpa; an empty buffer may be any pointer (NULL too). */
static uint64_t buf_gpa(const void *p, size_t len)
{
	return len ? arch_virt_to_phys(p) : 0;
}

static size_t io_len(size_t len)
{
	return len < HOST_IO_MAX ? len : HOST_IO_MAX;
}

long host_read(int hfd, void *buf, size_t len)
{
	len = io_len(len);
	return kvm_hostcall(HC_READ, (uint64_t)(int64_t)hfd, buf_gpa(buf, len), len, 0);
}

long host_write(int hfd, const void *buf, size_t len)
{
	len = io_len(len);
	return kvm_hostcall(HC_WRITE, (uint64_t)(int64_t)hfd, buf_gpa(buf, len), len, 0);
}

long host_ioctl(int hfd, unsigned long cmd, void *arg, size_t arglen)
{
	return kvm_hostcall(HC_IOCTL, (uint64_t)(int64_t)hfd, cmd, buf_gpa(arg, arglen), arglen);
}

long host_fstat(int hfd, struct linux_stat *st)
{
	return kvm_hostcall(HC_FSTAT, (uint64_t)(int64_t)hfd, arch_virt_to_phys(st), 0, 0);
}

long host_getrandom(void *buf, size_t len)
{
	len = io_len(len);
	return kvm_hostcall(HC_GETRANDOM, buf_gpa(buf, len), len, 0, 0);
}

long host_nanosleep(uint64_t ns)
{
	return kvm_hostcall(HC_NANOSLEEP, ns, 0, 0, 0);
}

long kvm_populate(uint64_t gpa, uint64_t len)
{
	return kvm_hostcall(HC_POPULATE, gpa, len, 0, 0);
}

long kvm_image_read(uint64_t dst_gpa, uint64_t src_gpa, uint64_t len)
{
	return kvm_hostcall(HC_IMAGE_READ, dst_gpa, src_gpa, len, 0);
}

long kvm_set_timer(uint64_t deadline_ns)
{
	return kvm_hostcall(HC_SET_TIMER, deadline_ns, 0, 0, 0);
}

void host_exit(int status)
{
	kvm_hostcall(HC_EXIT, (uint64_t)status & 0xff, 0, 0, 0);
	plat_panic();	/* the VMM never resumes a vCPU after HC_EXIT */
}

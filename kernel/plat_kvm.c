// SPDX-License-Identifier: Apache-2.0
/*
 * plat_kvm.c: the small plat_* services of the sentry as a KVM guest
 * (guest only): the direct map, the console and panic (hostcalls), and
 * clocks from the TSC against the boot info's baseline, without an exit.
 * Address spaces and plat_run_user() are arch code (arch/<a>/kernel).
 */
#include "sentry/arch/kvm_guest.h"
#include "sentry/arch/layout.h"

#include "sentry/bootinfo.h"
#include "sentry/platform.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"
#include "abi/sentry/bootinfo.h"
#include "abi/sentry/hostcall.h"

#define FALLBACK_TSC_KHZ	1000000ULL	/* only if the VMM sent none: 1 GHz */

void *plat_phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

/* Guest RAM is the VM's memslot: the host backs it as the guest touches it. */
void plat_phys_populate(paddr_t pa, size_t len)
{
}

void plat_console_write(const char *s, size_t len)
{
	if (len)
		kvm_hostcall(HC_CONSOLE, arch_virt_to_phys(s), len, 0, 0);
}

__noreturn void plat_panic(void)
{
	for (;;)
		kvm_hostcall(HC_PANIC, 0, 0, 0, 0);
}

/*
 * ns since boot = (tsc - boot_tsc) * mult >> 32, mult = 10^6 * 2^32 / kHz:
 * one 64x64->128 multiply, no division (and no libgcc) per read.
 */
static uint64_t ns_since_boot(void)
{
	static uint64_t mult;
	uint64_t khz = boot_info.tsc_khz ? boot_info.tsc_khz : FALLBACK_TSC_KHZ;
	uint64_t delta = arch_cycles() - boot_info.boot_tsc;

	if (!mult)
		mult = (1000000ULL << 32) / khz;
	if ((int64_t)delta < 0)		/* a vCPU TSC a hair behind the host's */
		return 0;
	return (uint64_t)(((unsigned __int128)delta * mult) >> 32);
}

int plat_clock_ns(int clockid, int64_t *ns)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = boot_info.boot_realtime_ns + (int64_t)ns_since_boot();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = boot_info.boot_monotonic_ns + (int64_t)ns_since_boot();
		return 0;
	default:
		return -EINVAL;
	}
}

/* The vCPU runs only for this sandbox: its time since boot is the best estimate. */
int64_t plat_cpu_ns(void)
{
	return (int64_t)ns_since_boot();
}

/*
 * Both flavours ask the VMM for an interrupt at the deadline
 * (HC_SET_TIMER, one exit). Only an earlier deadline re-arms it: a later
 * one leaves the earlier interrupt armed, which then ends a run early for
 * nothing but costs no exit now.
 */
static int64_t timer_armed = INT64_MAX;

void plat_set_timer(int64_t deadline_ns)
{
	if (deadline_ns >= timer_armed)
		return;
	if (kvm_set_timer(deadline_ns > 0 ? (uint64_t)deadline_ns : 1) == 0)
		timer_armed = deadline_ns;
}

void kvm_timer_fired(void)
{
	timer_armed = INT64_MAX;
}

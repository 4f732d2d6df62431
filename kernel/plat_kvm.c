// SPDX-License-Identifier: Apache-2.0
/*
 * plat_kvm.c: the small plat_* services of the sentry as a KVM guest
 * (guest only): the direct map, the console and panic (hostcalls), and
 * clocks from the TSC against the boot info's baseline, without an exit
 * (the formula the vDSO shares, sentry/arch/vvar.h).
 * Address spaces and plat_run_user() are arch code (arch/<a>/kernel).
 */
#include "sentry/arch/kvm_guest.h"
#include "sentry/arch/layout.h"
#include "sentry/arch/vvar.h"

#include "sentry/bootinfo.h"
#include "sentry/platform.h"

#include "abi/linux/errno.h"
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
 * The clocks: the boot info's TSC baseline, run forward at the TSC's rate
 * with the vDSO's formula (sentry/arch/vvar.h): one multiply, no exit, and
 * the same values the app's vDSO computes from the [vvar] page.
 */
static const struct vvar *kclock(void)
{
	static struct vvar clock;
	uint64_t khz = boot_info.tsc_khz ? boot_info.tsc_khz : FALLBACK_TSC_KHZ;

	if (!clock.mult) {
		clock.tsc_base = boot_info.boot_tsc;
		clock.mult = vvar_mult_for_khz(khz);
		clock.monotonic_ns = boot_info.boot_monotonic_ns;
		clock.realtime_ns = boot_info.boot_realtime_ns;
		/* the vCPU reads the host's TSC: fit for apps if it is invariant */
		clock.flags = vvar_tsc_invariant() ? VVAR_F_TSC : 0;
	}
	return &clock;
}

int plat_clock_ns(int clockid, int64_t *ns)
{
	if (!vvar_clock_ok(clockid))
		return -EINVAL;
	*ns = vvar_clock_at(kclock(), clockid, vvar_rdtsc());
	return 0;
}

bool plat_clock_vvar(struct vvar *v)
{
	*v = *kclock();
	v->seq = 0;
	return v->flags & VVAR_F_TSC;
}

/* The vCPU runs only for this sandbox: its time since boot is the best estimate. */
int64_t plat_cpu_ns(void)
{
	return vvar_clock_at(kclock(), VVAR_CLOCK_MONOTONIC, vvar_rdtsc()) -
	       kclock()->monotonic_ns;
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

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
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/sentry/bootinfo.h"
#include "abi/sentry/hostcall.h"

#define FALLBACK_TSC_KHZ	1000000ULL	/* only if the VMM sent none: 1 GHz */

void *plat_phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

/*
 * The host backs guest RAM on first touch, and under KVM each such fault
 * is an exit plus a host page fault (~25 µs a page measured on PVM; a
 * bulk MADV_POPULATE_WRITE costs ~2.4 µs a page). The page allocator hands
 * out pages low first and says which it hands out: each POPULATE_CHUNK of
 * RAM is backed in one hostcall the first time a page of it goes out, so
 * the host holds at most one chunk the sandbox has not used yet. PVM only:
 * the ring-0 flavour was not measured, and nested under QEMU (the only
 * place it runs here) its L1 kernel wedged in soft lockups with it on.
 */
#define POPULATE_CHUNK	(512UL << 10)
#define POPULATE_MAX_CHUNKS	((64UL << 30) / POPULATE_CHUNK)	/* 64 GiB of RAM */

static uint64_t populated[POPULATE_MAX_CHUNKS / 64];	/* bit per chunk of RAM */
static bool populate_off;	/* the host refused: let the faults do it */

/* Mark chunk @c backed. Return: whether it was not yet. */
static bool chunk_claim(uint64_t c)
{
	uint64_t bit = 1UL << (c % 64);

	if (populated[c / 64] & bit)
		return false;
	populated[c / 64] |= bit;
	return true;
}

void plat_phys_populate(paddr_t pa, size_t len)
{
	uint64_t first = pa / POPULATE_CHUNK, last = (pa + len - 1) / POPULATE_CHUNK, c, end;

	if (populate_off || !len || last >= POPULATE_MAX_CHUNKS ||
	    boot_info.flavour != BOOT_FLAVOUR_KVM_PVM)
		return;
	for (c = first; c <= last; c = end) {
		for (end = c; end <= last && chunk_claim(end); end++)
			;
		if (end == c) {
			end++;	/* backed already */
			continue;
		}
		if (kvm_populate(c * POPULATE_CHUNK, (end - c) * POPULATE_CHUNK))
			populate_off = true;
	}
}

/* PVM only, as HC_POPULATE above: the ring-0 flavour reads the image itself. */
void plat_image_read(void *dst, const void *src, size_t len)
{
	if (!len)
		return;
	if (boot_info.flavour != BOOT_FLAVOUR_KVM_PVM ||
	    kvm_image_read(arch_virt_to_phys(dst), arch_virt_to_phys(src), len))
		memcpy(dst, src, len);	/* ring 0, or an old VMM */
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

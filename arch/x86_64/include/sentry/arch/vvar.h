/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vvar.h: the clock of the x86_64 sentry, as one formula over the TSC that
 * the sentry's own clocks (plat_clock_ns() on both platforms) and the vDSO
 * (arch/x86_64/vdso/vdso.c) share, so that a time read by a syscall and one
 * read in the vDSO are the same function of the same TSC value: they agree
 * and CLOCK_MONOTONIC never goes backwards between the two paths.
 *
 * Used by the core, both platforms and the vDSO: only compiler headers,
 * everything static inline.
 *
 * The [vvar] page each process maps read-only (kernel/vdso.c) holds one
 * struct vvar at offset 0. The sentry writes it with the seqlock protocol
 * (vvar_write_begin/end); readers retry while @seq is odd or changed.
 */
#ifndef SENTRY_ARCH_VVAR_H
#define SENTRY_ARCH_VVAR_H

#include <stdbool.h>
#include <stdint.h>

/* struct vvar.flags */
#define VVAR_F_TSC	1u	/* the TSC is invariant and synchronized: read clocks from it */

struct vvar {
	uint32_t seq;		/* odd while the sentry rewrites the fields below */
	uint32_t flags;		/* VVAR_F_*; 0: the vDSO makes the syscall */
	uint64_t tsc_base;	/* TSC value at which the bases below held */
	uint64_t mult;		/* ns = (tsc - tsc_base) * mult >> 32 */
	int64_t monotonic_ns;	/* CLOCK_MONOTONIC (= BOOTTIME, = RAW) at tsc_base */
	int64_t realtime_ns;	/* CLOCK_REALTIME at tsc_base */
};

/* The Linux clock ids the formula serves (abi/linux/time.h's values). */
#define VVAR_CLOCK_REALTIME		0
#define VVAR_CLOCK_MONOTONIC		1
#define VVAR_CLOCK_MONOTONIC_RAW	4
#define VVAR_CLOCK_REALTIME_COARSE	5
#define VVAR_CLOCK_MONOTONIC_COARSE	6
#define VVAR_CLOCK_BOOTTIME		7

/* mult for a TSC of @khz kHz: 10^6 ns per kHz-cycle-ms, in 32.32 fixed point. */
static inline uint64_t vvar_mult_for_khz(uint64_t khz)
{
	return khz ? (1000000ULL << 32) / khz : 0;
}

/*
 * The TSC, ordered after earlier loads (lfence): a read that follows the
 * seqlock's load of @seq must not be taken before it.
 */
static inline uint64_t vvar_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Does the CPU call its TSC invariant (CPUID 0x80000007 EDX bit 8: constant
 * rate, never stops)? Else the TSC is no clock and nobody reads time from it
 * but a sentry with nothing better (KVM).
 */
static inline bool vvar_tsc_invariant(void)
{
	uint32_t eax = 0x80000000u, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	if (eax < 0x80000007u)
		return false;
	eax = 0x80000007u;
	ecx = 0;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return edx & (1u << 8);
}

/* Is @clockid one the formula gives? (Else: syscall / -EINVAL.) */
static inline bool vvar_clock_ok(int clockid)
{
	switch (clockid) {
	case VVAR_CLOCK_REALTIME:
	case VVAR_CLOCK_REALTIME_COARSE:
	case VVAR_CLOCK_MONOTONIC:
	case VVAR_CLOCK_MONOTONIC_RAW:
	case VVAR_CLOCK_MONOTONIC_COARSE:
	case VVAR_CLOCK_BOOTTIME:
		return true;
	default:
		return false;
	}
}

/*
 * The resolution clock_getres() reports for @clockid: 1 ns, and a 250 Hz
 * tick for the coarse clocks (what Linux says of them; programs size their
 * expectations by it).
 */
static inline long vvar_clock_res_ns(int clockid)
{
	return clockid == VVAR_CLOCK_REALTIME_COARSE ||
			       clockid == VVAR_CLOCK_MONOTONIC_COARSE ?
		       4000000 : 1;
}

/*
 * Time of @clockid (vvar_clock_ok) at TSC value @tsc, in ns since its
 * epoch. A TSC a hair behind @v->tsc_base (another CPU's) counts as the
 * base. The coarse clocks are as fine as the others: nothing ticks.
 */
static inline int64_t vvar_clock_at(const struct vvar *v, int clockid, uint64_t tsc)
{
	uint64_t delta = tsc - v->tsc_base;
	int64_t base;

	if ((int64_t)delta < 0)
		delta = 0;
	base = clockid == VVAR_CLOCK_REALTIME || clockid == VVAR_CLOCK_REALTIME_COARSE ?
		       v->realtime_ns : v->monotonic_ns;
	return base + (int64_t)(((unsigned __int128)delta * v->mult) >> 32);
}

/*
 * Read @clockid from the shared page @v, consistently with a concurrent
 * writer. Return: false when @v says the TSC is not to be used.
 */
static inline bool vvar_read_clock(const volatile struct vvar *v, int clockid,
				   int64_t *ns)
{
	struct vvar snap;
	uint32_t seq;

	do {
		seq = v->seq;
		__asm__ volatile("" ::: "memory");
		snap.flags = v->flags;
		snap.tsc_base = v->tsc_base;
		snap.mult = v->mult;
		snap.monotonic_ns = v->monotonic_ns;
		snap.realtime_ns = v->realtime_ns;
		if (!(snap.flags & VVAR_F_TSC))
			return false;
		*ns = vvar_clock_at(&snap, clockid, vvar_rdtsc());
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || seq != v->seq);
	return true;
}

/* The writer's side: fields change only between these two. */
static inline void vvar_write_begin(volatile struct vvar *v)
{
	v->seq++;
	__asm__ volatile("" ::: "memory");
}

static inline void vvar_write_end(volatile struct vvar *v)
{
	__asm__ volatile("" ::: "memory");
	v->seq++;
}

#endif /* SENTRY_ARCH_VVAR_H */

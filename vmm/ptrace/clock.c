// SPDX-License-Identifier: Apache-2.0
/*
 * clock.c: the clocks of the hosted sentry (plat_clock_ns, plat_clock_vvar).
 *
 * The app's vDSO reads time from the TSC (sentry/arch/vvar.h), natively in
 * the stub. For a time read by a syscall to agree with it, the sentry reads
 * its clocks with the same formula and parameters once the vDSO may use
 * them. Until then (and for ever where the TSC is unfit) they are the
 * host's clock_gettime().
 *
 * The TSC rate is measured, not looked up: ptrace_clock_start() takes a
 * (TSC, CLOCK_MONOTONIC) sample as sentry-vm starts (main(), before the
 * ptrace probe and the image), and the first plat_clock_vvar() (right
 * before the first exec) a second one; the start-up in between (~1 ms) is
 * the measuring interval, so it costs no time unless it was shorter than
 * CLOCK_CAL_MIN_NS. Each sample is the tightest of a few (TSC, clock, TSC)
 * brackets: rates measured so over 1 ms agreed within ~1 ppm here.
 *
 * The TSC is fit when the CPU calls it invariant and the host kernel uses
 * it as its clocksource (it then checked that all CPUs' TSCs agree: the
 * stub and the sentry may run on different CPUs). The sentry's
 * CLOCK_MONOTONIC then runs at the measured rate from the host's value at
 * the switch, so it drifts from the host's by the rate error (ppm);
 * host timers armed for sentry deadlines are converted
 * (ptrace_clock_to_host).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sentry/arch/vvar.h"

#include "sentry/platform.h"

#include "vmm/vmm.h"

#include "ptrace.h"

#define CLOCK_CAL_MIN_NS	(1000 * 1000LL)	/* shortest measuring interval */
#define CLOCK_CAL_TRIES		8
#define CLOCKSOURCE_PATH	"/sys/devices/system/clocksource/clocksource0/current_clocksource"

struct sample {
	uint64_t tsc;
	int64_t mono_ns, real_ns;
};

static struct {
	bool fit;		/* the TSC may be used (ptrace_clock_start) */
	struct sample start;
	struct vvar clock;	/* in use once clock.flags has VVAR_F_TSC */
} ck;

static int64_t host_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The host clocks and the TSC at one moment, from the tightest bracket. */
static struct sample take_sample(void)
{
	struct sample best = { 0 };
	uint64_t width = UINT64_MAX;

	for (int i = 0; i < CLOCK_CAL_TRIES; i++) {
		uint64_t t0 = vvar_rdtsc();
		int64_t mono = host_ns(CLOCK_MONOTONIC), real = host_ns(CLOCK_REALTIME);
		uint64_t t1 = vvar_rdtsc();

		if (t1 - t0 < width) {
			width = t1 - t0;
			best = (struct sample){ t0 + (t1 - t0) / 2, mono, real };
		}
	}
	return best;
}

static bool host_uses_tsc(void)
{
	char buf[16] = "";
	int fd = open(CLOCKSOURCE_PATH, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n >= 3 && strncmp(buf, "tsc", 3) == 0 && (n == 3 || buf[3] == '\n');
}

void ptrace_clock_start(void)
{
	ck.fit = vvar_tsc_invariant() && host_uses_tsc();
	if (ck.fit)
		ck.start = take_sample();
}

/* Measure the rate against ck.start and read the clocks from the TSC from now on. */
static void switch_to_tsc(void)
{
	struct sample end = take_sample();
	int64_t dns = end.mono_ns - ck.start.mono_ns;
	uint64_t dtsc;

	if (dns < CLOCK_CAL_MIN_NS) {
		struct timespec rest = { 0, CLOCK_CAL_MIN_NS - dns };

		while (nanosleep(&rest, &rest) < 0 && errno == EINTR)
			;
		end = take_sample();
		dns = end.mono_ns - ck.start.mono_ns;
	}
	dtsc = end.tsc - ck.start.tsc;
	if (dns <= 0 || (int64_t)dtsc <= 0) {
		ck.fit = false;		/* a TSC that did not advance: keep the host's clocks */
		return;
	}
	ck.clock = (struct vvar){
		.flags = VVAR_F_TSC,
		.tsc_base = end.tsc,
		.mult = (uint64_t)(((unsigned __int128)dns << 32) / dtsc),
		.monotonic_ns = end.mono_ns,
		.realtime_ns = end.real_ns,
	};
}

bool plat_clock_vvar(struct vvar *v)
{
	if (ck.fit && !(ck.clock.flags & VVAR_F_TSC))
		switch_to_tsc();
	*v = ck.clock;
	return ck.clock.flags & VVAR_F_TSC;
}

int plat_clock_ns(int clockid, int64_t *ns)
{
	if (!vvar_clock_ok(clockid))
		return -EINVAL;
	if (ck.clock.flags & VVAR_F_TSC) {
		*ns = vvar_clock_at(&ck.clock, clockid, vvar_rdtsc());
		return 0;
	}
	*ns = host_ns((clockid_t)clockid);
	return 0;
}

int64_t ptrace_clock_to_host(int64_t deadline_ns)
{
	int64_t now, host;

	if (!(ck.clock.flags & VVAR_F_TSC) || deadline_ns == INT64_MAX)
		return deadline_ns;
	plat_clock_ns(VVAR_CLOCK_MONOTONIC, &now);
	host = host_ns(CLOCK_MONOTONIC);
	if (deadline_ns - now > INT64_MAX - host)
		return INT64_MAX;
	return host + (deadline_ns - now);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * vdso.c: the vDSO of the x86_64 sentry. Its functions answer the clock
 * calls in the app, without a syscall: the time is the formula of
 * sentry/arch/vvar.h over the TSC and the [vvar] page the sentry keeps (the
 * page right below this image). Anything the formula does not give (another
 * clock, a TSC the sentry calls unfit) is the real syscall, whose result is
 * returned as the kernel's vDSO returns it (-errno).
 *
 * Built on its own (Build.mk): -fPIC, no libc, linked by vdso.lds into one
 * r-x segment with no relocations; the sentry maps the same pages into
 * every process (kernel/vdso.c) and passes their address as AT_SYSINFO_EHDR.
 * glibc and others look the symbols up by name and version (LINUX_2.6).
 */
#include "sentry/arch/vvar.h"

#include "abi/linux/arch/unistd.h"
#include "abi/linux/time.h"

#define VDSO_PAGE_SIZE	4096
#define EXPORT		__attribute__((visibility("default")))

/* The exported functions: the C library's signatures, Linux's return values. */
EXPORT int __vdso_clock_gettime(int clockid, struct linux_timespec *ts);
EXPORT int __vdso_gettimeofday(struct linux_timeval *tv, struct linux_timezone *tz);
EXPORT long __vdso_time(long *t);
EXPORT long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused);
EXPORT int __vdso_clock_getres(int clockid, struct linux_timespec *res);

/* The image's own ELF header (the linker defines it): the image's first byte. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));

/*
 * The [vvar] page lies one page below the image. (The address is laundered
 * through an empty asm: the compiler would call the subtraction out of
 * bounds of __ehdr_start.)
 */
static const volatile struct vvar *vvar(void)
{
	uintptr_t base = (uintptr_t)__ehdr_start;

	__asm__("" : "+r"(base));
	return (const volatile struct vvar *)(base - VDSO_PAGE_SIZE);
}

static long syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

EXPORT int __vdso_clock_gettime(int clockid, struct linux_timespec *ts)
{
	int64_t ns;

	if (!vvar_clock_ok(clockid) || !vvar_read_clock(vvar(), clockid, &ns))
		return (int)syscall2(__NR_clock_gettime, clockid, (long)ts);
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

EXPORT int __vdso_gettimeofday(struct linux_timeval *tv, struct linux_timezone *tz)
{
	int64_t ns;

	if (tv) {
		if (!vvar_read_clock(vvar(), VVAR_CLOCK_REALTIME, &ns))
			return (int)syscall2(__NR_gettimeofday, (long)tv, (long)tz);
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	if (tz) {	/* UTC, as sys_gettimeofday() says */
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

EXPORT long __vdso_time(long *t)
{
	int64_t ns;

	if (!vvar_read_clock(vvar(), VVAR_CLOCK_REALTIME, &ns))
		return syscall2(__NR_time, (long)t, 0);
	if (t)
		*t = ns / NSEC_PER_SEC;
	return ns / NSEC_PER_SEC;
}

/* One vCPU: always CPU 0, node 0. */
EXPORT long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	(void)unused;
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

EXPORT int __vdso_clock_getres(int clockid, struct linux_timespec *res)
{
	if (!vvar_clock_ok(clockid) || !(vvar()->flags & VVAR_F_TSC))
		return (int)syscall2(__NR_clock_getres, clockid, (long)res);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = vvar_clock_res_ns(clockid);
	}
	return 0;
}

/* The plain names too, as Linux's vDSO has them. */
EXPORT int clock_gettime(int, struct linux_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
EXPORT int gettimeofday(struct linux_timeval *, struct linux_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
EXPORT long time(long *) __attribute__((weak, alias("__vdso_time")));
EXPORT long getcpu(unsigned int *, unsigned int *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
EXPORT int clock_getres(int, struct linux_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));

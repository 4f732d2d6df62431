// SPDX-License-Identifier: Apache-2.0
/*
 * bench.c: cost of one app syscall round trip under the ptrace platform,
 * against the bare PTRACE_SYSEMU loop it is built on. Prints medians of
 * several runs; asserts nothing (make bench-ptrace).
 *
 *   sysemu          PTRACE_SYSEMU + waitpid: the floor
 *   sysemu+regs     + PTRACE_GETREGS + PTRACE_SETREGS: what any tracer
 *                   that reads and answers syscalls needs
 *   plat_run_user   the platform: result register only changed (POKEUSER)
 *   plat (setregs)  the platform when more than the result changed
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

#include "sentry/arch/regs.h"

#include "sentry/platform.h"

#include "vmm/vmm.h"

#include "../../vmm/ptrace/ptrace.h"

#define CODE_VA 0x400000UL
#define CODE_PA 0x100000UL
#define ITERS	20000
#define RUNS	15

/* 1: syscall; jmp 1b */
static const unsigned char loop_code[] = {0x0f, 0x05, 0xeb, 0xfc};

static struct plat_as *as;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct regs start_regs(void)
{
	struct regs r;

	memset(&r, 0, sizeof(r));
	r.rip = CODE_VA;
	r.rflags = RFLAGS_IF | RFLAGS_RESERVED;
	r.rax = 39;
	return r;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double run_sysemu(bool with_regs)
{
	struct regs r = start_regs();
	int64_t t0;
	int status, i;

	ptrace_arch_sanitize(&r);
	if (ptrace(PTRACE_SETREGS, as->pid, NULL, &r) < 0)
		die("SETREGS");
	as->regs_known = false;
	t0 = now_ns();
	for (i = 0; i < ITERS; i++) {
		if (ptrace(PTRACE_SYSEMU, as->pid, NULL, NULL) < 0)
			die("SYSEMU");
		if (waitpid(as->pid, &status, __WALL) < 0)
			die("waitpid");
		if (with_regs) {
			ptrace(PTRACE_GETREGS, as->pid, NULL, &r);
			r.rax = 0;
			ptrace(PTRACE_SETREGS, as->pid, NULL, &r);
		}
	}
	return (double)(now_ns() - t0) / ITERS;
}

static double run_plat(bool full)
{
	struct regs r = start_regs();
	struct fault_info f;
	int64_t t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < ITERS; i++) {
		if (plat_run_user(NULL, &r, &f) != PLAT_STOP_SYSCALL) {
			fprintf(stderr, "unexpected stop\n");
			exit(1);
		}
		r.rax = 0;
		if (full)
			r.rsi ^= 1;
	}
	return (double)(now_ns() - t0) / ITERS;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(v[0]), cmp_double);
	return v[RUNS / 2];
}

int main(void)
{
	char why[256];
	double floor, regs, plat, full, v[4][RUNS];
	int i;

	if (ptrace_usable(why, sizeof(why)) < 0) {
		printf("skipped: %s\n", why);
		return 0;
	}
	if (ptrace_mem_init(16UL << 20, NULL, 0, -1) < 0)
		die("ptrace_mem_init");
	memcpy(ptrace_mem.ram + CODE_PA, loop_code, sizeof(loop_code));
	if (plat_as_create(&as) < 0 ||
	    plat_as_map(as, CODE_VA, CODE_PA, 4096, PROT_READ | PROT_EXEC) < 0)
		die("stub");
	plat_as_activate(as);

	/* Interleaved: noise from the rest of the host hits all alike. */
	for (i = 0; i < RUNS; i++) {
		v[0][i] = run_sysemu(false);
		v[1][i] = run_sysemu(true);
		v[2][i] = run_plat(false);
		v[3][i] = run_plat(true);
	}
	floor = median(v[0]);
	regs = median(v[1]);
	plat = median(v[2]);
	full = median(v[3]);
	printf("%-28s %10s %8s\n", "ptrace round trip", "ns/op", "ratio");
	printf("%-28s %10.0f %8.2f\n", "sysemu + waitpid", floor, 1.0);
	printf("%-28s %10.0f %8.2f\n", "sysemu + getregs + setregs", regs,
	       regs / floor);
	printf("%-28s %10.0f %8.2f\n", "plat_run_user (rax only)", plat,
	       plat / floor);
	printf("%-28s %10.0f %8.2f\n", "plat_run_user (setregs)", full,
	       full / floor);

	/* Address space creation: fork, setup injections, teardown. */
	{
		struct plat_as *tmp;
		int64_t t0 = now_ns();

		for (i = 0; i < 50; i++) {
			if (plat_as_create(&tmp) < 0)
				die("plat_as_create");
			plat_as_destroy(tmp);
		}
		printf("%-28s %10.0f\n", "plat_as_create + destroy",
		       (double)(now_ns() - t0) / 50);
	}
	plat_as_destroy(as);
	ptrace_mem_fini();
	return 0;
}

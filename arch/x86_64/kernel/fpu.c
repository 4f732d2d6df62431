// SPDX-License-Identifier: Apache-2.0
/*
 * fpu.c: the one vCPU's FPU/vector state, switched between tasks
 * (platform.h plat_task_clone/release) and carried in signal frames.
 *
 * Where the VMM turned XSAVE on (CR4.OSXSAVE and XCR0, vmm vcpu.c), each
 * task's state is an XSAVE image in the standard layout, so the app has
 * AVX (and AVX-512 where the host does); else FXSAVE's 512 bytes are the
 * whole state. Lazy: saved and loaded only when a different task is about
 * to run app code. The sentry itself never touches vector registers
 * (-mgeneral-regs-only).
 */
#include "abi/linux/arch/fpstate.h"
#include "abi/linux/errno.h"

#include "sentry/kmalloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"

#include "x86.h"

#define FXSAVE_SIZE	LINUX_FXSAVE_SIZE
#define XSAVE_ALIGN	64
#define XHDR		512		/* the XSAVE header, after the FXSAVE area */
#define XHDR_SIZE	64
#define MXCSR_OFFSET	24
#define MXCSR_VALID	0xffbfU	/* fxrstor #GPs on reserved bits; DAZ (bit 6) left out */
#define CPUID1_OSXSAVE	(1U << 27)	/* ECX: CR4.OSXSAVE is set */
#define XCR0_X87_SSE	0x3

static size_t state_size;		/* FXSAVE_SIZE, or XSAVE's for xcr0; 0: not yet known */
static uint64_t xcr0;			/* 0: no XSAVE */
static struct task *fpu_owner;		/* whose state the FPU holds, or NULL */
static uint8_t fpu_clean[PLAT_FPU_MAX] __aligned(XSAVE_ALIGN);
static uint8_t scratch[PLAT_FPU_MAX] __aligned(XSAVE_ALIGN);	/* signal frames */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void save(void *area)
{
	if (xcr0)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static void restore(const void *area)
{
	if (xcr0)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/* XSAVE or not, and the state of a fresh process, once, before any app runs. */
static void fpu_init(void)
{
	uint32_t r[4], lo, hi, mxcsr = 0x1f80;

	if (state_size)
		return;
	state_size = FXSAVE_SIZE;
	cpuid(1, 0, r);
	if (r[2] & CPUID1_OSXSAVE) {
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		cpuid(0xd, 0, r);	/* EBX: the size for the features XCR0 has on */
		if (r[1] > FXSAVE_SIZE && r[1] <= PLAT_FPU_MAX) {
			xcr0 = (uint64_t)hi << 32 | lo;
			state_size = r[1];
		}
	}
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
	save(fpu_clean);
}

/*
 * @t's save area (64-byte aligned inside its block), made on first use.
 * Zeroed: xsave leaves the XSAVE header's reserved bytes as they are, and
 * xrstor faults on any that is not zero.
 */
static void *area_of(struct task *t)
{
	if (!t->plat)
		t->plat = kzalloc(state_size + XSAVE_ALIGN);
	if (!t->plat)
		return NULL;
	return (void *)(((uintptr_t)t->plat + XSAVE_ALIGN - 1) & ~(uintptr_t)(XSAVE_ALIGN - 1));
}

void x86_fpu_switch_to(struct task *t)
{
	void *area;

	if (!t || fpu_owner == t)
		return;
	fpu_init();
	if (fpu_owner) {
		area = area_of(fpu_owner);
		if (area)
			save(area);
	}
	restore(t->plat ? area_of(t) : fpu_clean);
	fpu_owner = t;
}

void plat_task_clone(struct task *parent, struct task *child)
{
	void *area;

	fpu_init();
	area = area_of(child);
	if (!area)
		return;
	if (fpu_owner == parent)
		save(area);	/* the parent's live state */
	else
		memcpy(area, parent->plat ? area_of(parent) : fpu_clean, state_size);
}

void plat_task_release(struct task *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
	kfree(t->plat);
	t->plat = NULL;
}

size_t plat_fpu_size(struct task *t)
{
	(void)t;
	fpu_init();
	return state_size;
}

int plat_fpu_get(struct task *t, void *buf, size_t size)
{
	struct linux_fpx_sw_bytes sw = {
		.magic1 = LINUX_FP_XSTATE_MAGIC1,
		.extended_size = (uint32_t)size + LINUX_FP_XSTATE_MAGIC2_SIZE,
		.xfeatures = xcr0,
		.xstate_size = (uint32_t)size,
	};

	if (size != plat_fpu_size(t))
		return -EINVAL;
	x86_fpu_switch_to(t);
	save(scratch);
	if (xcr0)
		memcpy(scratch + LINUX_FPX_SW_OFFSET, &sw, sizeof(sw));
	memcpy(buf, scratch, size);
	return 0;
}

/*
 * An XSAVE image the app wrote must not make xrstor fault in the sentry:
 * only features XCR0 has, the standard (not compacted) layout, and the
 * header's reserved bytes zero.
 */
static bool xstate_ok(const uint8_t *area)
{
	uint64_t hdr[XHDR_SIZE / 8];

	memcpy(hdr, area + XHDR, sizeof(hdr));
	if ((hdr[0] & ~xcr0) || hdr[1])
		return false;
	for (unsigned int i = 2; i < XHDR_SIZE / 8; i++)
		if (hdr[i])
			return false;
	return true;
}

int plat_fpu_set(struct task *t, const void *buf, size_t size)
{
	uint32_t mxcsr;

	if (size != FXSAVE_SIZE && size != plat_fpu_size(t))
		return -EINVAL;
	x86_fpu_switch_to(t);
	if (size < state_size)
		save(scratch);	/* a legacy frame: the rest of the state stays */
	memcpy(scratch, buf, size);
	memcpy(&mxcsr, scratch + MXCSR_OFFSET, sizeof(mxcsr));
	mxcsr &= MXCSR_VALID;
	memcpy(scratch + MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
	if (size < state_size)
		scratch[XHDR] |= XCR0_X87_SSE;	/* load the FXSAVE part, not init */
	else if (xcr0 && !xstate_ok(scratch))
		return -EINVAL;
	restore(scratch);
	return 0;
}

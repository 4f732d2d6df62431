// SPDX-License-Identifier: Apache-2.0
/*
 * fpu.c: the one vCPU's FPU/SSE state, switched between tasks (platform.h
 * plat_task_clone/release). The guest does not enable XSAVE (CR4.OSXSAVE
 * is clear, so apps see no AVX): FXSAVE's 512 bytes are the whole app
 * state. Lazy: the state is saved and loaded only when a different task
 * is about to run app code.
 */
#include "abi/linux/errno.h"

#include "sentry/kmalloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"

#include "x86.h"

#define FXSAVE_SIZE	512

static struct task *fpu_owner;		/* whose state the FPU holds, or NULL */
static uint8_t fpu_clean[FXSAVE_SIZE] __aligned(16);
static bool fpu_clean_saved;

static void fxsave(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static void fxrstor(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

/* @t's save area (kmalloc blocks are 16-byte aligned), made on first use. */
static void *area_of(struct task *t)
{
	if (!t->plat)
		t->plat = kmalloc(FXSAVE_SIZE);
	return t->plat;
}

void x86_fpu_switch_to(struct task *t)
{
	void *area;

	if (!t || fpu_owner == t)
		return;
	if (!fpu_clean_saved) {	/* the state of a fresh process, from before any app ran */
		uint32_t mxcsr = 0x1f80;

		__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
		fxsave(fpu_clean);
		fpu_clean_saved = true;
	}
	if (fpu_owner) {
		area = area_of(fpu_owner);
		if (area)
			fxsave(area);
	}
	fxrstor(t->plat ? t->plat : fpu_clean);
	fpu_owner = t;
}

void plat_task_clone(struct task *parent, struct task *child)
{
	void *area = area_of(child);

	if (!area)
		return;
	if (fpu_owner == parent)
		fxsave(area);	/* the parent's live state */
	else
		memcpy(area, parent->plat ? parent->plat : fpu_clean, FXSAVE_SIZE);
}

void plat_task_release(struct task *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
	kfree(t->plat);
	t->plat = NULL;
}

#define MXCSR_OFFSET	24
#define MXCSR_VALID	0xffbfU	/* fxrstor #GPs on reserved bits; DAZ (bit 6) left out */

size_t plat_fpu_size(struct task *t)
{
	(void)t;
	return PLAT_FPU_LEGACY;	/* no XSAVE in the guest */
}

int plat_fpu_get(struct task *t, void *buf, size_t size)
{
	static uint8_t area[FXSAVE_SIZE] __aligned(16);

	if (size != FXSAVE_SIZE)
		return -EINVAL;
	x86_fpu_switch_to(t);
	fxsave(area);
	memcpy(buf, area, FXSAVE_SIZE);
	return 0;
}

int plat_fpu_set(struct task *t, const void *buf, size_t size)
{
	static uint8_t area[FXSAVE_SIZE] __aligned(16);
	uint32_t mxcsr;

	if (size != FXSAVE_SIZE)
		return -EINVAL;
	memcpy(area, buf, FXSAVE_SIZE);
	memcpy(&mxcsr, area + MXCSR_OFFSET, sizeof(mxcsr));
	mxcsr &= MXCSR_VALID;
	memcpy(area + MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
	x86_fpu_switch_to(t);
	fxrstor(area);
	return 0;
}

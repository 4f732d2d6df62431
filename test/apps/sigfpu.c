// SPDX-License-Identifier: Apache-2.0
/*
 * sigfpu.c: vector registers across a signal handler. The interrupted
 * code's registers (the upper halves of YMM too, where the CPU and the
 * OS give AVX) are in the frame, come back after a handler that clobbers
 * them, and take what the handler wrote into the frame; so does MXCSR.
 * Where AVX is on, the frame is an XSAVE image: UC_FP_XSTATE,
 * FP_XSTATE_MAGIC1 in sw_reserved and FP_XSTATE_MAGIC2 after it, as
 * Linux lays it out. Without AVX the same lines test the XMM halves only.
 * Also: the registers survive switches to another process that uses them,
 * and a frame whose XSAVE header the handler broke ends in SIGSEGV.
 */
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "tap.h"

#define NREG		8	/* YMM8..YMM15: no compiler or libc code touches them here */
#define XMM8_OFFSET	(160 + 8 * 16)	/* in the FXSAVE area */
#define SW_OFFSET	464
#define UC_FP_XSTATE	0x1
#define MAGIC1		0x46505853U
#define MAGIC2		0x46505845U
#define MXCSR_UP	(0x1f80 | 0x4000)	/* default with round-up */

static int avx;
static unsigned int ymm_hi_offset;	/* of YMM_Hi128 in the XSAVE standard layout */
static uint8_t before[NREG][32] __attribute__((aligned(32)));
static uint8_t after[NREG][32] __attribute__((aligned(32)));
static volatile int frame_aligned, frame_holds_regs, frame_layout;
static unsigned int mxcsr_after;

static void detect_avx(void)
{
	unsigned int a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX))
		return;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 6) != 6)
		return;
	__cpuid_count(0xd, 2, a, b, c, d);
	ymm_hi_offset = b;
	avx = 1;
}

static void clobber(void)
{
	if (avx)
		__asm__ volatile("vpcmpeqb %%ymm8, %%ymm8, %%ymm8\n\t"
				 "vpcmpeqb %%ymm9, %%ymm9, %%ymm9\n\t"
				 "vpcmpeqb %%ymm10, %%ymm10, %%ymm10\n\t"
				 "vpcmpeqb %%ymm11, %%ymm11, %%ymm11\n\t"
				 "vpcmpeqb %%ymm12, %%ymm12, %%ymm12\n\t"
				 "vpcmpeqb %%ymm13, %%ymm13, %%ymm13\n\t"
				 "vpcmpeqb %%ymm14, %%ymm14, %%ymm14\n\t"
				 "vpcmpeqb %%ymm15, %%ymm15, %%ymm15" ::: "memory");
	else
		__asm__ volatile("pcmpeqb %%xmm8, %%xmm8\n\tpcmpeqb %%xmm9, %%xmm9\n\t"
				 "pcmpeqb %%xmm10, %%xmm10\n\tpcmpeqb %%xmm11, %%xmm11\n\t"
				 "pcmpeqb %%xmm12, %%xmm12\n\tpcmpeqb %%xmm13, %%xmm13\n\t"
				 "pcmpeqb %%xmm14, %%xmm14\n\tpcmpeqb %%xmm15, %%xmm15" ::: "memory");
	__asm__ volatile("ldmxcsr %0" : : "m"((unsigned int){ 0x1f80 | 0x6000 }));	/* toward zero */
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t sw[2], magic2;
	int good = 1;

	(void)sig;
	(void)si;
	frame_aligned = fp && (uintptr_t)fp % 64 == 0;
	if (!frame_aligned)
		return;
	for (int i = 0; i < NREG; i++) {
		good &= !memcmp(fp + XMM8_OFFSET + 16 * i, before[i], 16);
		if (avx)
			good &= !memcmp(fp + ymm_hi_offset + 16 * (8 + i), before[i] + 16, 16);
	}
	frame_holds_regs = good;
	if (avx) {
		memcpy(sw, fp + SW_OFFSET, sizeof(sw));	/* magic1, extended_size */
		memcpy(&magic2, fp + sw[1] - 4, sizeof(magic2));
		frame_layout = (uc->uc_flags & UC_FP_XSTATE) && sw[0] == MAGIC1 && magic2 == MAGIC2;
		memset(fp + ymm_hi_offset + 16 * 8, 0xa5, 16);
	} else {
		frame_layout = 1;
	}
	memset(fp + XMM8_OFFSET, 0x5a, 16);
	uc->uc_mcontext.fpregs->mxcsr = MXCSR_UP;
	clobber();
}

/* YMM8..15 (or XMM8..15) from before[], a signal to this thread, then into after[]. */
static void around_signal(void)
{
	long pid = getpid(), tid = syscall(SYS_gettid), nr = SYS_tgkill;

	if (avx)
		__asm__ volatile("vmovdqa 0(%1), %%ymm8\n\tvmovdqa 32(%1), %%ymm9\n\t"
				 "vmovdqa 64(%1), %%ymm10\n\tvmovdqa 96(%1), %%ymm11\n\t"
				 "vmovdqa 128(%1), %%ymm12\n\tvmovdqa 160(%1), %%ymm13\n\t"
				 "vmovdqa 192(%1), %%ymm14\n\tvmovdqa 224(%1), %%ymm15\n\t"
				 "syscall\n\t"
				 "vmovdqa %%ymm8, 0(%2)\n\tvmovdqa %%ymm9, 32(%2)\n\t"
				 "vmovdqa %%ymm10, 64(%2)\n\tvmovdqa %%ymm11, 96(%2)\n\t"
				 "vmovdqa %%ymm12, 128(%2)\n\tvmovdqa %%ymm13, 160(%2)\n\t"
				 "vmovdqa %%ymm14, 192(%2)\n\tvmovdqa %%ymm15, 224(%2)\n\t"
				 "vzeroupper"
				 : "+a"(nr)
				 : "r"(before), "r"(after), "D"(pid), "S"(tid), "d"((long)SIGUSR1)
				 : "rcx", "r11", "memory");
	else
		__asm__ volatile("movdqa 0(%1), %%xmm8\n\tmovdqa 32(%1), %%xmm9\n\t"
				 "movdqa 64(%1), %%xmm10\n\tmovdqa 96(%1), %%xmm11\n\t"
				 "movdqa 128(%1), %%xmm12\n\tmovdqa 160(%1), %%xmm13\n\t"
				 "movdqa 192(%1), %%xmm14\n\tmovdqa 224(%1), %%xmm15\n\t"
				 "syscall\n\t"
				 "movdqa %%xmm8, 0(%2)\n\tmovdqa %%xmm9, 32(%2)\n\t"
				 "movdqa %%xmm10, 64(%2)\n\tmovdqa %%xmm11, 96(%2)\n\t"
				 "movdqa %%xmm12, 128(%2)\n\tmovdqa %%xmm13, 160(%2)\n\t"
				 "movdqa %%xmm14, 192(%2)\n\tmovdqa %%xmm15, 224(%2)"
				 : "+a"(nr)
				 : "r"(before), "r"(after), "D"(pid), "S"(tid), "d"((long)SIGUSR1)
				 : "rcx", "r11", "memory");
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_after));
}

/*
 * YMM8 (or XMM8) holds @seed's pattern across @n sched_yield calls while
 * another process does the same with its own. Return: whether it held.
 */
static int holds_across_yields(uint8_t seed, int n)
{
	uint8_t in[32] __attribute__((aligned(32))), out[32] __attribute__((aligned(32)));

	memset(in, seed, sizeof(in));
	for (int i = 0; i < n; i++) {
		long nr = SYS_sched_yield;

		if (avx)
			__asm__ volatile("vmovdqa %1, %%ymm8\n\tsyscall\n\tvmovdqa %%ymm8, %2"
					 : "+a"(nr) : "m"(in), "m"(out) : "rcx", "r11", "memory");
		else
			__asm__ volatile("movdqa %1, %%xmm8\n\tsyscall\n\tmovdqa %%xmm8, %2"
					 : "+a"(nr) : "m"(in), "m"(out) : "rcx", "r11", "memory");
		if (memcmp(in, out, avx ? 32 : 16))
			return 0;
	}
	return 1;
}

static void break_header(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	if (avx)	/* a reserved byte of the XSAVE header; without, none to break */
		((uint8_t *)uc->uc_mcontext.fpregs)[512 + 20] = 1;
}

static void test_broken_frame(void)
{
	struct sigaction sa;
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = break_header;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGUSR2, &sa, NULL);
		raise(SIGUSR2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(avx ? WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV : WIFEXITED(st),
	   "a frame with a broken XSAVE header: SIGSEGV at sigreturn");
}

static void test_switches(void)
{
	int st = -1, mine;
	pid_t pid = fork();

	if (pid == 0)
		_exit(holds_across_yields(0x33, 2000) ? 0 : 1);
	mine = holds_across_yields(0xcc, 2000);
	waitpid(pid, &st, 0);
	ok(mine && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "two processes' vector registers survive switches between them");
}

int main(void)
{
	struct sigaction sa;
	int back = 1, changed = 1;
	size_t width;

	detect_avx();
	width = avx ? 32 : 16;
	for (int i = 0; i < NREG; i++)
		for (int j = 0; j < 32; j++)
			before[i][j] = (uint8_t)(i * 32 + j + 1);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	around_signal();
	__asm__ volatile("ldmxcsr %0" : : "m"((unsigned int){ 0x1f80 }));

	ok(frame_aligned, "the handler's frame points at the FPU state, 64-byte aligned");
	ok(frame_holds_regs, "the frame holds the interrupted code's vector registers");
	ok(frame_layout, "the frame's FPU state is laid out as Linux does");
	for (int i = 1; i < NREG; i++)
		back &= !memcmp(before[i], after[i], width);
	ok(back, "registers the handler clobbered are back after sigreturn");
	for (int j = 0; j < 16; j++)
		changed &= after[0][j] == 0x5a && (!avx || after[0][16 + j] == 0xa5);
	ok(changed, "a register the handler changed in the frame takes the new value");
	ok(mxcsr_after == MXCSR_UP, "MXCSR set in the frame comes back");
	test_switches();
	test_broken_frame();
	if (!back || !changed)
		diag("avx %d: ymm8 after %02x..%02x, ymm9 after %02x..%02x", avx, after[0][0],
		     after[0][31], after[1][0], after[1][31]);
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * syscall_abi.c: the x86_64 Linux syscall register convention and the
 * initial user register state, for every platform (core: the registers mean
 * the same whether KVM entry code or PTRACE_GETREGS filled them).
 */
#include "sentry/arch.h"
#include "sentry/string.h"
#include "sentry/syscall.h"

#include "abi/linux/arch/unistd.h"

unsigned long arch_syscall_nr(const struct regs *regs)
{
	return regs->orig_rax;
}

void arch_syscall_args(const struct regs *regs, struct syscall_args *args)
{
	args->a[0] = regs->rdi;
	args->a[1] = regs->rsi;
	args->a[2] = regs->rdx;
	args->a[3] = regs->r10;
	args->a[4] = regs->r8;
	args->a[5] = regs->r9;
}

void arch_syscall_set_return(struct regs *regs, long ret)
{
	regs->rax = (uint64_t)ret;
}

long arch_syscall_ret(const struct regs *regs)
{
	return (long)regs->rax;
}

/* The 2-byte syscall instruction again, with its number back in rax. */
void arch_syscall_restart(struct regs *regs)
{
	regs->rax = regs->orig_rax;
	regs->rip -= 2;
}

void arch_syscall_restart_block(struct regs *regs)
{
	regs->rax = __NR_restart_syscall;
	regs->rip -= 2;
}

void arch_init_user_regs(struct regs *regs, uaddr_t pc, uaddr_t sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = pc;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = RFLAGS_IF | RFLAGS_RESERVED;
	/* rdx = 0: no rtld_fini for _start to register (SysV ABI) */
}

/* CPUID leaf 1 EDX, which is what Linux reports as AT_HWCAP on x86_64. */
unsigned long arch_hwcap(void)
{
	static uint32_t edx;
	static bool cached;
	uint32_t eax = 1, ebx, ecx = 0;

	if (!cached) {
		__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
		cached = true;
	}
	return edx;
}

/* HWCAP2_FSGSBASE is not claimed: the app must use arch_prctl so the sentry sees FS. */
unsigned long arch_hwcap2(void)
{
	return 0;
}

const char *arch_platform_name(void)
{
	return "x86_64";
}

const char *arch_uname_machine(void)
{
	return "x86_64";
}

// SPDX-License-Identifier: Apache-2.0
/*
 * switch.c: kernel context switch (sentry/arch.h), x86_64 SysV ABI.
 * Only the callee-saved registers travel: the switch is a function call,
 * so the compiler already assumes every other register is clobbered.
 */
#include "sentry/arch.h"

/* arch_kctx_switch(from = %rdi, to = %rsi) */
__asm__(".text\n"
	".globl arch_kctx_switch\n"
	".type arch_kctx_switch, @function\n"
	"arch_kctx_switch:\n"
	"	push %rbp\n"
	"	push %rbx\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	mov %rsp, (%rdi)\n"
	"	mov (%rsi), %rsp\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	pop %rbp\n"
	"	ret\n"
	".size arch_kctx_switch, . - arch_kctx_switch\n"
	/* First switch into a new context: fn = r13, arg = r12. */
	".type kctx_start, @function\n"
	"kctx_start:\n"
	"	mov %r12, %rdi\n"
	"	call *%r13\n"
	"	ud2\n"
	".size kctx_start, . - kctx_start\n");

void kctx_start(void);

void arch_kctx_init(struct arch_kctx *ctx, void *stack_top,
		    void (*fn)(void *), void *arg)
{
	uint64_t *sp = stack_top;

	*--sp = (uint64_t)kctx_start;	/* popped by ret: rsp is then stack_top */
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = (uint64_t)arg;		/* r12 */
	*--sp = (uint64_t)fn;		/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	ctx->sp = (uint64_t)sp;
}

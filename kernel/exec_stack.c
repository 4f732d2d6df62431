// SPDX-License-Identifier: Apache-2.0
/*
 * exec_stack.c: the initial stack of a new program, laid out as Linux's
 * fs/exec.c and create_elf_tables() do, because libc start code walks it:
 *
 *   USER_STACK_TOP ->  8 zero bytes
 *                      AT_EXECFN string
 *                      envp strings          [env_start, env_end)
 *                      argv strings          [arg_start, arg_end)
 *                      (align 16)
 *                      AT_PLATFORM string
 *                      AT_RANDOM: 16 bytes
 *                      auxv pairs ... AT_NULL
 *                      NULL, envp[envc-1] ... envp[0]
 *                      NULL, argv[argc-1] ... argv[0]
 *   sp (16-aligned) -> argc
 */
#include "sentry/arch/layout.h"

#include "sentry/arch.h"
#include "sentry/elf.h"
#include "sentry/exec.h"
#include "sentry/host.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"

#include "abi/linux/auxv.h"
#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

#define CLOCK_TICKS	100	/* AT_CLKTCK: USER_HZ */
#define NAUXV		20	/* auxv pairs, AT_NULL included */

/* Where each piece goes, from the top down. */
struct layout {
	size_t argc, envc, argbytes, envbytes;
	size_t words;		/* argc, argv, envp and auxv */
	uaddr_t execfn, env_start, arg_start, platform, random, sp;
};

static int count_strings(char *const *v, size_t *n, size_t *bytes)
{
	size_t len;

	*n = 0;
	*bytes = 0;
	for (; v && v[*n]; (*n)++) {
		len = strnlen(v[*n], EXEC_STRING_MAX) + 1;
		if (len > EXEC_STRING_MAX)
			return -E2BIG;
		*bytes += len;
		if (*bytes > EXEC_ARG_MAX)
			return -E2BIG;
	}
	return 0;
}

static int plan(const struct exec_stack_args *sa, struct layout *l)
{
	uaddr_t p = USER_STACK_TOP - sizeof(uint64_t);
	int err;

	err = count_strings(sa->argv, &l->argc, &l->argbytes);
	if (!err)
		err = count_strings(sa->envp, &l->envc, &l->envbytes);
	if (err)
		return err;
	l->words = 1 + l->argc + 1 + l->envc + 1 + 2 * NAUXV;
	if (l->argbytes + l->envbytes + l->words * sizeof(uint64_t) > EXEC_ARG_MAX)
		return -E2BIG;
	l->execfn = p -= strlen(sa->execfn) + 1;
	l->env_start = p -= l->envbytes;
	l->arg_start = p -= l->argbytes;
	p &= ~15UL;
	l->platform = p -= strlen(arch_platform_name()) + 1;
	l->random = p -= 16;
	l->sp = (p - l->words * sizeof(uint64_t)) & ~15UL;
	return 0;
}

/* Copy the strings of @v to @at onward; their addresses go to @ptrs. */
static int put_strings(struct mm *mm, char *const *v, size_t n, uaddr_t at,
		       uint64_t *ptrs)
{
	size_t len;
	int err;

	for (size_t i = 0; i < n; i++, at += len) {
		len = strlen(v[i]) + 1;
		ptrs[i] = at;
		err = mm_copy_to(mm, at, v[i], len);
		if (err)
			return err;
	}
	ptrs[n] = 0;
	return 0;
}

static void fill_auxv(uint64_t *aux, const struct exec_stack_args *sa,
		      const struct layout *l)
{
	const uint64_t pairs[NAUXV - 1][2] = {
		/* first, as Linux has it; AT_IGNORE where there is no vDSO */
		{ sa->sysinfo_ehdr ? AT_SYSINFO_EHDR : AT_IGNORE, sa->sysinfo_ehdr },
		{ AT_HWCAP, arch_hwcap() },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, CLOCK_TICKS },
		{ AT_PHDR, sa->img->phdr_addr },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, sa->img->phnum },
		{ AT_BASE, sa->interp_base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, sa->img->entry },
		{ AT_UID, sa->uid },
		{ AT_EUID, sa->euid },
		{ AT_GID, sa->gid },
		{ AT_EGID, sa->egid },
		{ AT_SECURE, 0 },
		{ AT_RANDOM, l->random },
		{ AT_HWCAP2, arch_hwcap2() },
		{ AT_EXECFN, l->execfn },
		{ AT_PLATFORM, l->platform },
	};

	memcpy(aux, pairs, sizeof(pairs));
	aux[2 * (NAUXV - 1)] = AT_NULL;
	aux[2 * (NAUXV - 1) + 1] = 0;
}

int exec_stack_build(struct mm *mm, const struct exec_stack_args *sa,
		     uaddr_t *sp)
{
	static char empty[] = "";
	static char *const empty_argv[] = { empty, NULL };
	struct exec_stack_args args = *sa;
	const char *platform = arch_platform_name();
	uint8_t rnd[16];
	uint64_t *table;
	struct layout l;
	uaddr_t low;
	long ret;
	int err;

	if (!args.argv || !args.argv[0])
		args.argv = empty_argv;	/* Linux 5.18+: argc is never 0 */
	err = plan(&args, &l);
	if (err)
		return err;
	ret = mm_mmap(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
		      PROT_READ | PROT_WRITE | (sa->img->exec_stack ? PROT_EXEC : 0),
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN |
			      MAP_STACK,
		      NULL, 0);
	if (ret < 0)
		return (int)ret;
	/* the arguments and the first frames: one run, no demand faults */
	low = (l.sp - EXEC_STACK_PREFAULT) & PAGE_MASK;
	err = mm_populate(mm, low, USER_STACK_TOP - low);
	if (err)
		return err;
	if (host_getrandom(rnd, sizeof(rnd)) != sizeof(rnd))
		return -EIO;

	table = kzalloc(l.words * sizeof(*table));
	if (!table)
		return -ENOMEM;
	table[0] = l.argc;
	err = put_strings(mm, args.argv, l.argc, l.arg_start, table + 1);
	if (!err)
		err = put_strings(mm, args.envp, l.envc, l.env_start, table + 2 + l.argc);
	if (!err)
		err = mm_copy_to(mm, l.execfn, args.execfn, strlen(args.execfn) + 1);
	if (!err)
		err = mm_copy_to(mm, l.platform, platform, strlen(platform) + 1);
	if (!err)
		err = mm_copy_to(mm, l.random, rnd, sizeof(rnd));
	if (!err) {
		fill_auxv(table + 3 + l.argc + l.envc, &args, &l);
		err = mm_copy_to(mm, l.sp, table, l.words * sizeof(*table));
	}
	kfree(table);
	if (err)
		return err;
	mm->stack_top = USER_STACK_TOP;
	mm->arg_start = l.arg_start;
	mm->arg_end = mm->env_start = l.arg_start + l.argbytes;
	mm->env_end = l.env_start + l.envbytes;
	*sp = l.sp;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec.h: loading a program into a task (kernel/exec.c, kernel/exec_stack.c),
 * core. Static ELF64 x86_64 executables: ET_EXEC, and static PIE (ET_DYN)
 * loaded at USER_PIE_BASE. Programs with PT_INTERP are refused for now.
 */
#ifndef SENTRY_EXEC_H
#define SENTRY_EXEC_H

#include "sentry/types.h"

struct task;
struct mm;
struct elf_image;

/* Linux's limits: argv + envp with pointers (1/4 of an 8 MiB stack); one string. */
#define EXEC_ARG_MAX		(2UL << 20)
#define EXEC_STRING_MAX		(32 * PAGE_SIZE)
/* Initial stack populated below the arguments at exec (the rest faults in). */
#define EXEC_STACK_PREFAULT	(64UL << 10)

/**
 * exec_load() - replace @t's program with the executable at @path
 * (relative to @t's cwd), with arguments @argv and environment @envp
 * (sentry strings, NULL-terminated arrays).
 *
 * The new address space is built completely before @t is touched: on
 * failure @t is unchanged. On success @t runs in a fresh mm (the old one is
 * destroyed) from the ELF entry point, with the initial stack Linux builds
 * (argc, argv, envp, auxv; rsp 16-byte aligned at argc), t->exe_path and
 * t->comm set.
 *
 * Return: 0; -ENOENT/-ENOTDIR (no such file); -EACCES (not an executable
 * regular file); -ENOEXEC (not a static ELF64 x86_64 executable, or
 * malformed); -E2BIG (arguments too long); -ENOMEM.
 */
int exec_load(struct task *t, const char *path, char *const argv[],
	      char *const envp[]);

/* What the initial stack describes; filled by exec_load(). */
struct exec_stack_args {
	char *const *argv;	/* NULL or empty: one "" argument, as Linux does */
	char *const *envp;	/* NULL: empty */
	const char *execfn;	/* AT_EXECFN: the path as given to exec */
	const struct elf_image *img;
	uint32_t uid, euid, gid, egid;
};

/**
 * exec_stack_build() - map the stack VMA in @mm (USER_STACK_SIZE below
 * USER_STACK_TOP, populated on demand except its top) and write the initial
 * stack. Sets @mm's arg/env bounds; *@sp receives the initial stack pointer.
 * Return: 0, -E2BIG, -ENOMEM, -EEXIST (something is mapped there already).
 */
int exec_stack_build(struct mm *mm, const struct exec_stack_args *sa,
		     uaddr_t *sp);

#endif /* SENTRY_EXEC_H */

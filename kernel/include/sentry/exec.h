/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec.h: loading a program into a task (kernel/exec.c, kernel/exec_stack.c,
 * kernel/exec_script.c), core. ELF64 x86_64 executables: ET_EXEC, and PIE
 * (ET_DYN) loaded at USER_PIE_BASE; a PT_INTERP names the dynamic linker
 * (ET_DYN), loaded top-down below USER_MMAP_BASE, which starts the program.
 * "#!" scripts run their interpreter, as Linux's binfmt_script.
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
/* A "#!" line: Linux's BINPRM_BUF_SIZE bytes are read, "#!" included. */
#define EXEC_SHEBANG_MAX	256
/* Scripts whose interpreter is a script ...: this many "#!" hops, then -ELOOP. */
#define EXEC_MAX_NESTING	4
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
 * A "#!" script runs as Linux runs it: argv becomes [interpreter,
 * (optional argument), @path, @argv[1]...]; AT_EXECFN and comm stay
 * @path's, exe_path is the final ELF program.
 *
 * Return: 0; -ENOENT/-ENOTDIR (no such file, or its interpreter is missing:
 * logged with pr_err); -EACCES (not an executable regular file); -ENOEXEC
 * (not an ELF64 x86_64 executable or a script, or malformed, or a malformed
 * interpreter); -ELOOP (scripts nested over EXEC_MAX_NESTING); -E2BIG
 * (arguments too long); -ENOMEM.
 */
int exec_load(struct task *t, const char *path, char *const argv[],
	      char *const envp[]);

/**
 * exec_load_at() - exec_load() of @path relative to the directory @dirfd
 * (AT_FDCWD: the cwd), or of the file @dirf itself when @path is "" (the
 * caller checked AT_EMPTY_PATH and got @dirf from @dirfd). @flags:
 * AT_SYMLINK_NOFOLLOW (a symlink is -ELOOP). A program reached through a
 * directory fd is named /dev/fd/N[/path] (AT_EXECFN, a script's argument),
 * as Linux names it.
 */
struct file;
int exec_load_at(struct task *t, struct file *dirf, int dirfd, const char *path,
		 int flags, char *const argv[], char *const envp[]);

/* What the initial stack describes; filled by exec_load(). */
struct exec_stack_args {
	char *const *argv;	/* NULL or empty: one "" argument, as Linux does */
	char *const *envp;	/* NULL: empty */
	const char *execfn;	/* AT_EXECFN: the path as given to exec */
	const struct elf_image *img;	/* the program (AT_PHDR, AT_ENTRY ...) */
	uaddr_t interp_base;	/* AT_BASE: the dynamic linker's bias, 0: none */
	uaddr_t sysinfo_ehdr;	/* AT_SYSINFO_EHDR: the vDSO's image, 0: none */
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

/**
 * exec_parse_shebang() - parse the "#!" line at the start of @buf (the
 * first @len <= EXEC_SHEBANG_MAX bytes of a file), in place: *@interp gets
 * the interpreter path and *@arg the optional single argument (everything
 * after the path and its blanks, trailing blanks removed; NULL when none),
 * both NUL-terminated inside @buf, which must have room for @len + 1 bytes.
 * As Linux: blanks are spaces and tabs; the line ends at '\n' or NUL; a
 * line longer than the buffer is accepted only when the interpreter path
 * ends inside it (the argument is then cut).
 * Return: 0; -ENOEXEC when @buf does not start with "#!" or names no
 * interpreter (or a path that does not fit).
 */
int exec_parse_shebang(char *buf, size_t len, const char **interp,
		       const char **arg);

#endif /* SENTRY_EXEC_H */

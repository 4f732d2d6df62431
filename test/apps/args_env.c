// SPDX-License-Identifier: Apache-2.0
/*
 * args_env.c: the initial stack: argv, envp and the auxiliary vector. The
 * runner passes argv and APPS_TEST=...; the app prints what it got (the
 * strings are the runner's, so the output is deterministic) and checks the
 * auxv entries against what the ELF itself says.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "tap.h"

extern char **environ;
extern const Elf64_Ehdr __ehdr_start; /* the linker's: our own ELF header */
extern char _start[];

static void check_argv(int argc, char **argv, char **envp)
{
	ok(argc >= 1, "argc is %d", argc);
	for (int i = 0; i < argc; i++)
		ok(argv[i] != NULL, "argv[%d] is \"%s\"", i,
		   argv[i] ? argv[i] : "");
	ok(argv[argc] == NULL, "argv[argc] is NULL");
	ok(envp == argv + argc + 1, "envp follows argv's NULL on the stack");
	ok(envp == environ, "envp is environ");
}

static void check_env(char **envp)
{
	const char *v = getenv("APPS_TEST");
	int n = 0, well_formed = 1;

	for (char **e = envp; *e; e++, n++)
		well_formed &= strchr(*e, '=') != NULL && **e != '=';
	ok(n > 0 && well_formed, "every environment entry is KEY=VALUE");
	ok(v != NULL, "APPS_TEST is \"%s\"", v ? v : "(unset)");
	ok(getenv("PATH") != NULL, "PATH is set");
	ok(getenv("APPS_NOT_SET") == NULL, "APPS_NOT_SET is unset");
}

/* Whether an executable PT_LOAD of the phnum headers at phdr holds pc. */
static int text_covers(unsigned long phdr, unsigned long phnum,
		       unsigned long pc)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)phdr;

	for (unsigned long i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    pc - ph[i].p_vaddr < ph[i].p_memsz)
			return 1;
	}
	return 0;
}

static void check_auxv(const char *argv0)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	unsigned long phdr = getauxval(AT_PHDR);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	int nonzero = 0;

	ok(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ is 4096");
	ok(phdr == (unsigned long)eh + eh->e_phoff,
	   "AT_PHDR is our ELF header + e_phoff");
	ok(getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT is 56");
	ok(getauxval(AT_PHNUM) == eh->e_phnum, "AT_PHNUM is e_phnum");
	ok(phdr && text_covers(phdr, getauxval(AT_PHNUM),
			       (unsigned long)_start),
	   "an executable PT_LOAD at AT_PHDR covers _start");
	ok(getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY is _start");
	if (ok(rnd != NULL, "AT_RANDOM is set")) {
		for (int i = 0; i < 16; i++)
			nonzero |= rnd[i];
		ok(nonzero, "AT_RANDOM's 16 bytes are not all zero");
	}
	ok(execfn && !strcmp(execfn, argv0), "AT_EXECFN is argv[0]'s path");
	ok(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid(),
	   "AT_UID and AT_EUID match getuid and geteuid");
	ok(getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid(),
	   "AT_GID and AT_EGID match getgid and getegid");
	ok(getauxval(AT_SECURE) == 0, "AT_SECURE is 0");
}

int main(int argc, char **argv, char **envp)
{
	check_argv(argc, argv, envp);
	check_env(envp);
	check_auxv(argv[0]);
	return tap_done();
}

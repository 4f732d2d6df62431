// SPDX-License-Identifier: Apache-2.0
/*
 * exec_test.c: loading programs (kernel/exec.c) from a tar image through
 * the real VFS, and the initial stack (kernel/exec_stack.c) read back the
 * way libc start code reads it.
 */
/* First: sentry/types.h defines __unused, a field name in struct linux_stat. */
#include "abi/linux/stat.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "sentry/elf.h"
#include "sentry/exec.h"
#include "sentry/host.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/auxv.h"
#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

#include "fake/fake.h"

#define FILE_SIZE	0x2000
#define TEXT_VA		0x400000UL
#define DATA_VA		0x402800UL	/* file offset 0x1800: congruent mod 4096 */
#define DATA_FILESZ	0x100
#define DATA_MEMSZ	0x2000
#define ENTRY_OFF	0x100

static struct task *t;
static struct fake_tar tar;
static unsigned char elf[FILE_SIZE];

/* A static executable: text [0, 0x1800) at TEXT_VA, data + bss at DATA_VA. */
static void build_elf(uint16_t type, uaddr_t base, bool interp)
{
	struct elf64_ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = type,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = base + ENTRY_OFF,
		.e_phoff = sizeof(eh),
		.e_ehsize = sizeof(eh),
		.e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = 3,
	};
	struct elf64_phdr ph[3] = {
		{ PT_LOAD, PF_R | PF_X, 0, base, base, 0x1800, 0x1800, 0x1000 },
		{ PT_LOAD, PF_R | PF_W, 0x1800, base + (DATA_VA - TEXT_VA), 0, DATA_FILESZ,
		  DATA_MEMSZ, 0x1000 },
		{ interp ? PT_INTERP : PT_GNU_STACK, PF_R | PF_W, 0x300, 0, 0, 10, 10, 1 },
	};

	/* every file byte non-zero, so a bss that is not cleared shows */
	for (size_t i = 0; i < sizeof(elf); i++)
		elf[i] = (unsigned char)(i % 251 + 1);
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + sizeof(eh), ph, sizeof(ph));
	if (interp)
		memcpy(elf + 0x300, "/no/ld.so", 10);
}

static void boot_image(void)
{
	const void *img;
	size_t len;

	fake_tar_dir(&tar, "bin/", 0755);
	fake_tar_file(&tar, "bin/prog", 0755, elf, sizeof(elf));
	fake_tar_file(&tar, "bin/noexec", 0644, elf, sizeof(elf));
	fake_tar_file(&tar, "bin/script", 0755, "#!/bin/sh\necho hi\n", 18);
	img = fake_tar_finish(&tar, &len);
	cr_assert_eq(vfs_init(img, len), 0);
	cr_assert_eq(fs_context_create("/", &t->fs), 0);
}

static void setup(void)
{
	fake_boot();
	t = fake_task_new();
	t->uid = 1000;
	t->euid = 1001;
	t->gid = 2000;
	t->egid = 2001;
	build_elf(ET_EXEC, TEXT_VA, false);
}

static void teardown(void)
{
	if (t->fs)
		fs_context_put(t->fs);
	fake_task_free(t);
	fake_tar_free(&tar);
}

TestSuite(exec, .init = setup, .fini = teardown);

static uint64_t peek64(uaddr_t a)
{
	uint64_t v;

	cr_assert_eq(mm_copy_from(t->mm, &v, a, sizeof(v)), 0, "read 0x%lx", (unsigned long)a);
	return v;
}

static const char *peek_str(uaddr_t a)
{
	static char buf[8][256];
	static int n;
	char *s = buf[n++ % 8];

	cr_assert_geq(strncpy_from_user(s, a, 256), 0);
	return s;
}

/* The auxv value of @type, read from the stack at @sp. */
static uint64_t auxv(uaddr_t sp, uint64_t type)
{
	uaddr_t p = sp + 8 * (1 + peek64(sp) + 1);

	while (peek64(p))
		p += 8;	/* envp */
	for (p += 8; peek64(p) != AT_NULL; p += 16)
		if (peek64(p) == type)
			return peek64(p + 8);
	cr_assert_fail("no auxv entry %lu", (unsigned long)type);
	return 0;
}

static int run_exec(const char *path)
{
	char *argv[] = { "prog", "-x", "hello world", NULL };
	char *envp[] = { "PATH=/bin", "HOME=/", NULL };

	return exec_load(t, path, argv, envp);
}

Test(exec, loads_a_static_executable)
{
	struct mm *old = t->mm;
	unsigned char buf[DATA_MEMSZ];
	unsigned int prot;

	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), 0);
	cr_assert_neq(t->mm, old, "a fresh address space");
	cr_assert_eq(fake_as_active(), t->mm->as);
	cr_assert_eq(t->regs.rip, TEXT_VA + ENTRY_OFF);
	cr_assert_str_eq(t->comm, "prog");
	cr_assert_str_eq(t->exe_path, "/bin/prog");

	cr_assert_eq(mm_copy_from(t->mm, buf, TEXT_VA, 0x1800), 0);
	cr_assert_arr_eq(buf, elf, 0x1800, "text is the file's bytes");
	cr_assert(fake_as_lookup(t->mm->as, TEXT_VA, NULL, &prot));
	cr_assert_eq(prot, PROT_READ | PROT_EXEC);
	cr_assert_eq(mm_copy_from(t->mm, buf, DATA_VA, DATA_MEMSZ), 0);
	cr_assert_arr_eq(buf, elf + 0x1800, DATA_FILESZ, "data is the file's bytes");
	for (size_t i = DATA_FILESZ; i < DATA_MEMSZ; i++)
		cr_assert_eq(buf[i], 0, "bss byte %zu is zero", i);
	cr_assert(fake_as_lookup(t->mm->as, DATA_VA + DATA_MEMSZ - 1, NULL, &prot));
	cr_assert_eq(prot, PROT_READ | PROT_WRITE);
	cr_assert_eq(t->mm->brk_start, PAGE_ALIGN(DATA_VA + DATA_MEMSZ));
	cr_assert_eq(t->mm->brk, t->mm->brk_start);
}

Test(exec, builds_the_initial_stack_as_linux_does)
{
	uaddr_t sp;
	uint8_t rnd[16], want[16];

	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), 0);
	sp = t->regs.rsp;
	cr_assert_eq(sp % 16, 0, "rsp is 16-byte aligned at argc");
	cr_assert(sp < USER_STACK_TOP && sp > USER_STACK_TOP - USER_STACK_SIZE);
	cr_assert_eq(peek64(sp), 3, "argc");
	cr_assert_str_eq(peek_str(peek64(sp + 8)), "prog");
	cr_assert_str_eq(peek_str(peek64(sp + 16)), "-x");
	cr_assert_str_eq(peek_str(peek64(sp + 24)), "hello world");
	cr_assert_eq(peek64(sp + 32), 0);
	cr_assert_str_eq(peek_str(peek64(sp + 40)), "PATH=/bin");
	cr_assert_str_eq(peek_str(peek64(sp + 48)), "HOME=/");
	cr_assert_eq(peek64(sp + 56), 0);

	cr_assert_eq(auxv(sp, AT_PHDR), TEXT_VA + sizeof(struct elf64_ehdr));
	cr_assert_eq(auxv(sp, AT_PHENT), sizeof(struct elf64_phdr));
	cr_assert_eq(auxv(sp, AT_PHNUM), 3);
	cr_assert_eq(auxv(sp, AT_PAGESZ), PAGE_SIZE);
	cr_assert_eq(auxv(sp, AT_BASE), 0);
	cr_assert_eq(auxv(sp, AT_FLAGS), 0);
	cr_assert_eq(auxv(sp, AT_ENTRY), TEXT_VA + ENTRY_OFF);
	cr_assert_eq(auxv(sp, AT_UID), 1000);
	cr_assert_eq(auxv(sp, AT_EUID), 1001);
	cr_assert_eq(auxv(sp, AT_GID), 2000);
	cr_assert_eq(auxv(sp, AT_EGID), 2001);
	cr_assert_eq(auxv(sp, AT_SECURE), 0);
	cr_assert_eq(auxv(sp, AT_CLKTCK), 100);
	cr_assert_str_eq(peek_str(auxv(sp, AT_EXECFN)), "/bin/prog");
	cr_assert_str_eq(peek_str(auxv(sp, AT_PLATFORM)), "x86_64");
	cr_assert_eq(mm_copy_from(t->mm, rnd, auxv(sp, AT_RANDOM), 16), 0);
	fake_host_reset();
	host_getrandom(want, sizeof(want));
	cr_assert_arr_eq(rnd, want, 16, "AT_RANDOM holds the host's random bytes");

	/* strings: argv, then envp, then the file name, then 8 zero bytes at the top */
	cr_assert_str_eq(peek_str(t->mm->arg_start), "prog");
	cr_assert_eq(t->mm->arg_end - t->mm->arg_start, sizeof("prog-xhello world") + 2);
	cr_assert_eq(t->mm->env_start, t->mm->arg_end);
	cr_assert_str_eq(peek_str(t->mm->env_start), "PATH=/bin");
	cr_assert_eq(auxv(sp, AT_EXECFN), t->mm->env_end);
	cr_assert_eq(peek64(USER_STACK_TOP - 8), 0);
}

Test(exec, the_stack_top_is_populated_and_the_rest_is_lazy)
{
	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), 0);
	cr_assert(fake_as_lookup(t->mm->as, t->regs.rsp - EXEC_STACK_PREFAULT + PAGE_SIZE, NULL, NULL));
	cr_assert_not(fake_as_lookup(t->mm->as, USER_STACK_TOP - USER_STACK_SIZE, NULL, NULL));
	cr_assert_not_null(mm_find_vma(t->mm, USER_STACK_TOP - USER_STACK_SIZE));
}

Test(exec, a_static_pie_loads_at_the_pie_base)
{
	build_elf(ET_DYN, 0, false);
	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), 0);
	cr_assert_eq(t->regs.rip, USER_PIE_BASE + ENTRY_OFF);
	cr_assert_eq(auxv(t->regs.rsp, AT_PHDR), USER_PIE_BASE + sizeof(struct elf64_ehdr));
	cr_assert_eq(auxv(t->regs.rsp, AT_ENTRY), USER_PIE_BASE + ENTRY_OFF);
}

Test(exec, errors_leave_the_task_alone)
{
	struct mm *old = t->mm;

	boot_image();
	cr_assert_eq(run_exec("/bin/missing"), -ENOENT);
	cr_assert_eq(run_exec("/bin/prog/x"), -ENOTDIR);
	cr_assert_eq(run_exec("/bin/noexec"), -EACCES);
	cr_assert_eq(run_exec("/bin"), -EACCES);
	cr_assert_eq(run_exec("/bin/script"), -ENOENT, "its interpreter /bin/sh is missing");
	cr_assert_eq(t->mm, old);
	cr_assert_null(t->exe_path);
}

Test(exec, a_dynamic_executable_without_its_interpreter_is_enoent)
{
	build_elf(ET_EXEC, TEXT_VA, true);
	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), -ENOENT);
	cr_assert_not_null(strstr(fake_console(), "not found in the image"));
}

Test(exec, a_malformed_executable_is_enoexec)
{
	elf[18] = 3;	/* e_machine: i386 */
	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), -ENOEXEC);
}

Test(exec, a_second_exec_replaces_the_first)
{
	boot_image();
	cr_assert_eq(run_exec("/bin/prog"), 0);
	cr_assert_eq(run_exec("bin/prog"), 0, "relative to the cwd");
	cr_assert_str_eq(peek_str(auxv(t->regs.rsp, AT_EXECFN)), "bin/prog");
	cr_assert_str_eq(t->exe_path, "/bin/prog");
}

/* exec_stack_build alone, on a bare mm */
static struct elf_image dummy = { .type = ET_EXEC, .phnum = 1, .entry = 0x401000 };

static int build(char *const *argv, char *const *envp, uaddr_t *sp)
{
	struct exec_stack_args sa = { .argv = argv, .envp = envp, .execfn = "/x", .img = &dummy };

	return exec_stack_build(t->mm, &sa, sp);
}

Test(exec, no_arguments_become_one_empty_argument)
{
	uaddr_t sp;

	cr_assert_eq(build(NULL, NULL, &sp), 0);
	cr_assert_eq(peek64(sp), 1);
	cr_assert_str_eq(peek_str(peek64(sp + 8)), "");
	cr_assert_eq(peek64(sp + 16), 0);
	cr_assert_eq(peek64(sp + 24), 0, "empty environment");
}

Test(exec, too_long_arguments_are_e2big)
{
	size_t big = EXEC_STRING_MAX + 1;
	char *s = malloc(big + 1), *argv[] = { s, NULL };
	char *many[20] = { 0 };
	uaddr_t sp;

	memset(s, 'a', big);
	s[big] = '\0';
	cr_assert_eq(build(argv, NULL, &sp), -E2BIG, "one string over 128 KiB");
	s[EXEC_STRING_MAX - 1] = '\0';
	for (int i = 0; i < 17; i++)
		many[i] = s;
	cr_assert_eq(build(many, NULL, &sp), -E2BIG, "17 x 128 KiB is over 2 MiB");
	cr_assert_null(t->mm->vmas, "nothing mapped on failure");
	many[15] = NULL;
	cr_assert_eq(build(many, NULL, &sp), 0, "15 x 128 KiB fits");
	cr_assert_eq(peek64(sp), 15);
	free(s);
}

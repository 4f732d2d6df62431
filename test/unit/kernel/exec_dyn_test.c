// SPDX-License-Identifier: Apache-2.0
/*
 * exec_dyn_test.c: programs that need another program to run them: the
 * dynamic linker of a PT_INTERP (kernel/exec.c) and the interpreter of a
 * "#!" script (kernel/exec_script.c), loaded from a tar image through the
 * real VFS.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "sentry/elf.h"
#include "sentry/exec.h"
#include "sentry/mm.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/auxv.h"
#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

#include "fake/fake.h"

#define FILE_SIZE	0x2000
#define TEXT_VA		0x400000UL
#define DATA_OFF	0x2800UL	/* data at base + 0x2800, file offset 0x1800 */
#define DATA_MEMSZ	0x2000
#define ENTRY_OFF	0x100
#define INTERP_OFF	0x300
#define SPAN		0x5000UL	/* page-aligned extent: [0, 0x4800) */

static struct task *t;
static struct fake_tar tar;

/* An executable (text + data/bss), with a PT_INTERP naming @interp if given. */
static unsigned char *make_elf(uint16_t type, uaddr_t base, const char *interp)
{
	unsigned char *elf = malloc(FILE_SIZE);
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
		{ PT_LOAD, PF_R | PF_W, 0x1800, base + DATA_OFF, 0, 0x100, DATA_MEMSZ, 0x1000 },
		{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 },
	};

	for (size_t i = 0; i < FILE_SIZE; i++)
		elf[i] = (unsigned char)(i % 251 + 1);
	if (interp) {
		ph[2] = (struct elf64_phdr){ PT_INTERP, PF_R, INTERP_OFF, 0, 0,
					     strlen(interp) + 1, strlen(interp) + 1, 1 };
		memcpy(elf + INTERP_OFF, interp, strlen(interp) + 1);
	}
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + sizeof(eh), ph, sizeof(ph));
	return elf;
}

static void add_elf(const char *path, unsigned int mode, unsigned char *elf)
{
	fake_tar_file(&tar, path, mode, elf, FILE_SIZE);
	free(elf);
}

static void add_text(const char *path, const char *text)
{
	fake_tar_file(&tar, path, 0755, text, strlen(text));
}

static void boot_image(void)
{
	const void *img;
	size_t len;

	img = fake_tar_finish(&tar, &len);
	cr_assert_eq(vfs_init(img, len), 0);
	cr_assert_eq(fs_context_create("/", &t->fs), 0);
}

/* The image most tests share: a dynamic PIE, its linker and a static program. */
static void setup(void)
{
	fake_boot();
	t = fake_task_new();
	fake_tar_dir(&tar, "bin/", 0755);
	fake_tar_dir(&tar, "lib/", 0755);
	fake_tar_dir(&tar, "lib64/", 0755);
	add_elf("bin/prog", 0755, make_elf(ET_EXEC, TEXT_VA, NULL));
	add_elf("bin/dyn", 0755, make_elf(ET_DYN, 0, "/lib64/ld.so"));
	add_elf("lib/ld-real.so", 0755, make_elf(ET_DYN, 0, NULL));
	fake_tar_symlink(&tar, "lib64/ld.so", "/lib/ld-real.so");
}

static void teardown(void)
{
	if (t->fs)
		fs_context_put(t->fs);
	fake_task_free(t);
	fake_tar_free(&tar);
}

TestSuite(exec_dyn, .init = setup, .fini = teardown);

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

static uint64_t auxv(uint64_t type)
{
	uaddr_t sp = t->regs.rsp, p = sp + 8 * (1 + peek64(sp) + 1);

	while (peek64(p))
		p += 8;
	for (p += 8; peek64(p) != AT_NULL; p += 16)
		if (peek64(p) == type)
			return peek64(p + 8);
	cr_assert_fail("no auxv entry %lu", (unsigned long)type);
	return 0;
}

/* argv[i] of the new program. */
static const char *arg(int i)
{
	return peek_str(peek64(t->regs.rsp + 8 + 8 * (uaddr_t)i));
}

static int run_exec(const char *path)
{
	char *argv[] = { "prog", "-x", "hello world", NULL };
	char *envp[] = { "PATH=/bin", NULL };

	return exec_load(t, path, argv, envp);
}

Test(exec_dyn, a_dynamic_program_starts_in_its_dynamic_linker)
{
	uaddr_t base;
	unsigned char buf[0x1800], want[0x1800], *ld;
	unsigned int prot;

	boot_image();
	cr_assert_eq(run_exec("/bin/dyn"), 0);
	base = auxv(AT_BASE);
	cr_assert_neq(base, 0, "AT_BASE: where the linker is");
	cr_assert_eq(base % PAGE_SIZE, 0);
	cr_assert_eq(base + SPAN, USER_MMAP_BASE, "top-down, as the first mmap");
	cr_assert_eq(t->regs.rip, base + ENTRY_OFF, "the linker runs first");
	cr_assert_eq(auxv(AT_ENTRY), USER_PIE_BASE + ENTRY_OFF, "the program's entry");
	cr_assert_eq(auxv(AT_PHDR), USER_PIE_BASE + sizeof(struct elf64_ehdr));
	cr_assert_eq(auxv(AT_PHNUM), 3);

	/* both images are there, with their protections and a zeroed bss */
	ld = make_elf(ET_DYN, 0, NULL);
	memcpy(want, ld, sizeof(want));
	free(ld);
	cr_assert_eq(mm_copy_from(t->mm, buf, base, sizeof(buf)), 0);
	cr_assert_arr_eq(buf, want, sizeof(buf), "the linker's text is its file");
	cr_assert(fake_as_lookup(t->mm->as, base, NULL, &prot));
	cr_assert_eq(prot, PROT_READ | PROT_EXEC);
	cr_assert_eq(mm_copy_from(t->mm, buf, base + DATA_OFF + 0x100, 0x100), 0);
	for (size_t i = 0; i < 0x100; i++)
		cr_assert_eq(buf[i], 0, "linker bss byte %zu", i);
	cr_assert(fake_as_lookup(t->mm->as, USER_PIE_BASE, NULL, &prot));
	cr_assert_eq(prot, PROT_READ | PROT_EXEC);

	cr_assert_eq(t->mm->brk_start, USER_PIE_BASE + SPAN, "the heap follows the program");
	cr_assert_str_eq(t->exe_path, "/bin/dyn");
	cr_assert_str_eq(t->comm, "dyn");
}

Test(exec_dyn, later_mappings_go_below_the_dynamic_linker)
{
	long a;

	boot_image();
	cr_assert_eq(run_exec("/bin/dyn"), 0);
	a = mm_mmap(t->mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	cr_assert_eq((uaddr_t)a, auxv(AT_BASE) - PAGE_SIZE);
}

Test(exec_dyn, a_fixed_address_program_can_have_a_dynamic_linker)
{
	add_elf("lib/ld.so", 0755, make_elf(ET_DYN, 0, NULL));
	add_elf("prog", 0755, make_elf(ET_EXEC, TEXT_VA, "/lib/ld.so"));
	boot_image();
	cr_assert_eq(run_exec("/prog"), 0);
	cr_assert_eq(auxv(AT_ENTRY), TEXT_VA + ENTRY_OFF);
	cr_assert_eq(t->regs.rip, auxv(AT_BASE) + ENTRY_OFF);
}

Test(exec_dyn, a_missing_dynamic_linker_is_enoent_and_says_so)
{
	struct mm *old = t->mm;

	add_elf("bin/lost", 0755, make_elf(ET_DYN, 0, "/lib/nowhere.so"));
	boot_image();
	cr_assert_eq(run_exec("/bin/lost"), -ENOENT);
	cr_assert_not_null(strstr(fake_console(),
				  "/bin/lost: interpreter /lib/nowhere.so not found in the image"),
			   "%s", fake_console());
	cr_assert_eq(t->mm, old, "the task is unchanged");
	cr_assert_null(t->exe_path);
}

Test(exec_dyn, a_dynamic_linker_that_is_not_a_shared_object_is_enoexec)
{
	add_elf("bin/d1", 0755, make_elf(ET_DYN, 0, "/lib/exec.so"));
	add_elf("lib/exec.so", 0755, make_elf(ET_EXEC, TEXT_VA, NULL));
	add_elf("bin/d2", 0755, make_elf(ET_DYN, 0, "/lib/text.so"));
	add_text("lib/text.so", "this is not ELF\n");
	add_elf("bin/d3", 0755, make_elf(ET_DYN, 0, "/lib"));
	boot_image();
	cr_assert_eq(run_exec("/bin/d1"), -ENOEXEC, "ET_EXEC");
	cr_assert_eq(run_exec("/bin/d2"), -ENOEXEC, "not ELF");
	cr_assert_not_null(strstr(fake_console(), "/lib/text.so is not a valid"));
	cr_assert_eq(run_exec("/bin/d3"), -EACCES, "a directory");
	cr_assert_null(t->exe_path);
}

Test(exec_dyn, a_dynamic_linker_without_exec_permission_is_eacces)
{
	add_elf("bin/d", 0755, make_elf(ET_DYN, 0, "/lib/ro.so"));
	add_elf("lib/ro.so", 0644, make_elf(ET_DYN, 0, NULL));
	boot_image();
	cr_assert_eq(run_exec("/bin/d"), -EACCES);
}

Test(exec_dyn, an_unterminated_interpreter_path_is_enoexec)
{
	unsigned char *elf = make_elf(ET_DYN, 0, "/lib64/ld.so");

	elf[INTERP_OFF + strlen("/lib64/ld.so")] = 'x';	/* the NUL */
	add_elf("bin/bad", 0755, elf);
	boot_image();
	cr_assert_eq(run_exec("/bin/bad"), -ENOEXEC);
}

Test(exec_dyn, a_broken_dynamic_linker_is_enoexec_and_maps_nothing)
{
	unsigned char *elf = make_elf(ET_DYN, 0, NULL);
	struct elf64_phdr ph;
	struct mm *old = t->mm;

	memcpy(&ph, elf + sizeof(struct elf64_ehdr) + sizeof(ph), sizeof(ph));
	ph.p_filesz = 0x10000;	/* data past the end of the file */
	ph.p_memsz = 0x10000;
	memcpy(elf + sizeof(struct elf64_ehdr) + sizeof(ph), &ph, sizeof(ph));
	add_elf("lib/broken.so", 0755, elf);
	add_elf("bin/d", 0755, make_elf(ET_DYN, 0, "/lib/broken.so"));
	boot_image();
	cr_assert_eq(run_exec("/bin/d"), -ENOEXEC);
	cr_assert_eq(t->mm, old);
}

/* Scripts */

Test(exec_dyn, a_script_runs_its_interpreter_with_one_argument)
{
	add_text("bin/script", "#! /bin/prog  -a  b \t\necho hi\n");
	boot_image();
	cr_assert_eq(run_exec("/bin/script"), 0);
	cr_assert_eq(peek64(t->regs.rsp), 5, "argc");
	cr_assert_str_eq(arg(0), "/bin/prog");
	cr_assert_str_eq(arg(1), "-a  b", "the rest of the line is one argument");
	cr_assert_str_eq(arg(2), "/bin/script");
	cr_assert_str_eq(arg(3), "-x", "argv[0] is dropped, the rest follows");
	cr_assert_str_eq(arg(4), "hello world");
	cr_assert_eq(t->regs.rip, TEXT_VA + ENTRY_OFF);
	cr_assert_str_eq(peek_str(auxv(AT_EXECFN)), "/bin/script");
	cr_assert_str_eq(t->comm, "script");
	cr_assert_str_eq(t->exe_path, "/bin/prog");
}

Test(exec_dyn, a_script_can_run_a_dynamic_program)
{
	add_text("s", "#!/bin/dyn\n");
	boot_image();
	cr_assert_eq(run_exec("s"), 0, "relative to the cwd");
	cr_assert_eq(t->regs.rip, auxv(AT_BASE) + ENTRY_OFF);
	cr_assert_str_eq(arg(0), "/bin/dyn");
	cr_assert_str_eq(arg(1), "s");
	cr_assert_str_eq(t->exe_path, "/bin/dyn");
}

Test(exec_dyn, scripts_nest_four_deep_and_no_deeper)
{
	add_text("s1", "#!/bin/prog\n");
	add_text("s2", "#!/s1\n");
	add_text("s3", "#!/s2\n");
	add_text("s4", "#!/s3\n");
	add_text("s5", "#!/s4\n");
	add_text("loop", "#!/loop\n");
	boot_image();
	cr_assert_eq(run_exec("/s4"), 0);
	cr_assert_str_eq(arg(0), "/bin/prog");
	cr_assert_str_eq(arg(1), "/s1");
	cr_assert_str_eq(arg(4), "/s4");
	cr_assert_str_eq(arg(5), "-x");
	cr_assert_eq(run_exec("/s5"), -ELOOP);
	cr_assert_eq(run_exec("/loop"), -ELOOP);
}

Test(exec_dyn, script_errors)
{
	struct mm *old = t->mm;

	add_text("nointerp", "#!\n");
	add_text("blank", "#!   \t \n");
	add_text("missing", "#!/bin/nothing arg\n");
	add_text("data", "#!/lib\n");
	fake_tar_file(&tar, "noexec", 0644, "#!/bin/prog\n", 12);
	boot_image();
	cr_assert_eq(run_exec("/nointerp"), -ENOEXEC);
	cr_assert_eq(run_exec("/blank"), -ENOEXEC);
	cr_assert_eq(run_exec("/missing"), -ENOENT);
	cr_assert_not_null(strstr(fake_console(), "/missing: interpreter /bin/nothing not found"));
	cr_assert_eq(run_exec("/data"), -EACCES, "a directory as interpreter");
	cr_assert_eq(run_exec("/noexec"), -EACCES, "the script itself needs x");
	cr_assert_eq(t->mm, old);
}

/* exec_parse_shebang() alone */

struct shebang_case {
	const char *line;
	size_t len;		/* 0: strlen(line) */
	int err;
	const char *interp, *arg;
};

static const struct shebang_case shebangs[] = {
	{ "#!/bin/sh\n", 0, 0, "/bin/sh", NULL },
	{ "#!/bin/sh", 0, 0, "/bin/sh", NULL },
	{ "#! \t/bin/sh \t\n", 0, 0, "/bin/sh", NULL },
	{ "#!/usr/bin/env python3\nprint()\n", 0, 0, "/usr/bin/env", "python3" },
	{ "#!/usr/bin/env -S a b  \n", 0, 0, "/usr/bin/env", "-S a b" },
	{ "#!/bin/sh\t-e\n", 0, 0, "/bin/sh", "-e" },
	{ "#!/bin/sh -e\r\n", 0, 0, "/bin/sh", "-e\r" },
	{ "#!/bin/a\0b c\n", 13, 0, "/bin/a", NULL },
	{ "#!", 0, -ENOEXEC, NULL, NULL },
	{ "#!\n/bin/sh\n", 0, -ENOEXEC, NULL, NULL },
	{ "# !/bin/sh\n", 0, -ENOEXEC, NULL, NULL },
	{ "\177ELF", 0, -ENOEXEC, NULL, NULL },
};

Test(exec_dyn, shebang_lines_parse_as_linux_parses_them)
{
	char buf[EXEC_SHEBANG_MAX + 1];
	const char *interp, *a;

	for (size_t i = 0; i < sizeof(shebangs) / sizeof(shebangs[0]); i++) {
		const struct shebang_case *c = &shebangs[i];
		size_t len = c->len ? c->len : strlen(c->line);

		memcpy(buf, c->line, len);
		cr_assert_eq(exec_parse_shebang(buf, len, &interp, &a), c->err, "case %zu", i);
		if (c->err)
			continue;
		cr_assert_str_eq(interp, c->interp, "case %zu", i);
		if (c->arg)
			cr_assert_str_eq(a, c->arg, "case %zu", i);
		else
			cr_assert_null(a, "case %zu", i);
	}
}

Test(exec_dyn, a_cut_line_is_accepted_only_when_the_path_ends_inside)
{
	char buf[EXEC_SHEBANG_MAX + 1];
	const char *interp, *a;

	/* "#!/bin/sh " then 246 x 'a': the argument is cut, the path is whole */
	memset(buf, 'a', EXEC_SHEBANG_MAX);
	memcpy(buf, "#!/bin/sh ", 10);
	cr_assert_eq(exec_parse_shebang(buf, EXEC_SHEBANG_MAX, &interp, &a), 0);
	cr_assert_str_eq(interp, "/bin/sh");
	cr_assert_eq(strlen(a), EXEC_SHEBANG_MAX - 10);

	/* a path that runs to the end of the buffer may be longer than it */
	memset(buf, 'a', EXEC_SHEBANG_MAX);
	memcpy(buf, "#!/", 3);
	cr_assert_eq(exec_parse_shebang(buf, EXEC_SHEBANG_MAX, &interp, &a), -ENOEXEC);
	/* but a short file without a newline is complete */
	memcpy(buf, "#!/x", 4);
	cr_assert_eq(exec_parse_shebang(buf, 4, &interp, &a), 0);
	cr_assert_str_eq(interp, "/x");
}

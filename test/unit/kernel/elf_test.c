// SPDX-License-Identifier: Apache-2.0
/* elf_test.c: ELF validation (kernel/elf.c) on hand-built headers, good and broken. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "sentry/elf.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

#define NPH	4

/* A static ET_EXEC like gcc -static makes: R, R+X, RW with bss; GNU_STACK. */
struct image {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[NPH];
	uint64_t file_size;
	size_t len;		/* bytes of the header given to the parser */
};

static struct image exec_image(void)
{
	struct image im = {
		.eh = {
			.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
			.e_type = ET_EXEC,
			.e_machine = EM_X86_64,
			.e_version = EV_CURRENT,
			.e_entry = 0x401010,
			.e_phoff = sizeof(struct elf64_ehdr),
			.e_ehsize = sizeof(struct elf64_ehdr),
			.e_phentsize = sizeof(struct elf64_phdr),
			.e_phnum = NPH,
		},
		.ph = {
			{ PT_LOAD, PF_R, 0, 0x400000, 0x400000, 0x500, 0x500, 0x1000 },
			{ PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x401000, 0x2345, 0x2345, 0x1000 },
			{ PT_LOAD, PF_R | PF_W, 0x36d8, 0x4046d8, 0x4046d8, 0x500, 0x3000, 0x1000 },
			{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 },
		},
		.file_size = 0x3bd8,
		.len = sizeof(struct elf64_ehdr),
	};

	return im;
}

static int parse(struct image *im, struct elf_image *img)
{
	int err = elf_parse_header(&im->eh, im->len, im->file_size, img);

	return err ? err : elf_parse_phdrs(im->ph, im->file_size, img);
}

Test(elf, a_static_executable_is_accepted)
{
	struct image im = exec_image();
	struct elf_image img;

	cr_assert_eq(parse(&im, &img), 0);
	cr_assert_eq(img.type, ET_EXEC);
	cr_assert_eq(img.bias, 0);
	cr_assert_eq(img.entry, 0x401010);
	cr_assert_eq(img.phnum, NPH);
	cr_assert_eq(img.phdr_addr, 0x400040, "AT_PHDR: the headers inside the first segment");
	cr_assert_eq(img.start, 0x400000);
	cr_assert_eq(img.end, 0x408000, "page-aligned end of the bss");
	cr_assert_not(img.interp);
	cr_assert_not(img.exec_stack);
}

Test(elf, a_static_pie_is_placed_at_the_pie_base)
{
	struct image im = exec_image();
	struct elf_image img;

	im.eh.e_type = ET_DYN;
	for (int i = 0; i < 3; i++)
		im.ph[i].p_vaddr -= 0x400000;
	im.eh.e_entry -= 0x400000;
	cr_assert_eq(parse(&im, &img), 0);
	cr_assert_eq(img.bias, USER_PIE_BASE);
	cr_assert_eq(img.entry, USER_PIE_BASE + 0x1010);
	cr_assert_eq(img.phdr_addr, USER_PIE_BASE + 0x40);
	cr_assert_eq(img.start, USER_PIE_BASE);
}

Test(elf, interp_and_executable_stack_are_reported)
{
	struct image im = exec_image();
	struct elf_image img;

	im.ph[3].p_flags |= PF_X;
	cr_assert_eq(parse(&im, &img), 0);
	cr_assert(img.exec_stack);
	im.ph[3] = (struct elf64_phdr){ PT_INTERP, PF_R, 0x200, 0, 0, 28, 28, 1 };
	cr_assert_eq(parse(&im, &img), 0);
	cr_assert(img.interp);
	cr_assert_eq(img.interp_off, 0x200);
	cr_assert_eq(img.interp_len, 28);
}

Test(elf, a_bad_interpreter_segment_is_enoexec)
{
	struct image im = exec_image();
	struct elf_image img;

	im.ph[3] = (struct elf64_phdr){ PT_INTERP, PF_R, 0x200, 0, 0, 1, 1, 1 };
	cr_assert_eq(parse(&im, &img), -ENOEXEC, "one byte: no room for a path");
	im.ph[3].p_filesz = ELF_INTERP_MAX + 1;
	cr_assert_eq(parse(&im, &img), -ENOEXEC, "longer than PATH_MAX");
	im.ph[3].p_filesz = 28;
	im.ph[3].p_offset = im.file_size - 10;
	cr_assert_eq(parse(&im, &img), -ENOEXEC, "past the end of the file");
	im.ph[3].p_offset = UINT64_MAX - 4;
	cr_assert_eq(parse(&im, &img), -ENOEXEC, "offset overflow");
	im.file_size = ELF_INTERP_MAX + 0x4000;
	im.ph[3].p_offset = 0x4000;
	im.ph[3].p_filesz = ELF_INTERP_MAX;
	cr_assert_eq(parse(&im, &img), 0, "exactly PATH_MAX fits");
}

Test(elf, an_interpreter_path_must_be_nul_terminated_and_non_empty)
{
	cr_assert_eq(elf_check_interp("/lib64/ld.so", sizeof("/lib64/ld.so")), 0);
	cr_assert_eq(elf_check_interp("/lib64/ld.so", sizeof("/lib64/ld.so") - 1), -ENOEXEC);
	cr_assert_eq(elf_check_interp("\0\0", 2), -ENOEXEC);
	cr_assert_eq(elf_check_interp("a", 1), -ENOEXEC);
}

Test(elf, a_dynamic_linker_is_placed_at_the_given_base)
{
	struct image im = exec_image();
	struct elf_image img;

	im.eh.e_type = ET_DYN;
	im.eh.e_entry = 0x1010;
	for (int i = 0; i < 3; i++)
		im.ph[i].p_vaddr -= 0x400000;
	cr_assert_eq(elf_load_size(im.ph, NPH), 0x8000, "[0, 0x46d8 + 0x3000) in pages");
	cr_assert_eq(elf_parse_header(&im.eh, im.len, im.file_size, &img), 0);
	cr_assert_eq(elf_parse_phdrs_at(im.ph, im.file_size, &img, 0x7f0000000000UL), 0);
	cr_assert_eq(img.bias, 0x7f0000000000UL);
	cr_assert_eq(img.entry, 0x7f0000001010UL);
	cr_assert_eq(img.end, 0x7f0000008000UL);
	cr_assert_eq(elf_parse_header(&im.eh, im.len, im.file_size, &img), 0);
	cr_assert_eq(elf_parse_phdrs_at(im.ph, im.file_size, &img, USER_STACK_TOP - 0x1000),
		     -ENOEXEC, "a base that puts it in the stack");
}

Test(elf, the_load_size_of_nothing_loadable_is_zero)
{
	struct image im = exec_image();

	for (int i = 0; i < 3; i++)
		im.ph[i].p_type = PT_NOTE;
	cr_assert_eq(elf_load_size(im.ph, NPH), 0);
	im = exec_image();
	im.ph[2].p_memsz = UINT64_MAX - 0x1000;
	cr_assert_eq(elf_load_size(im.ph, NPH), 0, "a span that cannot fit");
}

Test(elf, segment_flags_become_protections)
{
	cr_assert_eq(elf_prot(PF_R), PROT_READ);
	cr_assert_eq(elf_prot(PF_R | PF_X), PROT_READ | PROT_EXEC);
	cr_assert_eq(elf_prot(PF_R | PF_W | PF_X), PROT_READ | PROT_WRITE | PROT_EXEC);
	cr_assert_eq(elf_prot(0), PROT_NONE);
}

/* Each case breaks one thing in a good image. */
struct broken {
	const char *what;
	void (*breakit)(struct image *im);
};

static void truncated(struct image *im) { im->len = 40; }
static void short_file(struct image *im) { im->file_size = 50; }
static void bad_magic(struct image *im) { im->eh.e_ident[1] = 'X'; }
static void class32(struct image *im) { im->eh.e_ident[4] = 1; }
static void big_endian(struct image *im) { im->eh.e_ident[5] = 2; }
static void bad_version(struct image *im) { im->eh.e_version = 2; }
static void wrong_machine(struct image *im) { im->eh.e_machine = 183; }
static void relocatable(struct image *im) { im->eh.e_type = 1; }
static void bad_phentsize(struct image *im) { im->eh.e_phentsize = 32; }
static void no_phdrs(struct image *im) { im->eh.e_phnum = 0; }
static void huge_phnum(struct image *im) { im->eh.e_phnum = ELF_MAX_PHNUM + 1; }
static void pn_xnum(struct image *im) { im->eh.e_phnum = 0xffff; }
static void phdrs_past_eof(struct image *im) { im->eh.e_phoff = im->file_size - 10; }
static void phoff_overflow(struct image *im) { im->eh.e_phoff = UINT64_MAX - 8; }
static void filesz_gt_memsz(struct image *im) { im->ph[2].p_filesz = 0x3001; }
static void offset_past_eof(struct image *im) { im->ph[1].p_offset = 0x10000; im->ph[1].p_vaddr = 0x410000; }
static void data_past_eof(struct image *im) { im->ph[2].p_filesz = 0x2000; im->ph[2].p_memsz = 0x3000; }
static void offset_overflow(struct image *im) { im->ph[1].p_offset = UINT64_MAX - 0xfff; im->ph[1].p_vaddr = 0x401000; }
static void not_congruent(struct image *im) { im->ph[1].p_offset = 0x1010; }
static void vaddr_overflow(struct image *im) { im->ph[2].p_vaddr = UINT64_MAX - 0x927; im->ph[2].p_offset = 0x36d8; }
static void kernel_half(struct image *im) { im->ph[2].p_vaddr = 0xffffffff804046d8UL; }
static void below_user(struct image *im) { im->ph[0].p_vaddr = 0x1000; }
static void into_stack(struct image *im) { im->ph[2].p_vaddr = USER_STACK_TOP - 0x1928; }
static void overlapping(struct image *im) { im->ph[1].p_vaddr = 0x400000; im->ph[1].p_offset = 0; }
static void out_of_order(struct image *im) { struct elf64_phdr p = im->ph[0]; im->ph[0] = im->ph[2]; im->ph[2] = p; }
static void no_load(struct image *im) { for (int i = 0; i < 3; i++) im->ph[i].p_type = PT_NOTE; }
static void entry_outside(struct image *im) { im->eh.e_entry = 0x900000; }

/* Criterion copies parameters into a fresh process: pass indexes, not pointers. */
static const struct broken cases[] = {
	{ "truncated header", truncated },
	{ "file shorter than a header", short_file },
	{ "bad magic", bad_magic },
	{ "32-bit class", class32 },
	{ "big endian", big_endian },
	{ "unknown version", bad_version },
	{ "aarch64 machine", wrong_machine },
	{ "relocatable object", relocatable },
	{ "program header size", bad_phentsize },
	{ "no program headers", no_phdrs },
	{ "too many program headers", huge_phnum },
	{ "PN_XNUM", pn_xnum },
	{ "program headers past EOF", phdrs_past_eof },
	{ "program header offset overflow", phoff_overflow },
	{ "filesz > memsz", filesz_gt_memsz },
	{ "segment offset past EOF", offset_past_eof },
	{ "segment data past EOF", data_past_eof },
	{ "segment offset overflow", offset_overflow },
	{ "offset and vaddr not congruent", not_congruent },
	{ "vaddr + memsz overflows", vaddr_overflow },
	{ "kernel-half vaddr", kernel_half },
	{ "vaddr below mmap_min_addr", below_user },
	{ "segment in the stack", into_stack },
	{ "overlapping segments", overlapping },
	{ "segments out of order", out_of_order },
	{ "no PT_LOAD", no_load },
	{ "entry outside the segments", entry_outside },
};

ParameterizedTestParameters(elf, broken_executables_are_enoexec)
{
	static int idx[ARRAY_SIZE(cases)];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, ARRAY_SIZE(idx));
}

ParameterizedTest(int *i, elf, broken_executables_are_enoexec)
{
	const struct broken *c = &cases[*i];
	struct image im = exec_image();
	struct elf_image img;

	c->breakit(&im);
	cr_assert_eq(parse(&im, &img), -ENOEXEC, "%s", c->what);
}

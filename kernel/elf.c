// SPDX-License-Identifier: Apache-2.0
/*
 * elf.c: validation of ELF64 x86_64 executables and dynamic linkers before
 * anything is mapped.
 * Every offset, size and address comes from the file, so every sum is
 * checked for overflow and every range against the file size or the app's
 * address space (Solo5's elf_load and its buggy-ELF tests are the model).
 */
#define pr_fmt(fmt) "elf: " fmt

#include "sentry/arch/layout.h"

#include "sentry/elf.h"
#include "sentry/log.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"

/* Lowest and highest app address a segment may use: the stack sits above. */
#define SEG_LO	USER_VA_START
#define SEG_HI	(USER_STACK_TOP - USER_STACK_SIZE)

static int bad(const char *why)
{
	pr_info("not a loadable executable: %s", why);
	return -ENOEXEC;
}

int elf_parse_header(const void *buf, size_t len, uint64_t file_size,
		     struct elf_image *img)
{
	struct elf64_ehdr eh;
	uint64_t phsize;

	if (len < sizeof(eh) || file_size < sizeof(eh))
		return -ENOEXEC;	/* too short to be ELF: no message */
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, "\177ELF", 4) != 0)
		return -ENOEXEC;	/* not ELF (a script, a text file): no message */
	if (eh.e_ident[4] != ELFCLASS64)
		return bad("not a 64-bit ELF");
	if (eh.e_ident[5] != ELFDATA2LSB)
		return bad("not little-endian");
	if (eh.e_ident[6] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return bad("unknown ELF version");
	if (eh.e_machine != EM_X86_64)
		return bad("not an x86_64 program");
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return bad("not an executable (ELF type is neither EXEC nor DYN)");
	if (eh.e_phentsize != sizeof(struct elf64_phdr))
		return bad("unexpected program header size");
	if (eh.e_phnum == 0 || eh.e_phnum > ELF_MAX_PHNUM)
		return bad("program header count out of range");
	phsize = (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr);
	if (eh.e_phoff > file_size || phsize > file_size - eh.e_phoff)
		return bad("program headers outside the file");

	memset(img, 0, sizeof(*img));
	img->type = eh.e_type;
	img->phnum = eh.e_phnum;
	img->phoff = eh.e_phoff;
	img->entry = eh.e_entry;
	return 0;
}

/* Page-aligned lowest p_vaddr of the PT_LOAD segments, or UINT64_MAX. */
static uint64_t lowest_vaddr(const struct elf64_phdr *ph, size_t n)
{
	uint64_t lo = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			lo = MIN(lo, ph[i].p_vaddr & PAGE_MASK);
	return lo;
}

/* Check one PT_LOAD and add it to @img; *@prev_end: end of the previous one. */
static int check_load(const struct elf64_phdr *p, uint64_t file_size,
		      struct elf_image *img, uaddr_t *prev_end)
{
	uint64_t phsize = (uint64_t)img->phnum * sizeof(struct elf64_phdr);
	uaddr_t s, e;

	if (p->p_filesz > p->p_memsz)
		return bad("segment file size exceeds its memory size");
	if (p->p_offset > file_size || p->p_filesz > file_size - p->p_offset)
		return bad("segment data past the end of the file");
	if ((p->p_vaddr ^ p->p_offset) & (PAGE_SIZE - 1))
		return bad("segment address and file offset differ modulo the page size");
	if (p->p_memsz > UINT64_MAX - p->p_vaddr)
		return bad("segment address range overflows");
	s = p->p_vaddr + img->bias;
	e = s + p->p_memsz;
	if (e < s || s < SEG_LO || e > SEG_HI)
		return bad("segment outside the application address space");
	if (s < *prev_end)
		return bad("segments overlap or are out of order");
	*prev_end = e;
	img->start = MIN(img->start, s & PAGE_MASK);
	img->end = MAX(img->end, PAGE_ALIGN(e));
	/* AT_PHDR: the headers as loaded with the segment whose file data holds them */
	if (p->p_offset <= img->phoff && phsize <= p->p_filesz &&
	    img->phoff - p->p_offset <= p->p_filesz - phsize)
		img->phdr_addr = s + (img->phoff - p->p_offset);
	return 0;
}

/* The PT_INTERP at @p: a path inside the file, of a sane length. */
static int check_interp(const struct elf64_phdr *p, uint64_t file_size,
			struct elf_image *img)
{
	if (img->interp)
		return 0;	/* as Linux: the first one counts */
	if (p->p_filesz < 2 || p->p_filesz > ELF_INTERP_MAX)
		return bad("interpreter path length out of range");
	if (p->p_offset > file_size || p->p_filesz > file_size - p->p_offset)
		return bad("interpreter path past the end of the file");
	img->interp = true;
	img->interp_off = p->p_offset;
	img->interp_len = p->p_filesz;
	return 0;
}

int elf_parse_phdrs(const struct elf64_phdr *ph, uint64_t file_size,
		    struct elf_image *img)
{
	return elf_parse_phdrs_at(ph, file_size, img, USER_PIE_BASE);
}

int elf_parse_phdrs_at(const struct elf64_phdr *ph, uint64_t file_size,
		       struct elf_image *img, uaddr_t base)
{
	uint64_t lo = lowest_vaddr(ph, img->phnum);
	uaddr_t prev_end = 0;
	int err;

	if (lo == UINT64_MAX)
		return bad("no loadable segment");
	/* PIE: lowest segment at @base (the sums may wrap) */
	img->bias = img->type == ET_DYN ? base - lo : 0;
	img->start = UINT64_MAX;
	img->end = 0;
	img->phdr_addr = 0;
	img->interp = false;
	img->interp_off = img->interp_len = 0;
	img->exec_stack = false;	/* x86_64: no PT_GNU_STACK is no-exec */
	for (size_t i = 0; i < img->phnum; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			if (!ph[i].p_memsz)
				break;
			err = check_load(&ph[i], file_size, img, &prev_end);
			if (err)
				return err;
			break;
		case PT_INTERP:
			err = check_interp(&ph[i], file_size, img);
			if (err)
				return err;
			break;
		case PT_GNU_STACK:
			img->exec_stack = ph[i].p_flags & PF_X;
			break;
		}
	}
	img->entry += img->bias;
	if (img->entry < img->start || img->entry >= img->end)
		return bad("entry point outside the loaded segments");
	return 0;
}

uint64_t elf_load_size(const struct elf64_phdr *ph, size_t n)
{
	uint64_t lo = lowest_vaddr(ph, n), hi = 0;

	if (lo == UINT64_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (ph[i].p_memsz > USER_VA_END || ph[i].p_vaddr > USER_VA_END - ph[i].p_memsz)
			return 0;	/* cannot fit anywhere */
		hi = MAX(hi, PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz));
	}
	return hi - lo;
}

int elf_check_interp(const char *path, size_t len)
{
	if (len < 2 || len > ELF_INTERP_MAX)
		return bad("interpreter path length out of range");
	if (path[len - 1] != '\0')
		return bad("interpreter path is not NUL-terminated");
	if (path[0] == '\0')
		return bad("empty interpreter path");
	return 0;
}

unsigned int elf_prot(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elf.h: ELF64 executables and their dynamic linkers (kernel/elf.c), core. Pure parsing and
 * validation of the header and program headers against the file size; no
 * I/O and no memory mapping (that is kernel/exec.c), so every check is unit
 * tested with hand-built headers.
 */
#ifndef SENTRY_ELF_H
#define SENTRY_ELF_H

#include "sentry/types.h"

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

#define ELF_MAX_PHNUM	128	/* more program headers: not a program we load */
#define ELF_INTERP_MAX	4096	/* PT_INTERP path with its NUL: PATH_MAX */

struct elf64_ehdr {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

/* What the loader needs to know about a validated executable. */
struct elf_image {
	uint16_t type;		/* ET_EXEC or ET_DYN */
	uint16_t phnum;
	uint64_t phoff;		/* program headers in the file */
	uaddr_t bias;		/* added to every p_vaddr: 0 for ET_EXEC */
	uaddr_t entry;		/* biased entry point */
	uaddr_t phdr_addr;	/* AT_PHDR: program headers in memory, 0: not loaded */
	uaddr_t start, end;	/* page-aligned extent of the PT_LOADs, biased */
	bool interp;		/* has PT_INTERP: needs the dynamic linker */
	uint64_t interp_off;	/* PT_INTERP: the interpreter's path in the file */
	uint64_t interp_len;	/* its size, NUL included (2..ELF_INTERP_MAX) */
	bool exec_stack;	/* PT_GNU_STACK has PF_X (absent: no, as Linux) */
};

/**
 * elf_parse_header() - check the ELF header at @buf (@len bytes read from
 * the start of a file of @file_size bytes) and fill @img's type, phnum,
 * phoff and unbiased entry. Checked: magic, class, data, version, machine
 * x86_64, type ET_EXEC/ET_DYN, e_phentsize, 1 <= phnum <= ELF_MAX_PHNUM and
 * the program header table inside the file.
 * Return: 0 or -ENOEXEC.
 */
int elf_parse_header(const void *buf, size_t len, uint64_t file_size,
		     struct elf_image *img);

/**
 * elf_parse_phdrs() - check the @img->phnum program headers at @ph and
 * complete @img (bias, entry, phdr_addr, extent, interp, exec_stack); call
 * it once per @img (it biases the entry). An ET_DYN image is placed so that
 * its lowest segment starts at USER_PIE_BASE. Checked for each PT_LOAD:
 * filesz <= memsz, file range inside the file, offset and vaddr congruent
 * modulo the page size, no overflow, the biased range inside the app's
 * space below the stack, segments in ascending order without overlap; and
 * at least one PT_LOAD, and the entry point inside the loaded extent.
 * Return: 0 or -ENOEXEC.
 */
int elf_parse_phdrs(const struct elf64_phdr *ph, uint64_t file_size,
		    struct elf_image *img);

/**
 * elf_parse_phdrs_at() - elf_parse_phdrs() with an ET_DYN image placed so
 * that its lowest segment starts at @base (the dynamic linker's place);
 * @base is ignored for ET_EXEC. Also checks a PT_INTERP: inside the file,
 * 2..ELF_INTERP_MAX bytes.
 * Return: 0 or -ENOEXEC.
 */
int elf_parse_phdrs_at(const struct elf64_phdr *ph, uint64_t file_size,
		       struct elf_image *img, uaddr_t base);

/**
 * elf_load_size() - bytes from the lowest page of the @n program headers'
 * PT_LOADs to the end of the highest, page-aligned (what must be reserved
 * to place an ET_DYN image). Return: the size, 0 when there is no PT_LOAD
 * or the span overflows.
 */
uint64_t elf_load_size(const struct elf64_phdr *ph, size_t n);

/**
 * elf_check_interp() - is the @len bytes at @path (read from PT_INTERP) a
 * usable interpreter path: non-empty and NUL-terminated at @path[@len - 1]?
 * Return: 0 or -ENOEXEC.
 */
int elf_check_interp(const char *path, size_t len);

/** elf_prot() - PROT_* for a segment's PF_* flags. */
unsigned int elf_prot(uint32_t p_flags);

#endif /* SENTRY_ELF_H */

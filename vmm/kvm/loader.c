// SPDX-License-Identifier: Apache-2.0
/*
 * loader.c: load the guest kernel ELF (the embedded build/sentry.elf, or a
 * test guest) into guest RAM by its PT_LOAD physical addresses. The blob is
 * treated as untrusted input: every offset and size is checked against the
 * blob and every destination against RAM (Solo5 test_buggyelf).
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "vmm/kvm.h"

#define ELF_MAX_PHDRS	16

static int bad_elf(const char *why, unsigned int i)
{
	vmm_err("guest kernel image is broken: %s (program header %u)", why, i);
	return -ENOEXEC;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64) {
		vmm_err("guest kernel image is broken: not a 64-bit x86-64 ELF executable");
		return -ENOEXEC;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHDRS || eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff) {
		vmm_err("guest kernel image is broken: program header table outside the file");
		return -ENOEXEC;
	}
	return 0;
}

int vm_load_elf(struct vm *vm, const void *elf, size_t size, struct vm_layout *lay)
{
	const uint8_t *blob = elf;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t end = 0;
	bool entry_ok = false;
	uint8_t *dst;

	if (size < sizeof(eh))
		return check_ehdr(elf, 0);
	memcpy(&eh, blob, sizeof(eh));
	if (check_ehdr(&eh, size))
		return -ENOEXEC;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, blob + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return bad_elf("file size above memory size", i);
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return bad_elf("segment data outside the file", i);
		if (ph.p_paddr < GUEST_KERNEL_GPA)
			return bad_elf("segment below the kernel's load address", i);
		dst = vm_gpa_ptr(vm, ph.p_paddr, ph.p_memsz);
		if (!dst)
			return bad_elf("segment outside guest RAM", i);
		if (ph.p_vaddr - ph.p_paddr != KERNEL_VBASE)
			return bad_elf("virtual address is not KERNEL_VBASE + physical", i);
		memcpy(dst, blob + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		if (ph.p_paddr + ph.p_memsz > end)
			end = ph.p_paddr + ph.p_memsz;
		if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_memsz)
			entry_ok = true;
	}
	if (!end) {
		vmm_err("guest kernel image is broken: nothing to load");
		return -ENOEXEC;
	}
	if (!entry_ok) {
		vmm_err("guest kernel image is broken: entry point 0x%llx is not in an executable segment",
			(unsigned long long)eh.e_entry);
		return -ENOEXEC;
	}
	lay->entry = eh.e_entry;
	lay->kernel_end = (end + 4095) & ~4095ULL;
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * kvm_loader_test.c: vm_load_elf() on good and broken guest images
 * (Solo5 test_buggyelf): a broken one is refused with -ENOEXEC and nothing
 * outside guest RAM is written.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "vmm/kvm.h"

#define RAM_SIZE	(4UL << 20)
#define LOAD_GPA	GUEST_KERNEL_GPA

static struct vm vm;
static struct {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	uint8_t text[64];
} img;

/* Idempotent: criterion runs the suite's and the test's init (and fini). */
static void setup(void)
{
	if (vm.ram)
		return;
	vm = (struct vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .ram_fd = -1 };
	vm.ram = calloc(1, RAM_SIZE);
	vm.ram_size = RAM_SIZE;
	cr_assert(vm.ram != NULL);

	/* A minimal valid image: one R+X segment of 64 bytes (+64 of bss). */
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_entry = KERNEL_VBASE + LOAD_GPA + 8;
	img.eh.e_phoff = offsetof(__typeof__(img), ph);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 1;
	img.ph[0] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = offsetof(__typeof__(img), text),
		.p_vaddr = KERNEL_VBASE + LOAD_GPA, .p_paddr = LOAD_GPA,
		.p_filesz = sizeof(img.text), .p_memsz = 2 * sizeof(img.text),
	};
	memset(img.text, 0xcc, sizeof(img.text));
}

static void teardown(void)
{
	free(vm.ram);
	vm.ram = NULL;
}

TestSuite(kvm_loader, .init = setup, .fini = teardown);

static int load(size_t size)
{
	struct vm_layout lay = { 0 };

	return vm_load_elf(&vm, &img, size, &lay);
}

Test(kvm_loader, loads_by_physical_address_and_zeroes_bss)
{
	struct vm_layout lay = { 0 };

	memset(vm.ram + LOAD_GPA + 64, 0xff, 64);
	cr_assert(eq(int, vm_load_elf(&vm, &img, sizeof(img), &lay), 0));
	cr_assert(eq(u8, vm.ram[LOAD_GPA], 0xcc));
	cr_assert(eq(u8, vm.ram[LOAD_GPA + 63], 0xcc));
	cr_assert(eq(u8, vm.ram[LOAD_GPA + 64], 0));
	cr_assert(eq(u8, vm.ram[LOAD_GPA + 127], 0));
	cr_assert(eq(u64, lay.entry, KERNEL_VBASE + LOAD_GPA + 8));
	cr_assert(eq(u64, lay.kernel_end, LOAD_GPA + 4096));
}

Test(kvm_loader, refuses_truncated_files)
{
	cr_assert(eq(int, load(0), -ENOEXEC));
	cr_assert(eq(int, load(sizeof(img.eh) - 1), -ENOEXEC));
	cr_assert(eq(int, load(sizeof(img.eh) + 8), -ENOEXEC));	/* phdrs cut off */
	cr_assert(eq(int, load(sizeof(img) - 1), -ENOEXEC));	/* segment data cut off */
}

Test(kvm_loader, refuses_other_files)
{
	img.eh.e_ident[EI_MAG1] = 'X';
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	setup();
	img.eh.e_ident[EI_MAG1] = 'E';
	img.eh.e_ident[EI_CLASS] = ELFCLASS32;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_machine = EM_AARCH64;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_machine = EM_X86_64;
	img.eh.e_type = ET_DYN;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_bad_program_header_tables)
{
	img.eh.e_phoff = UINT64_MAX - 8;		/* offset + size wraps */
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_phoff = offsetof(__typeof__(img), ph);
	img.eh.e_phnum = 0;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_phnum = 1000;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_phnum = 1;
	img.eh.e_phentsize = 32;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_segments_outside_the_file)
{
	img.ph[0].p_offset = UINT64_MAX - 10;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.ph[0].p_offset = offsetof(__typeof__(img), text);
	img.ph[0].p_filesz = 1 << 20;
	img.ph[0].p_memsz = 1 << 20;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_file_size_above_memory_size)
{
	img.ph[0].p_memsz = 8;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_segments_outside_ram)
{
	img.ph[0].p_paddr = RAM_SIZE - 32;		/* 128 bytes from there overflow */
	img.ph[0].p_vaddr = KERNEL_VBASE + img.ph[0].p_paddr;
	img.eh.e_entry = img.ph[0].p_vaddr;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.ph[0].p_paddr = UINT64_MAX - 16;		/* paddr + memsz wraps */
	img.ph[0].p_vaddr = KERNEL_VBASE + img.ph[0].p_paddr;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.ph[0].p_paddr = 0x1000;			/* below the kernel's place */
	img.ph[0].p_vaddr = KERNEL_VBASE + 0x1000;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_virtual_addresses_off_the_kernel_mapping)
{
	img.ph[0].p_vaddr = LOAD_GPA;			/* identity: not KERNEL_VBASE + gpa */
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_an_entry_outside_executable_segments)
{
	img.eh.e_entry = KERNEL_VBASE + LOAD_GPA + 4096;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
	img.eh.e_entry = KERNEL_VBASE + LOAD_GPA;
	img.ph[0].p_flags = PF_R | PF_W;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

Test(kvm_loader, refuses_an_image_without_loadable_segments)
{
	img.ph[0].p_type = PT_NOTE;
	cr_assert(eq(int, load(sizeof(img)), -ENOEXEC));
}

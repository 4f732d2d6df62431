// SPDX-License-Identifier: Apache-2.0
/*
 * boot.c: the x86_64 boot area the VMM builds in guest RAM right after the
 * sentry's image (contract: abi/sentry/arch/boot.h).
 *
 *   kernel_end -> boot root pair (8 KiB aligned: kernel root even, user root odd, empty)
 *                 GDT page (GDT at 0, TSS at 0x80)
 *                 per-CPU page (GS_BASE; first qword = its own address)
 *                 sentry stack, TSS.RSP0 stack, TSS.IST1 stack
 *                 FDT (BOOTINFO_MAX_SIZE)
 *                 page tables, allocated while mapping
 *   boot_end   -> the sentry's page allocator starts here (ram-free)
 *
 * Mappings of the boot root, 2 MiB pages unless noted:
 *   KERNEL_VBASE + [0, ALIGN_2M(boot_end))  -> gpa 0..   RWX   (kernel image, boot area)
 *   DIRECT_MAP_BASE + [0, ram_size)         -> RAM       RW NX
 *   DIRECT_MAP_BASE + GUEST_HOSTCALL_GPA    -> doorbell  RW NX PCD PWT, 4 KiB
 *   DIRECT_MAP_BASE + GUEST_IMAGE_GPA + ... -> image     RO NX
 * PVM: U=1 in every entry (native guest code cannot touch U=0 pages,
 * pvm.md 3.5). Ring 0: U=0 (the sentry half is the kernel's).
 */
#include <errno.h>
#include <string.h>

#include "sentry/arch/layout.h"

#include "abi/sentry/arch/boot.h"
#include "abi/sentry/bootinfo.h"

#include "vmm/kvm.h"

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_US		(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_PS		(1ULL << 7)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL

#define TSS_OFFSET	0x80	/* in the GDT page */
#define TSS_LIMIT	0x67	/* 104-byte 64-bit TSS, no I/O bitmap */

struct boot_alloc {
	struct vm *vm;
	uint64_t next;		/* first free gpa */
	uint64_t us;		/* PTE_US (PVM) or 0 (ring 0) */
};

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Zeroed, aligned guest memory from the boot area; 0 when RAM is full. */
static uint64_t ba_alloc(struct boot_alloc *ba, uint64_t size, uint64_t align)
{
	uint64_t gpa = align_up(ba->next, align);
	void *p = vm_gpa_ptr(ba->vm, gpa, size);

	if (gpa < ba->next || !p)
		return 0;
	memset(p, 0, size);
	ba->next = gpa + size;
	return gpa;
}

static uint64_t *table_at(struct boot_alloc *ba, uint64_t gpa)
{
	return vm_gpa_ptr(ba->vm, gpa, SZ_4K);
}

/*
 * Map [va, va + size) to [gpa, gpa + size) with @page-sized leaves (4 KiB
 * or 2 MiB) carrying @flags, allocating intermediate tables as needed.
 */
static int map_range(struct boot_alloc *ba, uint64_t root, uint64_t va, uint64_t gpa,
		     uint64_t size, uint64_t page, uint64_t flags)
{
	int leaf_level = page == SZ_2M ? 1 : 0;	/* 3 PML4, 2 PDPT, 1 PD, 0 PT */
	uint64_t *table, e, t;
	unsigned int idx;

	for (uint64_t off = 0; off < size; off += page) {
		table = table_at(ba, root);
		for (int level = 3; level > leaf_level; level--) {
			idx = ((va + off) >> (12 + 9 * level)) & 511;
			e = table[idx];
			if (!(e & PTE_P)) {
				t = ba_alloc(ba, SZ_4K, SZ_4K);
				if (!t)
					return -ENOSPC;
				e = t | PTE_P | PTE_RW | ba->us;
				table[idx] = e;
			} else if (e & PTE_PS) {
				return -EEXIST;
			}
			table = table_at(ba, e & PTE_ADDR);
		}
		idx = ((va + off) >> (12 + 9 * leaf_level)) & 511;
		table[idx] = (gpa + off) | flags | PTE_P | PTE_A | ba->us |
			     (flags & PTE_RW ? PTE_D : 0) | (leaf_level ? PTE_PS : 0);
	}
	return 0;
}

/* 64-bit TSS: rsp0 at 4, ist1 at 36, I/O map base at 102. */
static void tss_init(uint8_t *tss, uint64_t rsp0, uint64_t ist1)
{
	uint16_t iomap = TSS_LIMIT + 1;

	memcpy(tss + 4, &rsp0, 8);
	memcpy(tss + 36, &ist1, 8);
	memcpy(tss + 102, &iomap, 2);
}

/* The Linux GDT layout (pvm.md 3.6), TSS descriptor marked busy (as TR holds it). */
static void gdt_init(uint64_t *g, uint64_t tss_va)
{
	g[0] = 0;
	g[1] = 0;
	g[X86_KERNEL_CS / 8] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	g[X86_KERNEL_DS / 8] = 0x00cf93000000ffffULL;	/* data, DPL 0 */
	g[X86_USER32_CS / 8] = 0x00cffb000000ffffULL;	/* 32-bit code, DPL 3 */
	g[X86_USER_DS / 8] = 0x00cff3000000ffffULL;	/* data, DPL 3 */
	g[X86_USER_CS / 8] = 0x00affb000000ffffULL;	/* 64-bit code, DPL 3 */
	g[7] = 0;
	g[X86_TSS_SEL / 8] = TSS_LIMIT | ((tss_va & 0xffffff) << 16) | (0xbULL << 40) |
			     (1ULL << 47) | (((tss_va >> 24) & 0xff) << 56);
	g[X86_TSS_SEL / 8 + 1] = tss_va >> 32;
}

int arch_vm_boot_area(struct vm *vm, uint64_t image_size, struct vm_layout *lay)
{
	bool pvm = vm->flavour == BOOT_FLAVOUR_KVM_PVM;
	struct boot_alloc ba = { vm, lay->kernel_end, pvm ? PTE_US : 0 };
	uint64_t root, gdt, pcpu, stack, trap, ist, fdt, kspan, end;
	int err;

	root = ba_alloc(&ba, 2 * SZ_4K, 2 * SZ_4K);
	gdt = ba_alloc(&ba, SZ_4K, SZ_4K);
	pcpu = ba_alloc(&ba, SZ_4K, SZ_4K);
	stack = ba_alloc(&ba, BOOT_STACK_SIZE, SZ_4K);
	trap = ba_alloc(&ba, BOOT_TRAP_STACK_SIZE, SZ_4K);
	ist = ba_alloc(&ba, BOOT_IST_STACK_SIZE, SZ_4K);
	fdt = ba_alloc(&ba, BOOTINFO_MAX_SIZE, SZ_4K);
	if (!root || !gdt || !pcpu || !stack || !trap || !ist || !fdt)
		goto nospace;

	/*
	 * The kernel half's PD first, so that mapping the kernel half last
	 * (once the boot area's end is known) allocates nothing more.
	 */
	err = map_range(&ba, root, KERNEL_VBASE, 0, SZ_2M, SZ_2M, PTE_RW);
	if (!err)
		err = map_range(&ba, root, DIRECT_MAP_BASE, 0, vm->ram_size, SZ_2M,
				PTE_RW | PTE_NX);
	if (!err)
		err = map_range(&ba, root, DIRECT_MAP_BASE + GUEST_HOSTCALL_GPA,
				GUEST_HOSTCALL_GPA, SZ_4K, SZ_4K,
				PTE_RW | PTE_NX | PTE_PCD | PTE_PWT);
	if (!err && image_size)
		err = map_range(&ba, root, DIRECT_MAP_BASE + GUEST_IMAGE_GPA, GUEST_IMAGE_GPA,
				align_up(image_size, SZ_2M), SZ_2M, PTE_NX);
	if (err)
		goto nospace;
	end = align_up(ba.next, SZ_4K);
	kspan = align_up(end, SZ_2M);
	if (kspan > SZ_1G)
		goto nospace;
	err = map_range(&ba, root, KERNEL_VBASE, 0, kspan, SZ_2M, PTE_RW);
	if (err || ba.next != end)
		goto nospace;

	lay->root = root;
	lay->gdt_va = KERNEL_VBASE + gdt;
	lay->tss_va = lay->gdt_va + TSS_OFFSET;
	lay->pcpu_va = KERNEL_VBASE + pcpu;
	lay->stack_top = KERNEL_VBASE + stack + BOOT_STACK_SIZE;
	lay->fdt_gpa = fdt;
	lay->fdt_va = DIRECT_MAP_BASE + fdt;
	lay->boot_end = end;

	gdt_init(vm_gpa_ptr(vm, gdt, SZ_4K), lay->tss_va);
	tss_init((uint8_t *)vm_gpa_ptr(vm, gdt, SZ_4K) + TSS_OFFSET,
		 KERNEL_VBASE + trap + BOOT_TRAP_STACK_SIZE,
		 KERNEL_VBASE + ist + BOOT_IST_STACK_SIZE);
	memcpy(vm_gpa_ptr(vm, pcpu, 8), &lay->pcpu_va, 8);
	return 0;

nospace:
	vmm_err("guest RAM (%llu MiB) is too small for the sentry's boot area",
		(unsigned long long)(vm->ram_size >> 20));
	return -ENOSPC;
}

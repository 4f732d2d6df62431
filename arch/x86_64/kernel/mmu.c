// SPDX-License-Identifier: Apache-2.0
/*
 * mmu.c: app address spaces (plat_as_*) as x86-64 4-level page tables.
 *
 * Every address space copies the sentry half (PML4 entries 256-511) from
 * the boot root the VMM built; the app half (0-255) is its own and holds
 * only 4 KiB pages. Flavours:
 *
 *   ring 0: one root; sentry half U=0 (the app cannot touch it), app half U=1.
 *   PVM:    a root pair (pvm.md 3.5, 6.2). Native guest code cannot use U=0
 *           pages at all, so isolation comes from two roots instead:
 *
 *             root     (even page): sentry half + app half  <- sentry, CR3
 *             root+4K  (odd page):  app half only           <- app (the
 *                                   hypervisor switches to it on return)
 *
 *           Both PML4s point at the same lower-level tables, so a mapping
 *           made once is seen by both. The user root never maps a sentry
 *           page: an app read of a sentry address faults.
 *
 * Page tables come from page_alloc() (zeroed) and are reached through the
 * direct map. TLB: a changed or removed present entry of the active space
 * is flushed (PVM_HC_FLUSH_TLB on PVM, a CR3 reload on ring 0).
 *
 * A destroyed address space keeps its tables for the next one (as_cache):
 * PVM shadows the tables and keeps a freed table page write-protected, so
 * every reuse of it, even zeroing it as a new table, costs emulated writes
 * (several µs each). The next process, typically a fork or an exec of the
 * same layout, finds the upper levels already there.
 */
#include "sentry/arch/layout.h"

#include "sentry/bug.h"
#include "sentry/kmalloc.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"
#include "abi/sentry/arch/boot.h"

#include "x86.h"

#define PTE_P		(1UL << 0)
#define PTE_RW		(1UL << 1)
#define PTE_US		(1UL << 2)
#define PTE_A		(1UL << 5)
#define PTE_D		(1UL << 6)
#define PTE_PS		(1UL << 7)
#define PTE_NX		(1UL << 63)
#define PTE_ADDR	0x000ffffffffff000UL

#define PT_ENTRIES	512
#define APP_PML4_END	256	/* PML4 entries below this are the app half */

struct plat_as {
	paddr_t root;		/* PVM: even page; its user twin is root + PAGE_SIZE */
};

static struct plat_as *active_as;

static uint64_t *table(paddr_t pa)
{
	return plat_phys_to_virt(pa);
}

/*
 * PVM: two physically adjacent pages, the first at an 8 KiB boundary.
 * A run of 2 that happens to be aligned, else a run of 3 with the spare
 * page given back.
 */
static paddr_t alloc_root_pair(void)
{
	size_t got;
	paddr_t pa = page_alloc_run(2, &got);

	if (pa && got == 2 && !(pa & PAGE_SIZE))
		return pa;
	if (pa)
		page_free_run(pa, got);
	pa = page_alloc_run(3, &got);
	if (!pa)
		return 0;
	if (got < 3) {
		page_free_run(pa, got);
		return 0;
	}
	if (pa & PAGE_SIZE) {
		page_free(pa);
		return pa + PAGE_SIZE;
	}
	page_free(pa + 2 * PAGE_SIZE);
	return pa;
}

/*
 * Only the active address space can have stale entries: loading CR3 flushes
 * (no PCIDs here: PVM refuses CR4.PCIDE). On PVM a flush costs as much as a
 * CR3 load, ~45 000 TSC cycles, so changes to an inactive space (a fork's
 * child, an exited process's tables) must not pay one.
 */
static void tlb_flush(struct plat_as *as)
{
	if (as != active_as)
		return;
	if (x86_is_pvm())
		pvm_hypercall(PVM_HC_FLUSH_TLB, 0, 0, 0);
	else
		write_cr3(read_cr3());
}

#define AS_CACHE	4	/* address spaces kept */
#define AS_CACHE_TABLES	64	/* the most table pages one may keep (256 KiB) */

static struct plat_as *as_cache[AS_CACHE];
static unsigned int as_cached;

int plat_as_create(struct plat_as **out)
{
	struct plat_as *as;
	uint64_t *root, *boot;

	if (as_cached) {
		*out = as_cache[--as_cached];
		return 0;
	}
	as = kzalloc(sizeof(*as));
	if (!as)
		return -ENOMEM;
	as->root = x86_is_pvm() ? alloc_root_pair() : page_alloc();
	if (!as->root) {
		kfree(as);
		return -ENOMEM;
	}
	root = table(as->root);
	boot = table(x86_boot_root);
	for (int i = APP_PML4_END; i < PT_ENTRIES; i++)
		root[i] = boot[i];
	*out = as;
	return 0;
}

static void free_level(paddr_t pa, int level)
{
	uint64_t *t = table(pa);

	if (level > 1)
		for (int i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				free_level(t[i] & PTE_ADDR, level - 1);
	page_free(pa);
}

/* Table pages below @pa (a table at @level), itself included. */
static unsigned int count_tables(paddr_t pa, int level)
{
	uint64_t *t = table(pa);
	unsigned int n = 1;

	if (level > 1)
		for (int i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				n += count_tables(t[i] & PTE_ADDR, level - 1);
	return n;
}

/* Clear the page entries below @pa, keeping every table. Return: any cleared. */
static bool clear_pages(paddr_t pa, int level)
{
	uint64_t *t = table(pa);
	bool cleared = false;

	for (int i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1) {
			cleared |= clear_pages(t[i] & PTE_ADDR, level - 1);
		} else {
			t[i] = 0;
			cleared = true;
		}
	}
	return cleared;
}

/* Keep @as, emptied, for plat_as_create(). Return: false if it is not kept. */
static bool as_cache_put(struct plat_as *as)
{
	uint64_t *root = table(as->root);
	unsigned int tables = 0;
	bool cleared = false;

	if (as_cached == AS_CACHE)
		return false;
	for (int i = 0; i < APP_PML4_END; i++)
		if (root[i] & PTE_P)
			tables += count_tables(root[i] & PTE_ADDR, 3);
	if (tables > AS_CACHE_TABLES)
		return false;
	for (int i = 0; i < APP_PML4_END; i++)
		if (root[i] & PTE_P)
			cleared |= clear_pages(root[i] & PTE_ADDR, 3);
	if (cleared)
		tlb_flush(as);
	as_cache[as_cached++] = as;
	return true;
}

void plat_as_destroy(struct plat_as *as)
{
	uint64_t *root;
	bool was_active;

	if (!as)
		return;
	/*
	 * An exiting task's space is still in CR3. Kept, it may stay there:
	 * the sentry never reaches app memory through app addresses, and
	 * with active_as NULL the next activation loads CR3 (and flushes)
	 * whatever it is. Freed, the CPU must leave its tables first.
	 */
	was_active = as == active_as;
	if (was_active)
		active_as = NULL;
	if (as_cache_put(as))
		return;
	if (was_active)
		write_cr3(x86_boot_root);
	root = table(as->root);
	for (int i = 0; i < APP_PML4_END; i++)
		if (root[i] & PTE_P)
			free_level(root[i] & PTE_ADDR, 3);
	if (x86_is_pvm())
		page_free_run(as->root, 2);
	else
		page_free(as->root);
	kfree(as);
}

/*
 * The PTE for @va. With @alloc, missing tables are made (NULL: out of
 * memory); without, NULL means nothing is mapped and *@skip is how far the
 * missing table's span reaches from @va.
 */
static uint64_t *pte_of(struct plat_as *as, uaddr_t va, bool alloc, uint64_t *skip)
{
	uint64_t *t = table(as->root), e;
	paddr_t pa;

	for (int level = 3; level > 0; level--) {
		unsigned int idx = (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);

		e = t[idx];
		if (!(e & PTE_P)) {
			if (!alloc) {
				uint64_t span = 1UL << (PAGE_SHIFT + 9 * level);

				*skip = span - (va & (span - 1));
				return NULL;
			}
			pa = page_alloc();
			if (!pa)
				return NULL;
			e = pa | PTE_P | PTE_RW | PTE_US;
			t[idx] = e;
			/* PVM: the user twin shares the app half's tables. */
			if (level == 3 && x86_is_pvm())
				table(as->root + PAGE_SIZE)[idx] = e;
		}
		t = table(e & PTE_ADDR);
	}
	return &t[(va >> PAGE_SHIFT) & (PT_ENTRIES - 1)];
}

static bool range_ok(uaddr_t va, size_t len)
{
	return PAGE_ALIGNED(va) && PAGE_ALIGNED(len) && va >= USER_VA_START &&
	       va <= USER_VA_END && len <= USER_VA_END - va;
}

int plat_as_unmap(struct plat_as *as, uaddr_t va, size_t len)
{
	uint64_t *pte, skip;
	bool flush = false;
	uaddr_t end = va + len;

	if (!range_ok(va, len))
		return -EINVAL;
	while (va < end) {
		pte = pte_of(as, va, false, &skip);
		if (!pte) {
			va = skip > end - va ? end : va + skip;
			continue;
		}
		if (*pte & PTE_P)
			flush = true;
		*pte = 0;
		va += PAGE_SIZE;
	}
	if (flush)
		tlb_flush(as);
	return 0;
}

int plat_as_map(struct plat_as *as, uaddr_t va, paddr_t pa, size_t len, unsigned int prot)
{
	/* A and D preset: nothing for the MMU (or PVM's shadow MMU) to update. */
	uint64_t flags = PTE_P | PTE_US | PTE_A;
	uint64_t *pte = NULL, skip;
	bool flush = false;
	int err = 0;

	if (!range_ok(va, len) || !PAGE_ALIGNED(pa))
		return -EINVAL;
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return plat_as_unmap(as, va, len);
	if (prot & PROT_WRITE)
		flags |= PTE_RW | PTE_D;
	if (!(prot & PROT_EXEC))
		flags |= PTE_NX;

	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		/* Walk at each new page table; within one, step along it. */
		if (!pte || !((va + off) & ((PT_ENTRIES * PAGE_SIZE) - 1)))
			pte = pte_of(as, va + off, true, &skip);
		else
			pte++;
		if (!pte) {
			err = -ENOMEM;
			break;
		}
		if (*pte & PTE_P)
			flush = true;
		*pte = (pa + off) | flags;
	}
	if (flush)
		tlb_flush(as);
	return err;
}

void plat_as_activate(struct plat_as *as)
{
	if (as == active_as)
		return;
	/* PVM: a trapped mov to CR3, one exit, and a TLB flush; the kernel stays native (pvm.md 3.3). */
	write_cr3(as->root);
	active_as = as;
}

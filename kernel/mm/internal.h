/* SPDX-License-Identifier: Apache-2.0 */
/*
 * internal.h: what the files of kernel/mm/ share; nothing outside includes it.
 *
 *   vma.c       the sorted VMA list: create, split, insert, remove, find gaps
 *   populate.c  physical pages behind VMAs: allocate, fill, map, drop
 *   mmap.c      mm_create/destroy, mmap, munmap, mprotect, madvise
 *   mremap.c    mremap, mincore, msync
 *   brk.c       the program break
 *   fault.c     demand faults
 *   usercopy.c  copies between the sentry and app memory
 */
#ifndef SENTRY_MM_INTERNAL_H
#define SENTRY_MM_INTERNAL_H

#include "sentry/mm.h"
#include "sentry/vfs.h"

#include "abi/linux/mman.h"

#define PROT_RWX	(PROT_READ | PROT_WRITE | PROT_EXEC)

/*
 * Eager population is best effort and bounded: a mapping larger than this
 * (or than half of the free RAM) is populated on demand instead, the way
 * Linux overcommits. The bound keeps a program that maps a big buffer and
 * touches little of it from taking the sandbox's RAM.
 */
#define MM_EAGER_MAX_PAGES	((64UL << 20) >> PAGE_SHIFT)

/* A stack fault populates this many pages below (and at) the faulting one. */
#define MM_STACK_FAULT_PAGES	16

/*
 * Any other fault populates the aligned window of this many pages around
 * the faulting one (within its VMA): a fault costs a host round trip under
 * ptrace and an exit under PVM, and a program that touches one page of a
 * lazy mapping mostly touches its neighbours next. 64 KiB, as Linux's
 * fault_around_bytes; the window is dropped to the one page when RAM is short.
 */
#define MM_FAULT_AROUND_PAGES	16

/*
 * A fork copies a private writable mapping with at most this many resident
 * pages at once instead of sharing it copy-on-write: a fault costs a host
 * round trip under ptrace (~150 us with its fault-around, `make bench`),
 * an exit under PVM, where copying 256 KiB costs ~30 us. The child and the
 * parent both write their stack and small data right after a fork; a
 * large heap is shared, so a fork+exec of a big process copies little.
 */
#define MM_FORK_COPY_PAGES	64

static inline size_t vma_npages(const struct vma *v)
{
	return (v->end - v->start) >> PAGE_SHIFT;
}

static inline size_t vma_index(const struct vma *v, uaddr_t addr)
{
	return (addr - v->start) >> PAGE_SHIFT;
}

static inline paddr_t vma_page(const struct vma *v, uaddr_t addr)
{
	return v->pages ? v->pages[vma_index(v, addr)] : 0;
}

/* Private: the VMA's pages are its own (copy-on-write after a fork). */
static inline bool vma_private(const struct vma *v)
{
	return !(v->flags & MAP_SHARED);
}

/* A MAP_SHARED file mapping of the file's own pages (vfs_shareable()). */
static inline bool vma_file_shared(const struct vma *v)
{
	return (v->flags & MAP_SHARED) && v->file && vfs_shareable(v->file, false);
}

/* vma.c */
struct vma *vma_new(uaddr_t start, uaddr_t end, unsigned int prot,
		    unsigned int flags, struct file *f, loff_t off);
/* Free @v, its pages and its file reference; the platform AS is not touched. */
void vma_free(struct vma *v);
/* Allocate @v->pages if it is still NULL. Return: 0 or -ENOMEM. */
int vma_alloc_pages(struct vma *v);
/* Split @v at @addr (strictly inside): @v keeps the low part. 0 or -ENOMEM. */
int vma_split(struct vma *v, uaddr_t addr);
/* Move @v's end up to @end (the range above must be free). 0 or -ENOMEM. */
int vma_extend(struct vma *v, uaddr_t end);
void vma_insert(struct mm *mm, struct vma *v);
/* Split the VMAs that straddle @start or @end, so [@start, @end) is whole VMAs. */
int mm_split_range(struct mm *mm, uaddr_t start, uaddr_t end);
/* Unmap, free and forget everything in [@start, @end). Return: 0 or -ENOMEM. */
int mm_remove_range(struct mm *mm, uaddr_t start, uaddr_t end);
/* No VMA overlaps [@start, @end). */
bool mm_range_free(const struct mm *mm, uaddr_t start, uaddr_t end);
/* Every page of [@start, @end) is in some VMA. */
bool mm_range_mapped(const struct mm *mm, uaddr_t start, uaddr_t end);
/* Highest free [a, a + @len) inside [@lo, @hi), or 0 when none. */
uaddr_t mm_find_gap(const struct mm *mm, size_t len, uaddr_t lo, uaddr_t hi);
/* x86 semantics: any mapped page is readable; writes and fetches need their bit. */
bool vma_allows(const struct vma *v, bool write, bool exec);

/* populate.c */
/* Does mmap/brk/mprotect populate @v at once (else on demand)? */
bool vma_eager(const struct vma *v, size_t npages);
/*
 * Give every page of [@start, @end) in @v a physical page (zeroed, or
 * filled from @v->file) and map the new runs in @mm->as with @v->prot.
 * Return: 0, -ENOMEM, or the file's read error.
 */
int vma_populate(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end);
/*
 * Map again the populated pages of [@start, @end) with @v->prot (mprotect),
 * less PROT_WRITE for the copy-on-write ones.
 */
int vma_remap(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end);
/* Same, passing @hint (PLAT_MAP_LAZY or 0) to plat_as_map(). */
int vma_remap_hint(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end,
		   unsigned int hint);
/*
 * Copy-on-write: give each page of [@start, @end) of the private @v that
 * another process still shares a copy of its own, and map the range again
 * (writable where @v is). Return: 0 or -ENOMEM (the pages done stay done).
 */
int vma_unshare(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end);
/*
 * Free the physical pages of [@start, @end) in @v and forget them. The range
 * of those that were populated is widened into [*@lo, *@hi) (unchanged when
 * none was), for one plat_as_unmap() by the caller.
 */
void vma_drop_pages(struct vma *v, uaddr_t start, uaddr_t end, uaddr_t *lo,
		    uaddr_t *hi);

/* mmap.c */
/* Where a non-fixed mapping of @len bytes goes (@hint if free); 0: nowhere. */
uaddr_t mm_place(struct mm *mm, uaddr_t hint, size_t len, unsigned int flags);

/* mremap.c: mremap(2), mincore(2), msync(2) (vec: app buffer, current mm) */
long mm_mremap(struct mm *mm, uaddr_t addr, size_t old_len, size_t new_len,
	       unsigned int flags, uaddr_t new_addr);
int mm_mincore(struct mm *mm, uaddr_t addr, size_t len, uaddr_t vec);
int mm_msync(struct mm *mm, uaddr_t addr, size_t len, int flags);

/* fault.c */
/* Populate the page at @addr (and its neighbours for stacks). 0 or -errno. */
int vma_fault_in(struct mm *mm, struct vma *v, uaddr_t addr);
/*
 * Make the populated page at @addr of @v writable by this process: copy it
 * (and the shared pages of its fault-around window) if it is still shared
 * since a fork. Return: 0 or -ENOMEM.
 */
int vma_fault_write(struct mm *mm, struct vma *v, uaddr_t addr);

#endif /* SENTRY_MM_INTERNAL_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mm.h: app address spaces (kernel/mm/), core.
 *
 * An mm is a sorted list of VMAs plus the platform address space that
 * mirrors it. Every VMA records, per page, the physical page backing it (0:
 * not populated yet). The core reaches app memory through that record and
 * plat_phys_to_virt(), never through the app's page tables, so user copies
 * work the same on every platform and cannot fault in the sentry.
 *
 * Population policy: anonymous and private file mappings are populated at
 * mmap/brk time (a demand fault costs ~23 us on PVM) except MAP_NORESERVE,
 * PROT_NONE and stack/guard regions, which fault in on first touch. Eager
 * population is best effort: a mapping over 64 MiB or over half the free
 * RAM, or one that meets an out-of-memory, faults in the rest (overcommit).
 * Freshly populated pages are zero, or a copy of the file (zero past EOF).
 *
 * Sharing: MAP_SHARED anonymous memory is shared with the children forked
 * after it was mapped (the same physical pages; populated in full at the
 * fork); MADV_DONTNEED on it drops this process's view only.
 *
 * MAP_SHARED file mappings of in-memory files (tmpfs: everything written,
 * memfds, /dev/shm, and image files, copied up on the first shared map)
 * map the file's own pages, faulted in on touch: stores are what read(2)
 * sees and the reverse, in every process; a page past EOF is SIGBUS.
 * PROT_WRITE needs the file open for writing (-EACCES). Other files are
 * mapped as read-only copies.
 *
 * Limits of this version: adjacent VMAs are not merged; pages of a private
 * file mapping past EOF read zero (no SIGBUS); a file truncated under a
 * shared mapping leaves the mapping its old pages (Linux: SIGBUS).
 */
#ifndef SENTRY_MM_H
#define SENTRY_MM_H

#include "sentry/types.h"

struct inode;
struct file;
struct plat_as;
struct fault_info;

struct vma {
	struct vma *next;	/* sorted by start, non-overlapping */
	uaddr_t start, end;	/* page-aligned, [start, end) */
	unsigned int prot;	/* PROT_* */
	unsigned int flags;	/* MAP_SHARED or MAP_PRIVATE, MAP_ANONYMOUS,
				 * MAP_GROWSDOWN, MAP_NORESERVE, MAP_POPULATE, MAP_STACK,
				 * VMA_VDSO, VMA_VVAR */
	struct file *file;	/* private file mapping source, or NULL */
	loff_t off;		/* file offset of start */
	paddr_t *pages;		/* one per page, 0: not populated; the array
				 * is NULL until the first page is populated */
};

/*
 * struct vma.flags beyond the MAP_* bits (mmap never keeps these): the
 * sentry's own mappings, named so in /proc/PID/maps (kernel/vdso.c).
 */
#define VMA_VDSO	0x40000000U	/* [vdso] */
#define VMA_VVAR	0x80000000U	/* [vvar] */

struct mm {
	int users;		/* tasks sharing it (CLONE_VM) */
	struct vma *vmas;
	struct plat_as *as;
	uaddr_t brk_start;	/* end of the program's data, page-aligned */
	uaddr_t brk;		/* current break (not necessarily aligned) */
	uaddr_t mmap_base;	/* top-down search starts here */
	uaddr_t stack_top;
	uaddr_t arg_start, arg_end, env_start, env_end;
};

/** mm_create() - empty address space with its platform twin. */
int mm_create(struct mm **out);
/** mm_destroy() - unmap everything, free pages, VMAs and the platform AS. */
void mm_destroy(struct mm *mm);
/** mm_get() - one more user of @mm (a thread); mm_put() drops it, the last destroys. */
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);

/**
 * mm_fork() - fork's copy of @mm, in a new platform address space: the same
 * VMAs over the same physical pages. Private pages are copy-on-write in
 * both (mapped read-only; the first write, by the app or by a user copy,
 * gives the writer a copy of the page and of the shared pages of its 64
 * KiB fault-around window); MAP_SHARED anonymous pages stay shared.
 * Return: 0 or -ENOMEM (or the platform's -errno).
 */
int mm_fork(struct mm *mm, struct mm **out);

/**
 * mm_mmap() - mmap(2) semantics: anonymous (MAP_ANONYMOUS; @f and @off are
 * ignored) or private file mapping of @f from @off (takes its own reference
 * to @f). MAP_SHARED of a file: see the limits above.
 * Return: the mapped address or -errno.
 */
long mm_mmap(struct mm *mm, uaddr_t addr, size_t len, unsigned int prot,
	     unsigned int flags, struct file *f, loff_t off);
/**
 * mm_map_pinned() - map the @n pinned pages @pages (page_pin) at @va, a
 * private mapping with @prot and the VMA flags @vma_flags (VMA_VDSO...),
 * for the sentry's own mappings of pages that every process shares. A
 * fork shares them too; a write (after mprotect) copies the page.
 * Return: 0, -EEXIST (something is mapped there), -ENOMEM.
 */
int mm_map_pinned(struct mm *mm, uaddr_t va, const paddr_t *pages, size_t n,
		  unsigned int prot, unsigned int vma_flags);
/** mm_munmap() - munmap(2). Return: 0 or -errno (-EINVAL for bad ranges). */
int mm_munmap(struct mm *mm, uaddr_t addr, size_t len);
/** mm_mprotect() - mprotect(2). Return: 0 or -ENOMEM for unmapped holes. */
int mm_mprotect(struct mm *mm, uaddr_t addr, size_t len, unsigned int prot);
/** mm_brk() - brk(2): returns the new break, or the old one on failure. */
uaddr_t mm_brk(struct mm *mm, uaddr_t newbrk);
/**
 * mm_madvise() - madvise(2). MADV_DONTNEED frees the pages (the next touch
 * reads zero, or the file again); MADV_WILLNEED and MADV_POPULATE_* populate;
 * other valid advice is accepted and ignored. Return: 0 or -errno.
 */
int mm_madvise(struct mm *mm, uaddr_t addr, size_t len, int advice);
/**
 * mm_file_shrunk() - @inode was truncated to @size: every shared mapping of
 * it, in every process, lets go of its pages past the new end, as Linux
 * unmaps them; touching one then is SIGBUS, or a new page if the file grew
 * back over it.
 */
void mm_file_shrunk(const struct inode *inode, uint64_t size);
/**
 * mm_populate() - back every page of the accessible VMAs in
 * [@addr, @addr + @len) now (MAP_POPULATE, the initial stack).
 * Return: 0, -ENOMEM or a file read error.
 */
int mm_populate(struct mm *mm, uaddr_t addr, size_t len);

/**
 * mm_handle_fault() - fix a page fault the app took, if the VMA allows the
 * access (demand population). Return: 0 when the app may retry, -EFAULT
 * (SIGSEGV: no mapping or no permission), -ENOMEM.
 */
int mm_handle_fault(struct mm *mm, const struct fault_info *fault);

/**
 * mm_shared_phys() - the physical address of @addr when it lies in
 * MAP_SHARED memory (populating its page), for keys that must be the same
 * in every process mapping it (shared futexes).
 * Return: 0, -ENOENT (private memory or no mapping), -ENOMEM.
 */
int mm_shared_phys(struct mm *mm, uaddr_t addr, paddr_t *pa);

/** mm_find_vma() - the VMA containing @addr, or NULL. */
struct vma *mm_find_vma(struct mm *mm, uaddr_t addr);

/*
 * User copies on the current task's mm. They honour the VMA protection as
 * the x86 MMU does (a read needs any of PROT_READ/WRITE/EXEC, a write needs
 * PROT_WRITE), populate on demand, and return 0 or -EFAULT; nothing is
 * copied past the first bad page.
 */
int copy_from_user(void *dst, uaddr_t src, size_t len);
int copy_to_user(uaddr_t dst, const void *src, size_t len);
int clear_user(uaddr_t dst, size_t len);
/* Copy a NUL-terminated string of at most @max bytes (NUL included).
 * Return: its length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, uaddr_t src, size_t max);

/* Same, on an explicit @mm (exec writes the new image's stack). */
int mm_copy_to(struct mm *mm, uaddr_t dst, const void *src, size_t len);
int mm_copy_from(struct mm *mm, void *dst, uaddr_t src, size_t len);
/* Zero [@dst, @dst + @len) of @mm whatever its protection (the ELF loader's bss tail). */
int mm_zero(struct mm *mm, uaddr_t dst, size_t len);

#endif /* SENTRY_MM_H */

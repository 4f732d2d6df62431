// SPDX-License-Identifier: Apache-2.0
/*
 * mmap.c: address spaces and the mapping calls on them: mmap, munmap,
 * mprotect, madvise, explicit population. Argument checks follow Linux's
 * order and errno values (mm/mmap.c, mm/mprotect.c, mm/madvise.c).
 */
#include "sentry/arch/layout.h"

#include "sentry/kmalloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#include "internal.h"

/* MAP_SHARED_VALIDATE refuses flags outside this set (LEGACY_MAP_MASK + NOREPLACE). */
#define MAP_KNOWN	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | \
			 MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | \
			 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
			 MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE)
/* What a VMA remembers of the mmap flags. */
#define MAP_KEPT	(MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_STACK)
/* MAP_32BIT: Linux x86_64 places such mappings in [1 GiB, 2 GiB). */
#define MAP_32BIT_LO	0x40000000UL
#define MAP_32BIT_HI	0x80000000UL
/* madvise advice up to which Linux 5.14+ accepts (abi/linux/mman.h stops at MADV_FREE) */
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#define MADV_REMOVE		9	/* shared mappings only */
#define MADV_DONTNEED_LOCKED	24	/* Linux 5.18+: DONTNEED, locked pages too */
#define MADV_COLLAPSE		25	/* Linux 6.1+: a hint here */

int mm_create(struct mm **out)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	int err;

	if (!mm)
		return -ENOMEM;
	err = plat_as_create(&mm->as);
	if (err) {
		kfree(mm);
		return err;
	}
	mm->users = 1;
	mm->mmap_base = USER_MMAP_BASE;
	mm->stack_top = USER_STACK_TOP;
	*out = mm;
	return 0;
}

void mm_destroy(struct mm *mm)
{
	struct vma *v, *next;

	if (!mm)
		return;
	/* no plat_as_unmap(): the whole platform AS goes */
	for (v = mm->vmas; v; v = next) {
		next = v->next;
		vma_free(v);
	}
	plat_as_destroy(mm->as);
	kfree(mm);
}

/* Where a non-fixed mapping of @len bytes goes: the hint if free, else top-down. */
uaddr_t mm_place(struct mm *mm, uaddr_t hint, size_t len, unsigned int flags)
{
	uaddr_t a;

	if (flags & MAP_32BIT)
		return mm_find_gap(mm, len, MAP_32BIT_LO, MAP_32BIT_HI);
	hint = PAGE_ALIGN(hint);
	if (hint >= USER_VA_START && hint <= USER_VA_END - len &&
	    mm_range_free(mm, hint, hint + len))
		return hint;
	a = mm_find_gap(mm, len, USER_VA_START, mm->mmap_base);
	return a ? a : mm_find_gap(mm, len, mm->mmap_base, USER_VA_END);
}

static long mmap_check(uaddr_t addr, size_t len, unsigned int prot,
		       unsigned int flags, const struct file *f, loff_t off)
{
	unsigned int type = flags & MAP_TYPE;

	if (!len || (prot & ~PROT_RWX))
		return -EINVAL;
	if (len > USER_VA_END)
		return -ENOMEM;
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
		return -EOPNOTSUPP;
	if (!(flags & MAP_ANONYMOUS)) {
		if (!f)
			return -EBADF;
		if (off < 0 || (off & (PAGE_SIZE - 1)))
			return -EINVAL;
		if (PAGE_ALIGN(len) > (uint64_t)INT64_MAX - (uint64_t)off)
			return -EOVERFLOW;
		/* a writable shared mapping writes the file: it must be open for it */
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && !vfs_shareable(f, true))
			return -EACCES;
	}
	if (flags & MAP_HUGETLB)
		return -ENOMEM;	/* as Linux with no huge pages reserved */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!PAGE_ALIGNED(addr))
			return -EINVAL;
		if (addr < USER_VA_START)
			return -EPERM;	/* below mmap_min_addr */
		if (addr > USER_VA_END - PAGE_ALIGN(len))
			return -ENOMEM;
	}
	return 0;
}

long mm_mmap(struct mm *mm, uaddr_t addr, size_t len, unsigned int prot,
	     unsigned int flags, struct file *f, loff_t off)
{
	struct vma *v;
	long err;

	err = mmap_check(addr, len, prot, flags, f, off);
	if (err)
		return err;
	if (flags & MAP_ANONYMOUS) {
		f = NULL;
		off = 0;
	}
	len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED_NOREPLACE) {
		if (!mm_range_free(mm, addr, addr + len))
			return -EEXIST;
	} else if (!(flags & MAP_FIXED)) {
		addr = mm_place(mm, addr, len, flags);
		if (!addr)
			return -ENOMEM;
	}
	/*
	 * MAP_SHARED_VALIDATE is MAP_SHARED. MAP_SHARED anonymous memory is
	 * private memory while there is only one process.
	 */
	if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE)
		flags = (flags & ~MAP_TYPE) | MAP_SHARED;
	v = vma_new(addr, addr + len, prot, flags & MAP_KEPT, f, off);
	if (!v)
		return -ENOMEM;
	err = flags & MAP_FIXED ? mm_remove_range(mm, addr, addr + len) : 0;
	if (err) {
		vma_free(v);
		return err;
	}
	vma_insert(mm, v);
	if (vma_eager(v, vma_npages(v))) {
		err = vma_populate(mm, v, v->start, v->end);
		/* out of memory: the rest is populated on demand (overcommit) */
		if (err && err != -ENOMEM) {
			mm_remove_range(mm, v->start, v->end);
			return err;
		}
	}
	return (long)addr;
}

int mm_map_pinned(struct mm *mm, uaddr_t va, const paddr_t *pages, size_t n,
		  unsigned int prot, unsigned int vma_flags)
{
	uaddr_t end = va + (n << PAGE_SHIFT);
	struct vma *v;
	int err;

	if (!mm_range_free(mm, va, end))
		return -EEXIST;
	v = vma_new(va, end, prot, MAP_PRIVATE | MAP_ANONYMOUS | vma_flags, NULL, 0);
	if (!v)
		return -ENOMEM;
	if (vma_alloc_pages(v)) {
		vma_free(v);
		return -ENOMEM;
	}
	/* pinned: no reference to take, and freeing the VMA frees nothing */
	memcpy(v->pages, pages, n * sizeof(*pages));
	vma_insert(mm, v);
	err = vma_remap(mm, v, va, end);
	if (err)
		mm_remove_range(mm, va, end);
	return err;
}

/* Page-align @len and check [@addr, @addr + @len) against user space. */
static int user_range(uaddr_t addr, size_t *len, int einval_or_enomem)
{
	if (!PAGE_ALIGNED(addr))
		return -EINVAL;
	if (*len > USER_VA_END || addr > USER_VA_END - PAGE_ALIGN(*len))
		return einval_or_enomem;
	*len = PAGE_ALIGN(*len);
	return 0;
}

int mm_munmap(struct mm *mm, uaddr_t addr, size_t len)
{
	int err = user_range(addr, &len, -EINVAL);

	if (err)
		return err;
	if (!len)
		return -EINVAL;
	return mm_remove_range(mm, addr, addr + len);
}

int mm_mprotect(struct mm *mm, uaddr_t addr, size_t len, unsigned int prot)
{
	uaddr_t end;
	struct vma *v;
	int err;

	if (prot & ~(PROT_RWX | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	prot &= PROT_RWX;	/* GROWSDOWN: applied to the given range only */
	err = user_range(addr, &len, -ENOMEM);
	if (err || !len)
		return err;
	end = addr + len;
	if (!mm_range_mapped(mm, addr, end))
		return -ENOMEM;
	for (v = mm_find_vma(mm, addr); v && v->start < end; v = v->next)
		if (v->file && (v->flags & MAP_SHARED) && (prot & PROT_WRITE) &&
		    !vfs_shareable(v->file, true))
			return -EACCES;
	err = mm_split_range(mm, addr, end);
	if (err)
		return err;
	for (v = mm_find_vma(mm, addr); v && v->start < end; v = v->next) {
		if (v->prot == prot)
			continue;
		v->prot = prot;
		err = vma_remap(mm, v, v->start, v->end);
		if (!err && vma_eager(v, vma_npages(v)))
			err = vma_populate(mm, v, v->start, v->end);
		if (err && err != -ENOMEM)
			return err;
	}
	return 0;
}

int mm_populate(struct mm *mm, uaddr_t addr, size_t len)
{
	uaddr_t end = addr + len;
	int err;

	for (struct vma *v = mm_find_vma(mm, addr); v && v->start < end; v = v->next) {
		if (!(v->prot & PROT_RWX))
			continue;
		err = vma_populate(mm, v, MAX(v->start, addr & PAGE_MASK),
				   MIN(v->end, PAGE_ALIGN(end)));
		if (err)
			return err;
	}
	return 0;
}

/* MADV_DONTNEED: the next touch sees zeroes (anonymous) or the file again. */
static int madvise_dontneed(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uaddr_t lo = end, hi = start;

	for (struct vma *v = mm_find_vma(mm, start); v && v->start < end; v = v->next)
		vma_drop_pages(v, MAX(v->start, start), MIN(v->end, end), &lo, &hi);
	return lo < hi ? plat_as_unmap(mm->as, lo, hi - lo) : 0;
}

struct shrunk {
	const struct inode *inode;
	uint64_t size;
};

static void shrink_mm(struct mm *mm, const struct shrunk *s)
{
	uint64_t keep = PAGE_ALIGN(s->size);	/* file bytes whose pages stay */
	uaddr_t lo = UINTPTR_MAX, hi = 0, from;

	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (!(v->flags & MAP_SHARED) || !v->file || vfs_file_inode(v->file) != s->inode ||
		    (uint64_t)v->off + (v->end - v->start) <= keep)
			continue;
		from = (uint64_t)v->off >= keep ? v->start : v->start + (uaddr_t)(keep - v->off);
		vma_drop_pages(v, from, v->end, &lo, &hi);
	}
	if (lo < hi)
		plat_as_unmap(mm->as, lo, hi - lo);
}

/* Each thread's mm: threads share one, so a second pass finds nothing left. */
static void shrink_process(struct process *p, void *arg)
{
	struct list_head *e;

	list_for_each(e, &p->threads) {
		struct task *t = list_entry(e, struct task, thread_node);

		if (t->mm)
			shrink_mm(t->mm, arg);
	}
}

void mm_file_shrunk(const struct inode *inode, uint64_t size)
{
	struct shrunk s = { inode, size };

	task_for_each_process(shrink_process, &s);
}

/* MADV_POPULATE_WRITE: populated and writable now, copy-on-write pages copied. */
static int populate_write(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uaddr_t lo, hi;
	int err;

	for (struct vma *v = mm_find_vma(mm, start); v && v->start < end; v = v->next) {
		if (!(v->prot & PROT_WRITE))
			return -EFAULT;	/* as Linux: the range must be writable */
		lo = MAX(v->start, start);
		hi = MIN(v->end, end);
		err = vma_populate(mm, v, lo, hi);
		if (!err)
			err = vma_unshare(mm, v, lo, hi);
		if (err)
			return err == -ENOMEM ? -ENOMEM : -EFAULT;
	}
	return 0;
}

int mm_madvise(struct mm *mm, uaddr_t addr, size_t len, int advice)
{
	int err = user_range(addr, &len, -EINVAL);

	if (err)
		return err;
	switch (advice) {
	case MADV_NORMAL ... MADV_DONTNEED:
	case MADV_FREE ... MADV_COLLAPSE:
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (!mm_range_mapped(mm, addr, addr + len))
		return -ENOMEM;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed(mm, addr, addr + len);
	case MADV_REMOVE:
		return -EINVAL;	/* every mapping is private here */
	case MADV_WILLNEED:
	case MADV_POPULATE_READ:
		return mm_populate(mm, addr, len) == -ENOMEM ? -ENOMEM : 0;
	case MADV_POPULATE_WRITE:
		return populate_write(mm, addr, addr + len);
	default:
		return 0;	/* MADV_FREE may keep the contents: valid */
	}
}

// SPDX-License-Identifier: Apache-2.0
/*
 * mremap.c: mremap, mincore and msync, and their syscalls. A VMA moves by
 * mapping its physical pages at the new address and unmapping the old one:
 * nothing is copied. Argument checks follow Linux's order and errno values
 * (mm/mremap.c, mm/mincore.c, mm/msync.c).
 */
#include "sentry/arch/layout.h"

#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#include "internal.h"

#define MREMAP_DONTUNMAP	4	/* Linux 5.7+ (not in abi/linux/mman.h) */
#define MS_ASYNC		1
#define MS_INVALIDATE		2
#define MS_SYNC			4

/* Move the whole VMA @v to [@to, @to + its size), a free range. */
static int vma_move(struct mm *mm, struct vma *v, uaddr_t to)
{
	uaddr_t from = v->start, len = v->end - v->start;
	struct vma **pp;
	int err;

	v->start = to;
	v->end = to + len;
	err = vma_remap(mm, v, to, to + len);
	if (err) {
		plat_as_unmap(mm->as, to, len);
		v->start = from;
		v->end = from + len;
		return err;
	}
	for (pp = &mm->vmas; *pp != v; pp = &(*pp)->next)
		;
	*pp = v->next;
	vma_insert(mm, v);
	return v->pages ? plat_as_unmap(mm->as, from, len) : 0;
}

/* Grow @v, followed by free space, to end at @end; populate as mmap would. */
static int vma_grow(struct mm *mm, struct vma *v, uaddr_t end)
{
	uaddr_t old_end = v->end;
	int err;

	err = vma_extend(v, end);
	if (err)
		return err;
	/* best effort, as mmap: what memory cannot back now faults in later */
	if (vma_eager(v, (end - old_end) >> PAGE_SHIFT))
		vma_populate(mm, v, old_end, end);
	return 0;
}

/* mremap(2) with MREMAP_FIXED: [@addr, +@old_len) is one whole VMA @v. */
static long mremap_to(struct mm *mm, struct vma *v, size_t new_len,
		      uaddr_t new_addr)
{
	uaddr_t addr = v->start;
	int err;

	err = mm_remove_range(mm, new_addr, new_addr + new_len);
	if (!err && v->end - v->start > new_len)
		err = mm_remove_range(mm, addr + new_len, v->end);
	if (!err)
		err = vma_move(mm, v, new_addr);
	if (!err && v->end < new_addr + new_len)
		err = vma_grow(mm, v, new_addr + new_len);
	return err ? err : (long)new_addr;
}

long mm_mremap(struct mm *mm, uaddr_t addr, size_t old_len, size_t new_len,
	       unsigned int flags, uaddr_t new_addr)
{
	struct vma *v;
	uaddr_t to;
	int err;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;	/* not supported: glibc never asks for it */
	if (!PAGE_ALIGNED(addr))
		return -EINVAL;
	if (old_len > USER_VA_END || new_len > USER_VA_END)
		return flags & MREMAP_FIXED ? -EINVAL : -ENOMEM;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if (!PAGE_ALIGNED(new_addr) || new_addr > USER_VA_END - new_len)
			return -EINVAL;
		if (new_addr < USER_VA_START)
			return -EPERM;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;	/* the ranges overlap */
	}

	/* the old range must lie inside one mapping */
	v = mm_find_vma(mm, addr);
	if (!v || old_len > v->end - addr)
		return -EFAULT;
	if (!old_len)
		return -EINVAL;	/* duplicating a shared mapping: no sharing here */
	err = mm_split_range(mm, addr, addr + old_len);
	if (err)
		return err;
	v = mm_find_vma(mm, addr);

	if (flags & MREMAP_FIXED)
		return mremap_to(mm, v, new_len, new_addr);
	if (new_len <= old_len) {
		err = new_len < old_len ? mm_remove_range(mm, addr + new_len, addr + old_len) : 0;
		return err ? err : (long)addr;
	}
	/* grow in place when the space after it is free */
	if (addr + new_len <= USER_VA_END && mm_range_free(mm, addr + old_len, addr + new_len)) {
		err = vma_grow(mm, v, addr + new_len);
		return err ? err : (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	to = mm_place(mm, 0, new_len, 0);
	if (!to)
		return -ENOMEM;
	err = vma_move(mm, v, to);
	if (!err)
		err = vma_grow(mm, v, to + new_len);
	return err ? err : (long)to;
}

int mm_mincore(struct mm *mm, uaddr_t addr, size_t len, uaddr_t vec)
{
	unsigned char buf[256];
	uaddr_t end;
	size_t n;
	int err;

	if (!PAGE_ALIGNED(addr))
		return -EINVAL;
	if (len > USER_VA_END || addr > USER_VA_END - PAGE_ALIGN(len))
		return -ENOMEM;
	end = addr + PAGE_ALIGN(len);
	while (addr < end) {
		for (n = 0; n < sizeof(buf) && addr < end; n++, addr += PAGE_SIZE) {
			struct vma *v = mm_find_vma(mm, addr);

			if (!v)
				return -ENOMEM;
			buf[n] = vma_page(v, addr) ? 1 : 0;
		}
		err = copy_to_user(vec, buf, n);
		if (err)
			return err;
		vec += n;
	}
	return 0;
}

int mm_msync(struct mm *mm, uaddr_t addr, size_t len, int flags)
{
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!PAGE_ALIGNED(addr))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (len > USER_VA_END || addr > USER_VA_END - PAGE_ALIGN(len))
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (!len)
		return 0;
	/* every mapping is private memory (the image is read-only): nothing to write back */
	return mm_range_mapped(mm, addr, addr + len) ? 0 : -ENOMEM;
}

/* mremap(2) */
long sys_mremap(struct task *t, const struct syscall_args *a)
{
	return mm_mremap(t->mm, arg_uaddr(a, 0), arg_size(a, 1), arg_size(a, 2),
			 arg_uint(a, 3), arg_uaddr(a, 4));
}

/* mincore(2) */
long sys_mincore(struct task *t, const struct syscall_args *a)
{
	return mm_mincore(t->mm, arg_uaddr(a, 0), arg_size(a, 1), arg_uaddr(a, 2));
}

/* msync(2) */
long sys_msync(struct task *t, const struct syscall_args *a)
{
	return mm_msync(t->mm, arg_uaddr(a, 0), arg_size(a, 1), arg_int(a, 2));
}

// SPDX-License-Identifier: Apache-2.0
/*
 * populate.c: the physical pages behind VMAs. Holes are filled with
 * physically contiguous runs, each mapped with one plat_as_map() (under
 * ptrace every call is a host mmap injected into the app). Private file
 * pages are the file system's shared copy where it keeps one (image
 * files: vfs_map_private), else copies of the file (pages past EOF stay
 * zero). A private page shared with another process since a fork, or with
 * such a copy, is mapped read-only until vma_unshare() gives this one its
 * own copy.
 */
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"

#include "internal.h"

bool vma_eager(const struct vma *v, size_t npages)
{
	size_t used, total;

	if (v->flags & MAP_POPULATE)
		return true;
	if (!(v->prot & PROT_RWX) || (v->flags & (MAP_NORESERVE | MAP_GROWSDOWN)))
		return false;
	if (vma_file_shared(v))
		return false;	/* its pages are the file's: map those touched */
	page_alloc_stats(&used, &total);
	return npages <= MM_EAGER_MAX_PAGES && npages <= (total - used) / 2;
}

/* Copy @v's file into the run at @pa that backs @npages pages from index @i. */
static int fill_from_file(struct vma *v, size_t i, paddr_t pa, size_t npages)
{
	char *buf = plat_phys_to_virt(pa);
	size_t len = npages << PAGE_SHIFT, done = 0;
	loff_t off = v->off + (loff_t)(i << PAGE_SHIFT);
	ssize_t n;

	while (done < len) {
		n = vfs_kread(v->file, buf + done, len - done, off + (loff_t)done);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;	/* EOF: the rest of the run stays zero */
		done += (size_t)n;
	}
	return 0;
}

/* Back pages [@i, @j) of the shared file mapping @v with the file's pages. */
static int populate_shared(struct mm *mm, struct vma *v, size_t i, size_t j)
{
	size_t k;
	int err = 0, merr;

	for (k = i; k < j; k++) {
		err = vfs_map_page(v->file, v->off + (loff_t)(k << PAGE_SHIFT), &v->pages[k]);
		if (err)
			break;	/* past EOF, or no memory: map what there is */
	}
	if (k > i) {
		merr = vma_remap(mm, v, v->start + (i << PAGE_SHIFT), v->start + (k << PAGE_SHIFT));
		err = err ? err : merr;
	}
	return err;
}

/* Back pages [@i, @j) of @v, all unpopulated, with new runs. */
static int populate_hole(struct mm *mm, struct vma *v, size_t i, size_t j)
{
	size_t got, k;
	paddr_t pa;
	int err;

	while (i < j) {
		pa = page_alloc_run(j - i, &got);
		if (!pa)
			return -ENOMEM;
		err = v->file ? fill_from_file(v, i, pa, got) : 0;
		if (!err)
			err = plat_as_map(mm->as, v->start + (i << PAGE_SHIFT), pa,
					  got << PAGE_SHIFT, v->prot & PROT_RWX);
		if (err) {
			page_free_run(pa, got);
			return err;
		}
		for (k = 0; k < got; k++)
			v->pages[i + k] = pa + (k << PAGE_SHIFT);
		i += got;
	}
	return 0;
}

/* Back pages [@i, @j) of the private file mapping @v: shared copies, or new runs. */
static int populate_private_file(struct mm *mm, struct vma *v, size_t i, size_t j)
{
	size_t k;
	paddr_t pa;
	int err = 0;

	for (k = i; k < j; k++) {
		if (vfs_map_private(v->file, v->off + (loff_t)(k << PAGE_SHIFT), &pa))
			break;	/* none (or past EOF): the rest are copies */
		v->pages[k] = pa;
	}
	if (k > i)
		err = vma_remap(mm, v, v->start + (i << PAGE_SHIFT), v->start + (k << PAGE_SHIFT));
	return err || k == j ? err : populate_hole(mm, v, k, j);
}

int vma_populate(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end)
{
	size_t i = vma_index(v, start), n = vma_index(v, end), j;
	int err;

	err = vma_alloc_pages(v);
	if (err)
		return err;
	while (i < n) {
		if (v->pages[i]) {
			i++;
			continue;
		}
		for (j = i; j < n && !v->pages[j]; j++)
			;
		if (vma_file_shared(v))
			err = populate_shared(mm, v, i, j);
		else if (v->file)
			err = populate_private_file(mm, v, i, j);
		else
			err = populate_hole(mm, v, i, j);
		if (err)
			return err;
		i = j;
	}
	return 0;
}

/*
 * Is page @i of @v mapped without PROT_WRITE for now? A private page that
 * another process still shares since a fork is copied on its first write.
 */
static bool page_cow(const struct vma *v, size_t i)
{
	return vma_private(v) && (v->prot & PROT_WRITE) && page_shared(v->pages[i]);
}

/*
 * The next run of populated pages from index *@i below @n, contiguous both
 * virtually and physically: [*@i, *@j). Return: false when there is none.
 */
static bool next_run(const struct vma *v, size_t *i, size_t n, size_t *j)
{
	while (*i < n && !v->pages[*i])
		(*i)++;
	if (*i >= n)
		return false;
	*j = *i + 1;
	while (*j < n && v->pages[*j] == v->pages[*j - 1] + PAGE_SIZE)
		(*j)++;
	return true;
}

/* Like next_run(), and the pages of the run are all copy-on-write or none. */
static bool next_map_run(const struct vma *v, size_t *i, size_t n, size_t *j,
			 unsigned int *prot)
{
	bool cow;

	if (!next_run(v, i, n, j))
		return false;
	cow = page_cow(v, *i);
	for (size_t k = *i + 1; k < *j; k++) {
		if (page_cow(v, k) != cow) {
			*j = k;
			break;
		}
	}
	*prot = v->prot & PROT_RWX;
	if (cow)
		*prot &= ~(unsigned int)PROT_WRITE;
	return true;
}

int vma_remap(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end)
{
	return vma_remap_hint(mm, v, start, end, 0);
}

int vma_remap_hint(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end,
		   unsigned int hint)
{
	size_t i = vma_index(v, start), n = vma_index(v, end), j;
	unsigned int prot;
	int err;

	if (!v->pages)
		return 0;
	for (; next_map_run(v, &i, n, &j, &prot); i = j) {
		err = plat_as_map(mm->as, v->start + (i << PAGE_SHIFT), v->pages[i],
				  (j - i) << PAGE_SHIFT, prot | hint);
		if (err)
			return err;
	}
	return 0;
}

int vma_unshare(struct mm *mm, struct vma *v, uaddr_t start, uaddr_t end)
{
	size_t i = vma_index(v, start), n = vma_index(v, end), j, got, k;
	bool copied = false;
	paddr_t pa;

	if (!v->pages || !vma_private(v))
		return 0;
	while (i < n) {
		if (!v->pages[i] || !page_shared(v->pages[i])) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && v->pages[j] && page_shared(v->pages[j]); j++)
			;
		pa = page_alloc_run_uninit(j - i, &got);
		if (!pa)
			return -ENOMEM;
		for (k = 0; k < got; k++, i++) {
			memcpy(plat_phys_to_virt(pa + (k << PAGE_SHIFT)),
			       plat_phys_to_virt(v->pages[i]), PAGE_SIZE);
			page_free(v->pages[i]);	/* one sharer less */
			v->pages[i] = pa + (k << PAGE_SHIFT);
		}
		copied = true;
	}
	return copied ? vma_remap(mm, v, start, end) : 0;
}

void vma_drop_pages(struct vma *v, uaddr_t start, uaddr_t end, uaddr_t *lo,
		    uaddr_t *hi)
{
	size_t i = vma_index(v, start), n = vma_index(v, end), j;

	if (!v->pages)
		return;
	for (; next_run(v, &i, n, &j); i = j) {
		page_free_run(v->pages[i], j - i);
		for (size_t k = i; k < j; k++)
			v->pages[k] = 0;
		*lo = MIN(*lo, v->start + (i << PAGE_SHIFT));
		*hi = MAX(*hi, v->start + (j << PAGE_SHIFT));
	}
}

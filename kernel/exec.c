// SPDX-License-Identifier: Apache-2.0
/*
 * exec.c: load a static ELF executable into a fresh address space and make
 * it the task's program. Segments are private file mappings (copies of the
 * file, populated at once) plus anonymous bss, as Linux's load_elf_binary()
 * maps them; the stack is exec_stack.c's.
 */
#define pr_fmt(fmt) "exec: " fmt

/* First: sentry/types.h defines __unused, a field name in struct linux_stat. */
#include "abi/linux/stat.h"

#include "sentry/arch.h"
#include "sentry/elf.h"
#include "sentry/err.h"
#include "sentry/exec.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/mman.h"

/* Read and validate the ELF header and program headers (*@ph: kmalloc'd). */
static int read_elf(struct file *f, struct elf_image *img, struct elf64_phdr **ph)
{
	struct linux_stat st;
	struct elf64_ehdr eh;
	size_t size;
	ssize_t n;
	int err;

	err = vfs_fstat(f, &st);
	if (err)
		return err;
	n = vfs_kread(f, &eh, sizeof(eh), 0);
	if (n < 0)
		return (int)n;
	err = elf_parse_header(&eh, (size_t)n, (uint64_t)st.st_size, img);
	if (err)
		return err;
	size = img->phnum * sizeof(**ph);
	*ph = kmalloc(size);
	if (!*ph)
		return -ENOMEM;
	n = vfs_kread(f, *ph, size, (loff_t)img->phoff);
	if (n < 0)
		return (int)n;
	if ((size_t)n != size)
		return -ENOEXEC;	/* the file shrank under us */
	return elf_parse_phdrs(*ph, (uint64_t)st.st_size, img);
}

/* Map one PT_LOAD: file pages, a zeroed tail after p_filesz, anonymous bss. */
static int map_segment(struct mm *mm, struct file *f, const struct elf64_phdr *p,
		       uaddr_t bias)
{
	uaddr_t va = p->p_vaddr + bias, page = va & PAGE_MASK;
	uaddr_t file_end = va + p->p_filesz, map_end = page;
	uaddr_t mem_end = PAGE_ALIGN(va + p->p_memsz);
	unsigned int prot = elf_prot(p->p_flags);
	long ret;
	int err;

	if (p->p_filesz) {
		map_end = PAGE_ALIGN(file_end);
		ret = mm_mmap(mm, page, map_end - page, prot, MAP_PRIVATE | MAP_FIXED,
			      f, (loff_t)(p->p_offset & PAGE_MASK));
		if (ret < 0)
			return (int)ret;
		/* the file goes on after p_filesz; the segment's bss must read zero */
		if (p->p_memsz > p->p_filesz && file_end < map_end) {
			err = mm_zero(mm, file_end, map_end - file_end);
			if (err)
				return err;
		}
	}
	if (mem_end > map_end) {
		ret = mm_mmap(mm, map_end, mem_end - map_end, prot,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (ret < 0)
			return (int)ret;
	}
	return 0;
}

static int map_image(struct mm *mm, struct file *f, const struct elf_image *img,
		     const struct elf64_phdr *ph)
{
	int err;

	for (size_t i = 0; i < img->phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		err = map_segment(mm, f, &ph[i], img->bias);
		if (err)
			return err;
	}
	mm->brk_start = mm->brk = img->end;
	return 0;
}

/* Build the complete new mm for @f; *@out and *@sp on success. */
static int build_mm(struct task *t, struct file *f, const char *path,
		    char *const argv[], char *const envp[], struct mm **out,
		    struct elf_image *img, uaddr_t *sp)
{
	struct exec_stack_args sa = {
		.argv = argv, .envp = envp, .execfn = path, .img = img,
		.uid = t->uid, .euid = t->euid, .gid = t->gid, .egid = t->egid,
	};
	struct elf64_phdr *ph = NULL;
	struct mm *mm = NULL;
	int err;

	err = read_elf(f, img, &ph);
	if (err)
		goto out;
	if (img->interp) {
		pr_warn("%s: dynamic executables need PT_INTERP support (not yet): use a static build", path);
		err = -ENOEXEC;
		goto out;
	}
	err = mm_create(&mm);
	if (err)
		goto out;
	err = map_image(mm, f, img, ph);
	if (!err)
		err = exec_stack_build(mm, &sa, sp);
	if (err) {
		mm_destroy(mm);
		goto out;
	}
	*out = mm;
out:
	kfree(ph);
	return err;
}

static void set_comm(struct task *t, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	memset(t->comm, 0, sizeof(t->comm));
	memcpy(t->comm, base, MIN(strlen(base), sizeof(t->comm) - 1));
}

int exec_load(struct task *t, const char *path, char *const argv[],
	      char *const envp[])
{
	struct elf_image img;
	struct mm *mm, *old;
	char *exe_path;
	struct file *f;
	uaddr_t sp;
	int err;

	f = vfs_open(t, AT_FDCWD, path, O_RDONLY, 0);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = -EACCES;
	if (!vfs_is_executable(f))
		goto out_put;
	err = -ENOMEM;
	exe_path = vfs_file_path(f);
	if (!exe_path)
		exe_path = kstrdup(path);
	if (!exe_path)
		goto out_put;
	err = build_mm(t, f, path, argv, envp, &mm, &img, &sp);
	if (err) {
		kfree(exe_path);
		goto out_put;
	}

	/* the point of no return: nothing below fails */
	old = t->mm;
	t->mm = mm;
	plat_as_activate(mm->as);
	mm_destroy(old);
	arch_init_user_regs(&t->regs, img.entry, sp);
	kfree(t->exe_path);
	t->exe_path = exe_path;
	set_comm(t, path);
out_put:
	file_put(f);
	return err;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * exec.c: load an ELF executable, and the dynamic linker its PT_INTERP
 * names, into a fresh address space and make it the task's program; "#!"
 * scripts run their interpreter. Segments are private file mappings (copies
 * of the file, populated at once) plus anonymous bss, as Linux's
 * load_elf_binary() maps them; the stack is exec_stack.c's.
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
#include "sentry/vdso.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/mman.h"

#include "futex.h"

/* Read the ELF header and program headers (*@ph: kmalloc'd); *@size: file size. */
static int read_headers(struct file *f, struct elf_image *img,
			struct elf64_phdr **ph, uint64_t *size)
{
	struct linux_stat st;
	struct elf64_ehdr eh;
	size_t len;
	ssize_t n;
	int err;

	err = vfs_fstat(f, &st);
	if (err)
		return err;
	*size = (uint64_t)st.st_size;
	n = vfs_kread(f, &eh, sizeof(eh), 0);
	if (n < 0)
		return (int)n;
	err = elf_parse_header(&eh, (size_t)n, *size, img);
	if (err)
		return err;
	len = img->phnum * sizeof(**ph);
	*ph = kmalloc(len);
	if (!*ph)
		return -ENOMEM;
	n = vfs_kread(f, *ph, len, (loff_t)img->phoff);
	if (n < 0)
		return (int)n;
	if ((size_t)n != len)
		return -ENOEXEC;	/* the file shrank under us */
	return 0;
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
	return 0;
}

/* The PT_INTERP path of @f (kmalloc'd in *@out), checked. */
static int read_interp_path(struct file *f, const struct elf_image *img,
			    char **out)
{
	char *buf = kmalloc(img->interp_len);
	ssize_t n;
	int err;

	if (!buf)
		return -ENOMEM;
	n = vfs_kread(f, buf, img->interp_len, (loff_t)img->interp_off);
	err = n < 0 ? (int)n : (size_t)n != img->interp_len ? -ENOEXEC : 0;
	if (!err)
		err = elf_check_interp(buf, img->interp_len);
	if (err) {
		kfree(buf);
		return err;
	}
	*out = buf;
	return 0;
}

/* Open an interpreter (ELF or "#!") of @prog; a missing one is said clearly. */
static struct file *open_interp(struct task *t, const char *prog, const char *path)
{
	struct file *f = vfs_open(t, AT_FDCWD, path, O_RDONLY, 0);

	if (IS_ERR(f)) {
		if (PTR_ERR(f) == -ENOENT || PTR_ERR(f) == -ENOTDIR)
			pr_err("%s: interpreter %s not found in the image", prog, path);
		else
			pr_err("%s: interpreter %s: error %ld", prog, path, PTR_ERR(f));
		return f;
	}
	if (!vfs_is_executable(f)) {
		pr_err("%s: interpreter %s is not an executable file", prog, path);
		file_put(f);
		return ERR_PTR(-EACCES);
	}
	return f;
}

/*
 * Load the dynamic linker named by @img's PT_INTERP into @mm, top-down in
 * the mmap area as Linux places it: *@base its bias, *@entry its entry.
 */
static int load_interp(struct task *t, struct mm *mm, struct file *exe,
		       const struct elf_image *img, const char *prog,
		       uaddr_t *base, uaddr_t *entry)
{
	struct elf64_phdr *ph = NULL;
	struct elf_image li;
	char *path = NULL;
	struct file *f;
	uint64_t size, span;
	long addr;
	int err;

	err = read_interp_path(exe, img, &path);
	if (err)
		return err;
	f = open_interp(t, prog, path);
	if (IS_ERR(f)) {
		kfree(path);
		return (int)PTR_ERR(f);
	}
	err = read_headers(f, &li, &ph, &size);
	if (!err && li.type != ET_DYN)
		err = -ENOEXEC;
	span = err ? 0 : elf_load_size(ph, li.phnum);
	if (!err && !span)
		err = -ENOEXEC;
	if (err)
		goto out;
	/* a reservation of the whole span, the segments then over it */
	addr = mm_mmap(mm, 0, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       NULL, 0);
	if (addr < 0) {
		err = addr == -ENOMEM ? -ENOMEM : -ENOEXEC;
		goto out;
	}
	err = elf_parse_phdrs_at(ph, size, &li, (uaddr_t)addr);
	if (!err)
		err = map_image(mm, f, &li, ph);
	if (!err) {
		*base = li.bias;
		*entry = li.entry;
	}
out:
	if (err == -ENOEXEC)
		pr_err("%s: interpreter %s is not a valid x86_64 dynamic linker", prog, path);
	kfree(ph);
	kfree(path);
	file_put(f);
	return err;
}

/* Build the complete new mm for @f; *@out, *@entry and *@sp on success. */
static int build_mm(struct task *t, struct file *f, const char *execfn,
		    char *const argv[], char *const envp[], struct mm **out,
		    uaddr_t *entry, uaddr_t *sp)
{
	struct elf_image img;
	struct exec_stack_args sa = {
		.argv = argv, .envp = envp, .execfn = execfn, .img = &img,
		.uid = t->uid, .euid = t->euid, .gid = t->gid, .egid = t->egid,
	};
	struct elf64_phdr *ph = NULL;
	struct mm *mm = NULL;
	uint64_t size;
	int err;

	err = read_headers(f, &img, &ph, &size);
	if (!err)
		err = elf_parse_phdrs(ph, size, &img);
	if (!err)
		err = mm_create(&mm);
	if (err)
		goto out;
	err = map_image(mm, f, &img, ph);
	mm->brk_start = mm->brk = img.end;
	*entry = img.entry;
	if (!err && img.interp)
		err = load_interp(t, mm, f, &img, execfn, &sa.interp_base, entry);
	if (!err)
		err = vdso_map(mm, &sa.sysinfo_ehdr);
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

/* Load the ELF program @f; @execfn: the path given to exec. */
static int exec_elf(struct task *t, struct file *f, const char *execfn,
		    char *const argv[], char *const envp[])
{
	struct mm *mm, *old;
	uaddr_t entry, sp;
	char *exe_path;
	int err;

	exe_path = vfs_file_path(f);
	if (!exe_path)
		exe_path = kstrdup(execfn);
	if (!exe_path)
		return -ENOMEM;
	err = build_mm(t, f, execfn, argv, envp, &mm, &entry, &sp);
	if (err) {
		kfree(exe_path);
		return err;
	}

	/* the point of no return: nothing below fails */
	futex_exit_robust(t);	/* as Linux: the old program's locks die with it */
	old = t->mm;
	t->mm = mm;
	plat_as_activate(mm->as);
	mm_put(old);
	arch_init_user_regs(&t->regs, entry, sp);
	kfree(t->exe_path);
	t->exe_path = exe_path;
	set_comm(t, execfn);
	return 0;
}

static int exec_file(struct task *t, struct file *f, const char *path,
		     const char *execfn, char *const argv[], char *const envp[],
		     int depth);

/* [@interp, @arg (if any), @path, @argv[1] ...]: kmalloc'd, strings shared. */
static char **script_argv(const char *interp, const char *arg, const char *path,
			  char *const argv[])
{
	size_t n = 0, k = 0;
	char **v;

	while (argv && argv[n])
		n++;
	v = kmalloc((n + 4) * sizeof(*v));
	if (!v)
		return NULL;
	v[k++] = (char *)interp;
	if (arg)
		v[k++] = (char *)arg;
	v[k++] = (char *)path;
	for (size_t i = 1; i < n; i++)
		v[k++] = argv[i];
	v[k] = NULL;
	return v;
}

/* Run the "#!" script @path (its first @len bytes in @buf) through its interpreter. */
static int exec_script(struct task *t, char *buf, size_t len, const char *path,
		       const char *execfn, char *const argv[],
		       char *const envp[], int depth)
{
	const char *interp, *arg;
	struct file *f;
	char **nargv;
	int err;

	err = exec_parse_shebang(buf, len, &interp, &arg);
	if (err)
		return err;
	if (depth >= EXEC_MAX_NESTING) {
		pr_err("%s: scripts nested more than %d deep", execfn, EXEC_MAX_NESTING);
		return -ELOOP;
	}
	nargv = script_argv(interp, arg, path, argv);
	if (!nargv)
		return -ENOMEM;
	f = open_interp(t, path, interp);
	if (IS_ERR(f)) {
		kfree(nargv);
		return (int)PTR_ERR(f);
	}
	err = exec_file(t, f, interp, execfn, nargv, envp, depth + 1);
	file_put(f);
	kfree(nargv);
	return err;
}

/* Exec the opened executable @f (found at @path): a script or an ELF program. */
static int exec_file(struct task *t, struct file *f, const char *path,
		     const char *execfn, char *const argv[], char *const envp[],
		     int depth)
{
	char *buf;
	ssize_t n;
	int err;

	buf = kmalloc(EXEC_SHEBANG_MAX + 1);
	if (!buf)
		return -ENOMEM;
	n = vfs_kread(f, buf, EXEC_SHEBANG_MAX, 0);
	if (n < 0)
		err = (int)n;
	else if (n >= 2 && buf[0] == '#' && buf[1] == '!')
		err = exec_script(t, buf, (size_t)n, path, execfn, argv, envp, depth);
	else
		err = exec_elf(t, f, execfn, argv, envp);
	kfree(buf);
	return err;
}

int exec_load_at(struct task *t, struct file *dirf, int dirfd, const char *path,
		 int flags, char *const argv[], char *const envp[])
{
	char *name = NULL;
	struct file *f;
	int err;

	if (!*path) {	/* AT_EMPTY_PATH: @dirf is the program */
		f = file_get(dirf);
	} else {
		f = vfs_open(t, dirfd, path,
			     O_RDONLY | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0);
		if (IS_ERR(f))
			return (int)PTR_ERR(f);
	}
	/* Linux's names for a program found through a directory fd (AT_EXECFN) */
	if (!*path || (path[0] != '/' && dirfd != AT_FDCWD)) {
		name = kmalloc(LINUX_PATH_MAX);
		err = -ENOMEM;
		if (!name)
			goto out;
		err = -ENAMETOOLONG;
		if (*path && ksnprintf(name, LINUX_PATH_MAX, "/dev/fd/%d/%s", dirfd, path) >=
			     LINUX_PATH_MAX)
			goto out;
		if (!*path)
			ksnprintf(name, LINUX_PATH_MAX, "/dev/fd/%d", dirfd);
		path = name;
	}
	err = vfs_is_executable(f) ? exec_file(t, f, path, path, argv, envp, 0) : -EACCES;
out:
	kfree(name);
	file_put(f);
	return err;
}

int exec_load(struct task *t, const char *path, char *const argv[],
	      char *const envp[])
{
	return exec_load_at(t, NULL, AT_FDCWD, path, 0, argv, envp);
}

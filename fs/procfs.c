// SPDX-License-Identifier: Apache-2.0
/*
 * procfs.c: a minimal /proc in the root tmpfs (like /dev): self -> the
 * pid, the process directory 1/ (exe, cwd, cmdline, status, maps, fd/),
 * meminfo, cpuinfo, mounts and uptime. The sandbox has one process, PID 1
 * (kernel/task.c), so 1/ is the only process directory and describes
 * task_current(). Files are read-only text generated on open into a
 * kmalloc'd buffer that later reads copy from; symlinks are resolved when
 * followed. Every node carries I_RDONLY: changes are -EROFS. fd/ is listed
 * and looked up from the fd table; its entries' dentries are made on first
 * lookup and kept (as a filesystem keeps its dentries) until the next
 * procfs_populate. Opening fd/N follows the link like any symlink: the
 * magic reopen of pipes and anonymous files is not there.
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"
#include "abi/linux/stat.h"
#include "abi/linux/time.h"

#include "tmpfs/tmpfs.h"
#include "vfs_internal.h"

#define PROC_PID	"1"
#define PROC_BUF_MAX	(1U << 20)	/* largest generated file */
#define LINK_MAX	4096

struct pbuf {
	char *buf;
	size_t len, cap;
};

static __printf(2, 3) void pb_printf(struct pbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (b->len < b->cap)
		n = kvsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	else
		n = kvsnprintf(b->buf, 0, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;	/* past cap: the caller retries with more room */
}

static void gen_meminfo(struct task *t, struct pbuf *b)
{
	size_t used, total;

	page_alloc_stats(&used, &total);
	pb_printf(b, "MemTotal:       %8zu kB\nMemFree:        %8zu kB\n"
		  "MemAvailable:   %8zu kB\n", total * 4, (total - used) * 4,
		  (total - used) * 4);
}

static void gen_cpuinfo(struct task *t, struct pbuf *b)
{
	pb_printf(b, "processor\t: 0\nvendor_id\t: SentryVM\nmodel name\t: sentry vCPU\n"
		  "cpu cores\t: 1\nflags\t\t: fpu sse sse2\n\n");
}

static void gen_mounts(struct task *t, struct pbuf *b)
{
	struct dentry *root = vfs_root();
	bool ro = root && (root->inode->flags & I_RDONLY);

	pb_printf(b, "rootfs / tmpfs %s 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
		  "tmpfs /dev tmpfs rw 0 0\nproc /proc proc ro 0 0\n", ro ? "ro" : "rw");
}

static void gen_uptime(struct task *t, struct pbuf *b)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	pb_printf(b, "%lld.%02lld 0.00\n", (long long)(ns / NSEC_PER_SEC),
		  (long long)(ns % NSEC_PER_SEC / 10000000));
}

/* The argument strings, each with its NUL, as the app's stack holds them. */
static void gen_cmdline(struct task *t, struct pbuf *b)
{
	struct mm *mm = t->mm;
	size_t n;

	if (!mm || mm->arg_end <= mm->arg_start)
		return;
	n = mm->arg_end - mm->arg_start;
	if (b->len + n >= b->cap) {
		b->len += n;
		return;
	}
	if (!mm_copy_from(mm, b->buf + b->len, mm->arg_start, n))
		b->len += n;
}

static void gen_status(struct task *t, struct pbuf *b)
{
	uint64_t size = 0;

	for (struct vma *v = t->mm ? t->mm->vmas : NULL; v; v = v->next)
		size += v->end - v->start;
	pb_printf(b, "Name:\t%s\nState:\tR (running)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		  "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nThreads:\t1\n"
		  "VmSize:\t%8llu kB\n", t->comm, t->tgid, t->tid,
		  t->proc && t->proc->parent ? t->proc->parent->pid : 0,
		  t->uid, t->euid, t->euid, t->euid, t->gid, t->egid, t->egid, t->egid,
		  (unsigned long long)(size >> 10));
}

static void gen_maps(struct task *t, struct pbuf *b)
{
	char path[LINK_MAX];

	for (struct vma *v = t->mm ? t->mm->vmas : NULL; v; v = v->next) {
		struct file *f = v->file;
		const char *name = "";

		if (f && f->dentry && t->fs)
			name = dentry_path(t->fs->root, f->dentry, path, sizeof(path));
		else if (t->mm->stack_top > v->start && t->mm->stack_top <= v->end)
			name = "[stack]";
		pb_printf(b, "%08llx-%08llx %c%c%c%c %08llx 00:00 %llu %s%s\n",
			  (unsigned long long)v->start, (unsigned long long)v->end,
			  v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
			  v->prot & PROT_EXEC ? 'x' : '-', v->flags & MAP_SHARED ? 's' : 'p',
			  (unsigned long long)(f ? v->off : 0),
			  (unsigned long long)(f && f->inode ? f->inode->ino : 0),
			  name && *name ? "    " : "", name ? name : "");
	}
}

typedef void (*proc_gen_t)(struct task *t, struct pbuf *b);

static ssize_t proc_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pbuf *pb = f->priv;
	size_t n;

	if (*pos >= (loff_t)pb->len)
		return 0;
	n = MIN(b->count, pb->len - (size_t)*pos);
	if (copy_to_iobuf(b, pb->buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static loff_t proc_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, (loff_t)((struct pbuf *)f->priv)->len);
}

static void proc_release(struct file *f)
{
	struct pbuf *pb = f->priv;

	if (pb)
		kfree(pb->buf);
	kfree(pb);
}

static const struct file_ops proc_file_fops = {
	.read = proc_read, .llseek = proc_llseek, .release = proc_release,
};

static const struct {
	const char *name;	/* under /proc; "1/x" in the process directory */
	proc_gen_t gen;
} gens[] = {
	{ "meminfo", gen_meminfo }, { "cpuinfo", gen_cpuinfo },
	{ "mounts", gen_mounts }, { "uptime", gen_uptime },
	{ "cmdline", gen_cmdline }, { "status", gen_status }, { "maps", gen_maps },
};

/* The inode of each generated file, to find its generator at open. */
static const struct inode *gen_inodes[ARRAY_SIZE(gens)];

static int proc_open(struct inode *inode, struct file *f)
{
	struct pbuf *pb = kzalloc(sizeof(*pb));
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gens) && gen_inodes[i] != inode; i++)
		;
	if (!pb || i == ARRAY_SIZE(gens)) {
		kfree(pb);
		return -ENOMEM;
	}
	for (pb->cap = 4096; pb->cap <= PROC_BUF_MAX; pb->cap *= 2) {
		pb->buf = kmalloc(pb->cap);
		if (!pb->buf)
			break;
		pb->len = 0;
		gens[i].gen(task_current(), pb);
		if (pb->len < pb->cap)
			break;
		kfree(pb->buf);
		pb->buf = NULL;
	}
	if (!pb->buf) {
		kfree(pb);
		return -ENOMEM;
	}
	f->priv = pb;
	return 0;
}

static const struct inode_ops proc_file_iops = { .open = proc_open };

/* Symlinks: the target is made when followed, into a buffer of each kind. */
static const char *link_done(char *buf, size_t *len)
{
	*len = strlen(buf);
	return buf;
}

static const char *self_link(struct inode *inode, size_t *len)
{
	static char buf[16];

	ksnprintf(buf, sizeof(buf), "%d", task_current()->tgid);
	return link_done(buf, len);
}

static const char *exe_link(struct inode *inode, size_t *len)
{
	const char *p = task_current()->exe_path;

	*len = p ? strlen(p) : 0;
	return p ? p : "";
}

static const char *cwd_link(struct inode *inode, size_t *len)
{
	static char buf[LINK_MAX];
	struct fs_context *fs = task_current()->fs;
	const char *p = fs ? dentry_path(fs->root, fs->cwd, buf, sizeof(buf)) : NULL;

	*len = p ? strlen(p) : 0;
	return p ? p : "";
}

static const struct inode_ops self_iops = { .get_link = self_link };
static const struct inode_ops exe_iops = { .get_link = exe_link };
static const struct inode_ops cwd_iops = { .get_link = cwd_link };

/* fd/N */
struct proc_fd {
	struct dentry d;
	struct inode i;
	int fd;
	char name[12];
	char target[LINK_MAX];
};

static struct proc_fd *fd_ents[FDTABLE_DEFAULT_MAX];

/* A file's path, or what Linux shows for one outside the tree. */
static const char *fd_link(struct inode *inode, size_t *len)
{
	struct proc_fd *e = container_of(inode, struct proc_fd, i);
	struct task *t = task_current();
	struct file *f = fd_get(t->files, e->fd);
	struct linux_stat st = { 0 };
	const char *p = NULL;

	e->target[0] = '\0';
	if (f && f->dentry && t->fs)
		p = dentry_path(t->fs->root, f->dentry, e->target, sizeof(e->target));
	else if (f && f->ops->fstat && !f->ops->fstat(f, &st) && S_ISFIFO(st.st_mode))
		ksnprintf(e->target, sizeof(e->target), "pipe:[%llu]",
			  (unsigned long long)st.st_ino);
	else if (f)
		ksnprintf(e->target, sizeof(e->target), "anon_inode:[%s]",
			  f->ops->fstat ? "stdio" : "file");
	if (f)
		file_put(f);
	return link_done((char *)(p ? p : e->target), len);
}

static const struct inode_ops fd_link_iops = { .get_link = fd_link };

static struct dentry *fd_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct file *f;
	struct proc_fd *e;
	int fd = 0;

	if (!len || len > 4 || (name[0] == '0' && len > 1))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return NULL;
		fd = fd * 10 + (name[i] - '0');
	}
	if (fd >= FDTABLE_DEFAULT_MAX)
		return NULL;
	f = fd_get(task_current()->files, fd);
	if (!f)
		return NULL;
	file_put(f);
	e = fd_ents[fd];
	if (!e) {
		e = kzalloc(sizeof(*e));
		if (!e)
			return ERR_PTR(-ENOMEM);
		e->fd = fd;
		ksnprintf(e->name, sizeof(e->name), "%d", fd);
		e->d = (struct dentry){ .parent = dir, .inode = &e->i, .name = e->name,
					.namelen = len };
		e->i = (struct inode){ .iops = &fd_link_iops, .sb = dir->inode->sb,
				       .ino = 0x10000 + (uint64_t)fd, .dev = dir->inode->dev,
				       .mode = S_IFLNK | 0700, .nlink = 1, .flags = I_RDONLY };
		vfs_now(&e->i.mtime, &e->i.mtime_nsec);
		e->i.atime = e->i.ctime = e->i.mtime;
		fd_ents[fd] = e;
	}
	return &e->d;
}

static int fd_iterate(struct file *f, struct dir_context *ctx)
{
	struct fdtable *ft = task_current()->files;

	for (loff_t fd = ctx->pos - 2; fd < (loff_t)ft->size; fd++) {
		struct file *of = fd_get(ft, (int)fd);
		char name[12];
		int n;

		if (!of)
			continue;
		file_put(of);
		n = ksnprintf(name, sizeof(name), "%d", (int)fd);
		if (!ctx->emit(ctx, name, (size_t)n, 0x10000 + (uint64_t)fd, DT_LNK))
			return 0;
		ctx->pos = fd + 3;
	}
	return 0;
}

static const struct inode_ops fd_dir_iops = { .lookup = fd_lookup };
static const struct file_ops fd_dir_fops = { .iterate = fd_iterate };

static struct tmpfs_inode *add(struct tmpfs *fs, struct tmpfs_dentry *dir,
			       const char *name, struct tmpfs_inode *ino)
{
	if (!ino || !tmpfs_add(fs, dir, name, strlen(name), ino))
		return NULL;
	ino->i.flags |= I_RDONLY;
	return ino;
}

static struct tmpfs_inode *add_link(struct tmpfs *fs, struct tmpfs_dentry *dir,
				    const char *name, const struct inode_ops *iops)
{
	struct tmpfs_inode *ino = add(fs, dir, name, tmpfs_new_symlink(fs, "", 0, 0, 0));

	if (ino)
		ino->i.iops = iops;
	return ino;
}

int procfs_populate(struct tmpfs *fs, struct dentry *proc)
{
	struct tmpfs_dentry *pid;
	struct tmpfs_inode *ino;

	for (size_t i = 0; i < ARRAY_SIZE(fd_ents); i++) {
		kfree(fd_ents[i]);	/* of an earlier tree: nothing points at them */
		fd_ents[i] = NULL;
	}
	proc->inode->mode = S_IFDIR | 0555;
	proc->inode->flags |= I_RDONLY;
	ino = add(fs, TMPFS_D(proc), PROC_PID, tmpfs_new_inode(fs, S_IFDIR | 0555, 0, 0));
	pid = ino ? tmpfs_find(fs, proc->inode, PROC_PID, 1) : NULL;
	if (!pid || !add_link(fs, TMPFS_D(proc), "self", &self_iops) ||
	    !add_link(fs, pid, "exe", &exe_iops) || !add_link(fs, pid, "cwd", &cwd_iops))
		return -ENOMEM;
	ino = add(fs, pid, "fd", tmpfs_new_inode(fs, S_IFDIR | 0500, 0, 0));
	if (!ino)
		return -ENOMEM;
	ino->i.iops = &fd_dir_iops;
	ino->i.fops = &fd_dir_fops;
	for (size_t i = 0; i < ARRAY_SIZE(gens); i++) {
		bool in_pid = i >= 4;	/* cmdline, status, maps */

		ino = add(fs, in_pid ? pid : TMPFS_D(proc), gens[i].name,
			  tmpfs_new_inode(fs, S_IFREG | 0444, 0, 0));
		if (!ino)
			return -ENOMEM;
		ino->i.iops = &proc_file_iops;
		ino->i.fops = &proc_file_fops;
		gen_inodes[i] = &ino->i;
	}
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * pid.c: /proc/PID for every process (live or zombie): exe, cwd, cmdline,
 * comm, stat, status, maps and fd/. The nodes are made on the first lookup
 * of a pid and describe whatever process has that pid when they are used:
 * generated files are written at open, links resolved when followed, fd/
 * listed from the fd table.
 *
 * Dentries have no reference counts here (an open file or a cwd may point
 * at one at any time), so nothing is freed until the next procfs_populate:
 * once PROC_DIRS_KEPT directories exist, one whose process is gone is
 * re-pointed at the next pid looked up. Memory is thus bounded by the
 * processes alive at once. fd/N: opening it follows the link like any
 * symlink (the magic reopen of pipes and anonymous files is not there).
 */
#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/mman.h"
#include "abi/linux/stat.h"

#include "../tmpfs/tmpfs.h"
#include "procfs.h"

#define PROC_DIRS_KEPT	32
#define PROC_PID_DIGITS	7		/* PID_MAX is 4194304 */

/* Inode numbers: apart from tmpfs's, one range per pid. */
#define PROC_INO(pid, k)	((1ULL << 40) | ((uint64_t)(pid) << 16) | (k))
#define PROC_INO_FD(fd)		(0x1000 + (uint64_t)(fd))

enum { PE_CMDLINE, PE_COMM, PE_CWD, PE_EXE, PE_FD, PE_MAPS, PE_STAT, PE_STATUS, PE_N };

struct proc_dir;

struct proc_node {
	struct dentry d;
	struct inode i;
	struct proc_dir *dir;
};

struct proc_fd {
	struct proc_node n;
	int fd;
	char name[12];
};

struct proc_dir {
	struct proc_node self;		/* /proc/PID */
	struct proc_node ents[PE_N];
	struct proc_fd **fds;		/* fd/N by N, made on lookup */
	int pid;
	char name[12];
	struct proc_dir *next;
};

static struct proc_dir *dirs;
static size_t ndirs;

static struct process *find_process(int pid)
{
	struct task *cur = task_current();

	/* the current process even where it is outside the table (unit tests) */
	if (cur && cur->proc && cur->proc->pid == pid)
		return cur->proc;
	return task_find_process(pid);
}

/* The thread that speaks for @p: the caller if it is one, else the first. */
static struct task *thread_of(struct process *p)
{
	struct task *cur = task_current();

	if (!p || list_empty(&p->threads))
		return NULL;
	if (cur && cur->proc == p)
		return cur;
	return list_entry(p->threads.next, struct task, thread_node);
}

static struct proc_node *node_of(struct inode *inode)
{
	return container_of(inode, struct proc_node, i);
}

static struct task *node_task(struct inode *inode)
{
	return thread_of(find_process(node_of(inode)->dir->pid));
}

/* --- generated files ----------------------------------------------------- */

static char state_of(struct process *p, struct task *t)
{
	if (!t)
		return 'Z';
	if (p->stopped)
		return 'T';
	if (t != task_current() && t->state == TASK_WAITING)
		return 'S';
	return 'R';
}

static int nthreads(struct process *p)
{
	int n = 0;

	for (struct list_head *e = p->threads.next; e != &p->threads; e = e->next)
		n++;
	return n;
}

static uint64_t vm_size(struct task *t)
{
	uint64_t size = 0;

	for (struct vma *v = t && t->mm ? t->mm->vmas : NULL; v; v = v->next)
		size += v->end - v->start;
	return size;
}

/* The argument strings, each with its NUL, as the app's stack holds them. */
static void gen_cmdline(struct process *p, struct task *t, struct pbuf *b)
{
	struct mm *mm = t ? t->mm : NULL;
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

static void gen_comm(struct process *p, struct task *t, struct pbuf *b)
{
	pb_printf(b, "%s\n", t ? t->comm : "");
}

static int ppid_of(struct process *p)
{
	return p->parent ? p->parent->pid : 0;
}

static void gen_status(struct process *p, struct task *t, struct pbuf *b)
{
	static const char *const names[] = { ['R'] = "R (running)", ['S'] = "S (sleeping)",
					     ['T'] = "T (stopped)", ['Z'] = "Z (zombie)" };
	uint32_t uid = t ? t->uid : 0, euid = t ? t->euid : 0;
	uint32_t gid = t ? t->gid : 0, egid = t ? t->egid : 0;

	pb_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		  "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		  "Threads:\t%d\nVmSize:\t%8llu kB\n", t ? t->comm : "",
		  t && t->fs ? t->fs->umask : 022, names[(int)state_of(p, t)], p->pid,
		  t ? t->tid : p->pid, ppid_of(p), uid, euid, euid, euid, gid, egid, egid,
		  egid, nthreads(p), (unsigned long long)(vm_size(t) >> 10));
}

/* proc(5)'s 52 fields; times, faults and scheduling are not kept: 0. */
static void gen_stat(struct process *p, struct task *t, struct pbuf *b)
{
	struct mm *mm = t ? t->mm : NULL;

	pb_printf(b, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 %d 0 0 %llu 0 "
		  "18446744073709551615 0 0 %llu 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0 0 0 "
		  "%llu %llu %llu %llu %d\n",
		  p->pid, t ? t->comm : "", state_of(p, t), ppid_of(p), p->pgid, p->sid,
		  nthreads(p), (unsigned long long)vm_size(t),
		  (unsigned long long)(mm ? mm->stack_top : 0), p->exit_signal,
		  (unsigned long long)(mm ? mm->arg_start : 0),
		  (unsigned long long)(mm ? mm->arg_end : 0),
		  (unsigned long long)(mm ? mm->env_start : 0),
		  (unsigned long long)(mm ? mm->env_end : 0), p->zombie ? p->wait_status : 0);
}

static void gen_maps(struct process *p, struct task *t, struct pbuf *b)
{
	static char path[PROC_LINK_MAX];

	for (struct vma *v = t && t->mm ? t->mm->vmas : NULL; v; v = v->next) {
		struct file *f = v->file;
		const char *name = "";

		if (f && f->dentry && t->fs)
			name = dentry_path(t->fs->root, f->dentry, path, sizeof(path));
		else if (t->mm->stack_top > v->start && t->mm->stack_top <= v->end)
			name = "[stack]";
		else if (v->flags & VMA_VDSO)
			name = "[vdso]";
		else if (v->flags & VMA_VVAR)
			name = "[vvar]";
		pb_printf(b, "%08llx-%08llx %c%c%c%c %08llx 00:00 %llu %s%s\n",
			  (unsigned long long)v->start, (unsigned long long)v->end,
			  v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
			  v->prot & PROT_EXEC ? 'x' : '-', v->flags & MAP_SHARED ? 's' : 'p',
			  (unsigned long long)(f ? v->off : 0),
			  (unsigned long long)(f && f->inode ? f->inode->ino : 0),
			  name && *name ? "    " : "", name ? name : "");
	}
}

static const proc_gen_t gens[PE_N] = {
	[PE_CMDLINE] = gen_cmdline, [PE_COMM] = gen_comm, [PE_MAPS] = gen_maps,
	[PE_STAT] = gen_stat, [PE_STATUS] = gen_status,
};

static int gen_open(struct inode *inode, struct file *f)
{
	struct proc_node *n = node_of(inode);
	struct process *p = find_process(n->dir->pid);

	if (!p)
		return -ESRCH;	/* it died since the lookup */
	return proc_gen_open(f, gens[n - n->dir->ents], p, thread_of(p));
}

/* --- links ------------------------------------------------------------------- */

static char link_buf[PROC_LINK_MAX];	/* a target is used before the next is made */

static const char *exe_link(struct inode *inode, size_t *len)
{
	struct task *t = node_task(inode);
	const char *p = t && t->exe_path ? t->exe_path : "";

	*len = strlen(p);
	return p;
}

static const char *cwd_link(struct inode *inode, size_t *len)
{
	struct task *t = node_task(inode);
	const char *p = NULL;

	if (t && t->fs)
		p = dentry_path(t->fs->root, t->fs->cwd, link_buf, sizeof(link_buf));
	*len = p ? strlen(p) : 0;
	return p ? p : "";
}

/* A file's path, or what Linux shows for one outside the tree. */
static const char *fd_link(struct inode *inode, size_t *len)
{
	struct proc_fd *e = container_of(node_of(inode), struct proc_fd, n);
	struct task *t = node_task(inode);
	struct file *f = t && t->files ? fd_get(t->files, e->fd) : NULL;
	struct linux_stat st = { 0 };
	const char *p = NULL;

	link_buf[0] = '\0';
	if (f && f->dentry && t->fs)
		p = dentry_path(t->fs->root, f->dentry, link_buf, sizeof(link_buf));
	else if (f && f->ops->fstat && !f->ops->fstat(f, &st) && S_ISFIFO(st.st_mode))
		ksnprintf(link_buf, sizeof(link_buf), "pipe:[%llu]",
			  (unsigned long long)st.st_ino);
	else if (f)
		ksnprintf(link_buf, sizeof(link_buf), "anon_inode:[%s]",
			  f->ops->fstat ? "stdio" : "file");
	if (f)
		file_put(f);
	p = p ? p : link_buf;
	*len = strlen(p);
	return p;
}

static const struct inode_ops gen_iops = { .open = gen_open };
static const struct inode_ops exe_iops = { .get_link = exe_link };
static const struct inode_ops cwd_iops = { .get_link = cwd_link };
static const struct inode_ops fd_link_iops = { .get_link = fd_link };

/* --- directories ---------------------------------------------------------------- */

static void node_init(struct proc_node *n, struct proc_dir *pd, struct dentry *parent,
		      const char *name, uint32_t mode, const struct inode_ops *iops,
		      const struct file_ops *fops)
{
	n->dir = pd;
	n->d = (struct dentry){ .parent = parent, .inode = &n->i, .name = name,
				.namelen = strlen(name) };
	n->i = (struct inode){ .iops = iops, .fops = fops, .sb = parent->inode->sb,
			       .dev = parent->inode->dev, .mode = mode, .nlink = 1,
			       .flags = I_RDONLY };
	vfs_now(&n->i.mtime, &n->i.mtime_nsec);
	n->i.atime = n->i.ctime = n->i.mtime;
}

/* fd/ */
static struct dentry *fd_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct proc_dir *pd = node_of(dir->inode)->dir;
	struct task *t = node_task(dir->inode);
	struct proc_fd *e;
	struct file *f;
	int fd = 0;

	if (!len || len > 4 || (name[0] == '0' && len > 1))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return NULL;
		fd = fd * 10 + (name[i] - '0');
	}
	if (fd >= FDTABLE_DEFAULT_MAX || !t || !t->files)
		return NULL;
	f = fd_get(t->files, fd);
	if (!f)
		return NULL;
	file_put(f);
	if (!pd->fds)
		pd->fds = kzalloc(FDTABLE_DEFAULT_MAX * sizeof(*pd->fds));
	if (!pd->fds)
		return ERR_PTR(-ENOMEM);
	e = pd->fds[fd];
	if (!e) {
		e = kzalloc(sizeof(*e));
		if (!e)
			return ERR_PTR(-ENOMEM);
		e->fd = fd;
		ksnprintf(e->name, sizeof(e->name), "%d", fd);
		node_init(&e->n, pd, dir, e->name, S_IFLNK | 0700, &fd_link_iops, NULL);
		pd->fds[fd] = e;
	}
	e->n.i.ino = PROC_INO(pd->pid, PROC_INO_FD(fd));
	e->n.i.uid = dir->inode->uid;
	e->n.i.gid = dir->inode->gid;
	return &e->n.d;
}

static int fd_iterate(struct file *f, struct dir_context *ctx)
{
	struct proc_dir *pd = node_of(f->inode)->dir;
	struct task *t = node_task(f->inode);
	struct fdtable *ft = t ? t->files : NULL;

	for (loff_t fd = ctx->pos - 2; ft && fd < (loff_t)ft->size; fd++) {
		struct file *of = fd_get(ft, (int)fd);
		char name[12];
		int n;

		if (!of)
			continue;
		file_put(of);
		n = ksnprintf(name, sizeof(name), "%d", (int)fd);
		if (!ctx->emit(ctx, name, (size_t)n, PROC_INO(pd->pid, PROC_INO_FD(fd)), DT_LNK))
			return 0;
		ctx->pos = fd + 3;
	}
	return 0;
}

static loff_t fd_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, 2 + FDTABLE_DEFAULT_MAX);
}

static const struct inode_ops fd_dir_iops = { .lookup = fd_lookup };
static const struct file_ops fd_dir_fops = {
	.read = proc_dir_read, .llseek = fd_llseek, .iterate = fd_iterate,
};

static const struct {
	const char *name;
	uint32_t mode;
	const struct inode_ops *iops;
	const struct file_ops *fops;
} ents[PE_N] = {
	[PE_CMDLINE] = { "cmdline", S_IFREG | 0444, &gen_iops, &proc_gen_fops },
	[PE_COMM] = { "comm", S_IFREG | 0444, &gen_iops, &proc_gen_fops },
	[PE_CWD] = { "cwd", S_IFLNK | 0777, &cwd_iops, NULL },
	[PE_EXE] = { "exe", S_IFLNK | 0777, &exe_iops, NULL },
	[PE_FD] = { "fd", S_IFDIR | 0500, &fd_dir_iops, &fd_dir_fops },
	[PE_MAPS] = { "maps", S_IFREG | 0444, &gen_iops, &proc_gen_fops },
	[PE_STAT] = { "stat", S_IFREG | 0444, &gen_iops, &proc_gen_fops },
	[PE_STATUS] = { "status", S_IFREG | 0444, &gen_iops, &proc_gen_fops },
};

/* /proc/PID */
static struct dentry *pid_dir_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct proc_dir *pd = node_of(dir->inode)->dir;

	for (size_t k = 0; k < PE_N; k++)
		if (strlen(ents[k].name) == len && !memcmp(ents[k].name, name, len))
			return &pd->ents[k].d;
	return NULL;
}

static int pid_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct proc_dir *pd = node_of(f->inode)->dir;

	for (loff_t k = ctx->pos - 2; k < PE_N; k++) {
		if (!ctx->emit(ctx, ents[k].name, strlen(ents[k].name), pd->ents[k].i.ino,
			       mode_to_dtype(ents[k].mode)))
			return 0;
		ctx->pos = k + 3;
	}
	return 0;
}

static loff_t pid_dir_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, 2 + PE_N);
}

static const struct inode_ops pid_dir_iops = { .lookup = pid_dir_lookup };
static const struct file_ops pid_dir_fops = {
	.read = proc_dir_read, .llseek = pid_dir_llseek, .iterate = pid_dir_iterate,
};

/* Point @pd (new, or of a process gone) at @pid, owned as @t is. */
static void dir_point(struct proc_dir *pd, struct dentry *proc, int pid, struct task *t)
{
	uint32_t uid = t ? t->euid : 0, gid = t ? t->egid : 0;

	if (pd->pid != pid) {
		pd->pid = pid;
		ksnprintf(pd->name, sizeof(pd->name), "%d", pid);
		node_init(&pd->self, pd, proc, pd->name, S_IFDIR | 0555, &pid_dir_iops,
			  &pid_dir_fops);
		for (size_t k = 0; k < PE_N; k++)
			node_init(&pd->ents[k], pd, &pd->self.d, ents[k].name, ents[k].mode,
				  ents[k].iops, ents[k].fops);
	}
	pd->self.i.ino = PROC_INO(pid, 0);
	pd->self.i.uid = uid;
	pd->self.i.gid = gid;
	for (size_t k = 0; k < PE_N; k++) {
		pd->ents[k].i.ino = PROC_INO(pid, k + 1);
		pd->ents[k].i.uid = uid;
		pd->ents[k].i.gid = gid;
	}
}

/* The directory kept for @pid, else a new one or one of a process gone. */
static struct proc_dir *dir_for(int pid)
{
	struct proc_dir *pd, *stale = NULL;

	for (pd = dirs; pd; pd = pd->next) {
		if (pd->pid == pid)
			return pd;
		if (!stale && !find_process(pd->pid))
			stale = pd;
	}
	if (stale && ndirs >= PROC_DIRS_KEPT)
		return stale;
	pd = kzalloc(sizeof(*pd));
	if (!pd)
		return stale;
	pd->next = dirs;
	dirs = pd;
	ndirs++;
	return pd;
}

struct dentry *procfs_pid_lookup(struct dentry *proc, const char *name, size_t len)
{
	struct process *p;
	struct proc_dir *pd;
	int pid = 0;

	if (!len || len > PROC_PID_DIGITS || name[0] == '0')
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return NULL;
		pid = pid * 10 + (name[i] - '0');
	}
	p = find_process(pid);
	if (!p)
		return NULL;
	pd = dir_for(pid);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	dir_point(pd, proc, pid, thread_of(p));
	return &pd->self.d;
}

int procfs_pid_iterate(struct dir_context *ctx)
{
	char name[12];
	int pid, n;

	while ((pid = task_next_pid((int)(ctx->pos - PROC_PID_POS))) > 0) {
		ctx->pos = PROC_PID_POS + pid;
		n = ksnprintf(name, sizeof(name), "%d", pid);
		if (!ctx->emit(ctx, name, (size_t)n, PROC_INO(pid, 0), DT_DIR))
			return 0;
		ctx->pos++;
	}
	return 0;
}

void procfs_pid_reset(void)
{
	struct proc_dir *pd;

	while ((pd = dirs)) {
		dirs = pd->next;
		for (size_t i = 0; pd->fds && i < FDTABLE_DEFAULT_MAX; i++)
			kfree(pd->fds[i]);
		kfree(pd->fds);
		kfree(pd);
	}
	ndirs = 0;
}

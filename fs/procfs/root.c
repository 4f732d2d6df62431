// SPDX-License-Identifier: Apache-2.0
/*
 * root.c: /proc itself, a directory of the root tmpfs (like /dev) with the
 * system files (meminfo, cpuinfo, mounts, uptime) and self -> the current
 * process's pid. Its lookup and getdents add a directory per process
 * (pid.c) after the tmpfs entries. Every node carries I_RDONLY: changes
 * are -EROFS.
 */
#include "sentry/err.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"
#include "abi/linux/time.h"

#include "../tmpfs/tmpfs.h"
#include "procfs.h"

static void gen_meminfo(struct process *p, struct task *t, struct pbuf *b)
{
	size_t used, total;

	page_alloc_stats(&used, &total);
	pb_printf(b, "MemTotal:       %8zu kB\nMemFree:        %8zu kB\n"
		  "MemAvailable:   %8zu kB\n", total * 4, (total - used) * 4,
		  (total - used) * 4);
}

static void gen_cpuinfo(struct process *p, struct task *t, struct pbuf *b)
{
	pb_printf(b, "processor\t: 0\nvendor_id\t: SentryVM\nmodel name\t: sentry vCPU\n"
		  "cpu cores\t: 1\nflags\t\t: fpu sse sse2\n\n");
}

static void gen_mounts(struct process *p, struct task *t, struct pbuf *b)
{
	struct dentry *root = vfs_root();
	bool ro = root && (root->inode->flags & I_RDONLY);

	pb_printf(b, "rootfs / tmpfs %s 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
		  "tmpfs /dev tmpfs rw 0 0\nproc /proc proc ro 0 0\n", ro ? "ro" : "rw");
}

static void gen_uptime(struct process *p, struct task *t, struct pbuf *b)
{
	int64_t ns = 0;

	plat_clock_ns(CLOCK_MONOTONIC, &ns);
	pb_printf(b, "%lld.%02lld 0.00\n", (long long)(ns / NSEC_PER_SEC),
		  (long long)(ns % NSEC_PER_SEC / 10000000));
}

static const struct {
	const char *name;
	proc_gen_t gen;
} gens[] = {
	{ "meminfo", gen_meminfo }, { "cpuinfo", gen_cpuinfo },
	{ "mounts", gen_mounts }, { "uptime", gen_uptime },
};

/* The inode of each system file, to find its generator at open. */
static const struct inode *gen_inodes[ARRAY_SIZE(gens)];

static int sys_open(struct inode *inode, struct file *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(gens); i++)
		if (gen_inodes[i] == inode)
			return proc_gen_open(f, gens[i].gen, NULL, NULL);
	return -ENOENT;
}

static const struct inode_ops sys_file_iops = { .open = sys_open };

static const char *self_link(struct inode *inode, size_t *len)
{
	static char buf[16];
	struct task *t = task_current();

	*len = (size_t)ksnprintf(buf, sizeof(buf), "%d", t ? t->tgid : 0);
	return buf;
}

static const struct inode_ops self_iops = { .get_link = self_link };

/* /proc: the tmpfs entries first, then the processes. */
static struct dentry *root_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d = tmpfs_dir_iops.lookup(dir, name, len);

	return d ? d : procfs_pid_lookup(dir, name, len);
}

struct root_ctx {
	struct dir_context c;
	struct dir_context *outer;
	bool full;
};

static bool root_emit(struct dir_context *c, const char *name, size_t len,
		      uint64_t ino, unsigned int dtype)
{
	struct root_ctx *r = container_of(c, struct root_ctx, c);

	if (r->outer->emit(r->outer, name, len, ino, dtype))
		return true;
	r->full = true;
	return false;
}

static int root_iterate(struct file *f, struct dir_context *ctx)
{
	struct root_ctx r = { .c = { .emit = root_emit, .pos = ctx->pos }, .outer = ctx };
	int err;

	if (ctx->pos < PROC_PID_POS) {
		err = tmpfs_dir_fops.iterate(f, &r.c);
		ctx->pos = r.c.pos;
		if (err || r.full)
			return err;
		ctx->pos = PROC_PID_POS;
	}
	return procfs_pid_iterate(ctx);
}

static loff_t root_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, PROC_PID_POS + INT32_MAX);
}

static const struct inode_ops root_iops = { .lookup = root_lookup };
static const struct file_ops root_fops = {
	.read = proc_dir_read, .llseek = root_llseek, .iterate = root_iterate,
};

static struct tmpfs_inode *add(struct tmpfs *fs, struct dentry *dir, const char *name,
			       struct tmpfs_inode *ino)
{
	if (!ino || !tmpfs_add(fs, TMPFS_D(dir), name, strlen(name), ino))
		return NULL;
	ino->i.flags |= I_RDONLY;
	return ino;
}

int procfs_populate(struct tmpfs *fs, struct dentry *proc)
{
	struct tmpfs_inode *ino;

	procfs_pid_reset();
	proc->inode->mode = S_IFDIR | 0555;
	proc->inode->flags |= I_RDONLY;
	ino = add(fs, proc, "self", tmpfs_new_symlink(fs, "", 0, 0, 0));
	if (!ino)
		return -ENOMEM;
	ino->i.iops = &self_iops;
	for (size_t i = 0; i < ARRAY_SIZE(gens); i++) {
		ino = add(fs, proc, gens[i].name, tmpfs_new_inode(fs, S_IFREG | 0444, 0, 0));
		if (!ino)
			return -ENOMEM;
		ino->i.iops = &sys_file_iops;
		ino->i.fops = &proc_gen_fops;
		gen_inodes[i] = &ino->i;
	}
	proc->inode->iops = &root_iops;
	proc->inode->fops = &root_fops;
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * procfs.h: what the parts of /proc share. root.c: the /proc directory
 * (a read-only tmpfs directory with the system files and self, whose
 * lookup and getdents add the process directories); pid.c: /proc/PID of
 * every process; gen.c: files generated as text at open.
 */
#ifndef SENTRY_FS_PROCFS_H
#define SENTRY_FS_PROCFS_H

#include "sentry/task.h"

#include "../vfs_internal.h"

#define PROC_LINK_MAX	4096

/* getdents positions at and above this are the process directories (+ pid). */
#define PROC_PID_POS	(1LL << 32)

/* gen.c */
struct pbuf {
	char *buf;
	size_t len, cap;
};

/* Append to @b; past its room, only len grows (proc_gen_open retries). */
__printf(2, 3) void pb_printf(struct pbuf *b, const char *fmt, ...);

/* A generator: the file's text for process @p (NULL for system files) and
 * @t, its first live thread (NULL when it is a zombie). */
typedef void (*proc_gen_t)(struct process *p, struct task *t, struct pbuf *b);

/* Generate @f's text now (reads then copy it); sets f->priv. -ENOMEM. */
int proc_gen_open(struct file *f, proc_gen_t gen, struct process *p, struct task *t);
extern const struct file_ops proc_gen_fops;

/* read(2) of a /proc directory: -EISDIR. */
ssize_t proc_dir_read(struct file *f, struct iobuf *b, loff_t *pos);

/* pid.c */
/* The directory /proc/@name (@len bytes, a pid), or NULL when there is no
 * such process. @proc: the /proc dentry. */
struct dentry *procfs_pid_lookup(struct dentry *proc, const char *name, size_t len);
/* Emit the process directories from position ctx->pos (>= PROC_PID_POS). */
int procfs_pid_iterate(struct dir_context *ctx);
/* Forget the process directories of an earlier tree (nothing points at them). */
void procfs_pid_reset(void);

#endif

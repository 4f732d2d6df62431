// SPDX-License-Identifier: Apache-2.0
/*
 * sys_exec.c: execve(2) and execveat(2): copy argv and envp in, load the
 * program (kernel/exec.c), then what exec resets: close-on-exec fds,
 * handled signals back to default, the other threads of the process.
 */
#include "sentry/err.h"
#include "sentry/exec.h"
#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "process_internal.h"
#include "../fs/vfs_internal.h"	/* fd_get(), as sys_mmap.c */

#define EXEC_MAX_STRINGS	(EXEC_ARG_MAX / sizeof(uaddr_t))

/* Free a NULL-terminated kmalloc'd array of kmalloc'd strings. */
static void free_strings(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		kfree(*p);
	kfree(v);
}

/*
 * Copy the NULL-terminated array of strings at @u (NULL: empty) into the
 * kernel; *@budget is what is left of EXEC_ARG_MAX for argv plus envp.
 */
static int copy_strings(uaddr_t u, size_t *budget, char ***out)
{
	size_t n = 0, cap = 16;
	char **v = kzalloc(cap * sizeof(*v)), **bigger;
	char *buf = kmalloc(EXEC_STRING_MAX);
	uaddr_t p;
	long len;
	int err = 0;

	if (!v || !buf) {
		err = -ENOMEM;
		goto out;
	}
	for (; u; n++) {
		if (copy_from_user(&p, u + n * sizeof(p), sizeof(p))) {
			err = -EFAULT;
			break;
		}
		if (!p)
			break;
		if (n + 1 >= EXEC_MAX_STRINGS) {
			err = -E2BIG;
			break;
		}
		len = strncpy_from_user(buf, p, EXEC_STRING_MAX);
		if (len < 0) {
			err = len == -ENAMETOOLONG ? -E2BIG : (int)len;
			break;
		}
		if ((size_t)len + 1 + sizeof(p) > *budget) {
			err = -E2BIG;
			break;
		}
		*budget -= (size_t)len + 1 + sizeof(p);
		if (n + 1 >= cap) {
			bigger = kzalloc(cap * 2 * sizeof(*v));
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			memcpy(bigger, v, cap * sizeof(*v));
			kfree(v);
			v = bigger;
			cap *= 2;
		}
		v[n] = kstrdup(buf);
		if (!v[n]) {
			err = -ENOMEM;
			break;
		}
	}
out:
	kfree(buf);
	if (err) {
		free_strings(v);
		return err;
	}
	*out = v;
	return 0;
}

/*
 * The other threads of @t's process end (exec replaces the whole process),
 * and @t becomes its leader: its thread id is the pid. The old leader
 * leaves under @t's old id, as in Linux's de_thread().
 */
static void kill_other_threads(struct task *t)
{
	struct task *o;

	for (struct list_head *e = t->proc->threads.next; e != &t->proc->threads; e = e->next) {
		o = list_entry(e, struct task, thread_node);
		if (o == t)
			continue;
		if (o->tid == t->tgid)
			o->tid = t->tid;
		task_exit(o, 0);
	}
	t->tid = t->tgid;
}

/* What a successful exec resets. */
static void exec_reset(struct task *t)
{
	struct linux_sigaction *sa = t->proc->sigactions;

	for (int i = 0; i < LINUX_NSIG; i++) {
		if (sa[i].handler != LINUX_SIG_IGN) {
			sa[i].handler = LINUX_SIG_DFL;
			sa[i].flags = 0;
			sa[i].mask = 0;
		}
	}
	posix_timers_exit(t->proc);	/* POSIX timers do not survive exec; alarm does */
	t->clear_child_tid = 0;
	t->robust_list = 0;
	fdtable_close_on_exec(t->files);
	if (t->proc->parent)	/* a vfork parent waits for this */
		waitq_wake_all(&t->proc->parent->child_wait);
}

/* AT_EMPTY_PATH: the file at @fd, readable (an O_PATH one is opened again). */
static int program_fd(struct task *t, int fd, struct file **out)
{
	struct file *f = fd_get(t->files, fd), *rf;

	if (!f)
		return -EBADF;
	if (!(f->flags & O_PATH)) {
		*out = f;
		return 0;
	}
	rf = f->dentry ? dentry_open(t, f->dentry, O_RDONLY) : ERR_PTR(-EACCES);
	file_put(f);
	if (IS_ERR(rf))
		return (int)PTR_ERR(rf);
	*out = rf;
	return 0;
}

static long do_execve(struct task *t, int dirfd, uaddr_t upath, uaddr_t uargv, uaddr_t uenvp,
		      int flags)
{
	size_t budget = EXEC_ARG_MAX;
	char **argv = NULL, **envp = NULL, *path;
	struct file *dirf = NULL;
	long len;
	int err;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	path = kmalloc(LINUX_PATH_MAX);
	if (!path)
		return -ENOMEM;
	len = strncpy_from_user(path, upath, LINUX_PATH_MAX);
	err = len < 0 ? (int)len : 0;
	if (!err && len == 0 && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	if (!err && len == 0)
		err = program_fd(t, dirfd, &dirf);
	if (!err)
		err = copy_strings(uargv, &budget, &argv);
	if (!err)
		err = copy_strings(uenvp, &budget, &envp);
	if (!err)
		err = fdtable_unshare(&t->files);
	if (!err)
		err = exec_load_at(t, dirf, dirfd, path, flags, argv, envp);
	if (!err) {
		kill_other_threads(t);
		exec_reset(t);
	}
	if (dirf)
		file_put(dirf);
	free_strings(argv);
	free_strings(envp);
	kfree(path);
	return err;
}

/* execve(path, argv, envp) */
long sys_execve(struct task *t, const struct syscall_args *a)
{
	return do_execve(t, AT_FDCWD, arg_uaddr(a, 0), arg_uaddr(a, 1), arg_uaddr(a, 2), 0);
}

/* execveat(dirfd, path, argv, envp, flags) */
long sys_execveat(struct task *t, const struct syscall_args *a)
{
	return do_execve(t, arg_int(a, 0), arg_uaddr(a, 1), arg_uaddr(a, 2), arg_uaddr(a, 3),
			 arg_int(a, 4));
}

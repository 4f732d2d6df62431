/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vfs.h: files, paths and fd tables (fs/), core.
 *
 * The functions below are the contract the rest of the core uses (exec, mm,
 * the syscall layer); fs/ owns everything behind them. The root filesystem
 * in this version is the read-only image (fs/tarfs), indexed in place:
 * file data is read straight from the mapped tar.
 */
#ifndef SENTRY_VFS_H
#define SENTRY_VFS_H

#include "sentry/sched.h"
#include "sentry/types.h"

struct task;
struct file;
struct fdtable;
struct fs_context;
struct linux_stat;

/**
 * vfs_init() - index the root image and build the root tree over it (see
 * vfs_set_root_writable): an uncompressed tar of @len bytes at
 * @image (sentry memory, read-only, valid forever).
 * Return: 0, or -errno after a pr_err() that names the bad entry
 * (e.g. "image: entry 'a/../../x': path escapes the root").
 */
int vfs_init(const void *image, size_t len);

/**
 * vfs_set_root_writable() - whether the next vfs_init() gives a writable
 * root (an overlay over the image, which itself is never written) or a
 * read-only one (EROFS, as a read-only mount). /tmp and /dev are writable
 * either way. Default: read-only.
 */
void vfs_set_root_writable(bool on);

/**
 * vfs_open() - open @path relative to @dirfd (AT_FDCWD: @t's cwd) with open(2)
 * @flags. Return: a file reference (drop with file_put) or ERR_PTR(-errno).
 */
struct file *vfs_open(struct task *t, int dirfd, const char *path, int flags,
		      unsigned int mode);

/** vfs_file_inode() - the inode @f is open on, or NULL (pipes, sockets...). */
const struct inode *vfs_file_inode(const struct file *f);
/**
 * vfs_shareable() - can a MAP_SHARED mapping of @f map the file's own pages
 * (and, with @write, write them: @f is open for writing)? A file that
 * cannot is mapped as a read-only copy.
 */
bool vfs_shareable(const struct file *f, bool write);
/**
 * vfs_map_page() - the page of @f at @off (page-aligned) for a shared
 * mapping, with a reference the caller drops with page_free().
 * Return: 0, -ENXIO past the end of the file (SIGBUS), -ENOMEM, -ENODEV.
 */
int vfs_map_page(struct file *f, loff_t off, paddr_t *pa);
/**
 * vfs_map_private() - a page of @f at @off (page-aligned) that a private
 * mapping may map read-only and copy on its first write, with a reference
 * the caller drops with page_free(). Return: 0, -ENODEV (the file has none:
 * copy its data), -ENXIO past the end, -ENOMEM.
 */
int vfs_map_private(struct file *f, loff_t off, paddr_t *pa);

/** vfs_kread() - pread into sentry memory. Return: bytes read (0 at EOF) or -errno. */
ssize_t vfs_kread(struct file *f, void *buf, size_t len, loff_t off);

/** vfs_fstat() - stat of an open file. */
int vfs_fstat(struct file *f, struct linux_stat *st);

/** vfs_is_executable() - regular file with an x bit set. */
bool vfs_is_executable(struct file *f);

/** vfs_file_path() - kmalloc'd absolute path of @f (for AT_EXECFN and /proc), or NULL. */
char *vfs_file_path(struct file *f);

struct file *file_get(struct file *f);
void file_put(struct file *f);

/**
 * file_notify() - some file became readable, writable or hung up: tasks in
 * poll/select look again. file_event_wq is where they wait.
 */
void file_notify(void);
extern struct waitq file_event_wq;
extern uint64_t file_event_gen;	/* counts file_notify() calls */

/** fdtable_create_stdio() - fd table with 0, 1, 2 bound to host fds 0, 1, 2. */
int fdtable_create_stdio(struct fdtable **out);
void fdtable_put(struct fdtable *ft);
/**
 * fdtable_clone() - fork's fd table: @ft itself with one more reference
 * (@share: CLONE_FILES), or a copy holding a reference to every open file.
 */
int fdtable_clone(struct fdtable *ft, bool share, struct fdtable **out);
/** fdtable_unshare() - execve: make *@ftp private to the caller (copy if shared). */
int fdtable_unshare(struct fdtable **ftp);
/** fdtable_set_max() - RLIMIT_NOFILE: new fds of @ft stay below @max (open ones stay). */
void fdtable_set_max(struct fdtable *ft, unsigned int max);
/** fd_is_open() - is @fd an open descriptor of @ft? */
bool fd_is_open(struct fdtable *ft, int fd);
/** fdtable_close_on_exec() - execve: close every fd marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *ft);

/** fs_context_create() - cwd = @cwd (absolute; must be a directory in the image). */
int fs_context_create(const char *cwd, struct fs_context **out);
void fs_context_put(struct fs_context *fs);
/** fs_context_clone() - @fs with one more reference (@share: CLONE_FS), or a copy. */
int fs_context_clone(struct fs_context *fs, bool share, struct fs_context **out);

/** fs_umask() - set @t's umask to @mask (& 0777). Return: the old one. */
unsigned int fs_umask(struct task *t, unsigned int mask);

#endif /* SENTRY_VFS_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vfs_internal.h: the VFS objects behind vfs.h, core. Included by fs/ and
 * by what plugs into the VFS (filesystems, pipes, sockets) and by
 * test/unit/fs. Include it by relative path ("vfs_internal.h" from fs/,
 * "../vfs_internal.h" from fs/<fs>/).
 *
 *   inode    a file's identity and metadata; inode_ops for directories and
 *            symlinks, and the file_ops its open files get.
 *   dentry   a name in a directory: (parent, name) -> inode. Hard links are
 *            two dentries of one inode; the root is its own parent.
 *   file     an open file description: ops, position, flags, references.
 *   iobuf    the destination or source of a read/write: app memory (one
 *            buffer or an iovec) or sentry memory, so one read op serves
 *            read, readv, pread and vfs_kread.
 *   fdtable  a process's fds; fs_context its root and working directory.
 *
 * Lifetimes: inodes and dentries belong to their filesystem and live as
 * long as it does, so nothing counts references on them: tmpfs keeps the
 * dentries and inodes of removed names (it frees only file data with no
 * link and no open file), so a cwd, an fd or an open file can never point
 * at freed memory. Files, fd tables and fs contexts are reference counted.
 * Locking: none yet (one CPU, one task); SMP adds it here.
 */
#ifndef FS_VFS_INTERNAL_H
#define FS_VFS_INTERNAL_H

#include "sentry/types.h"

#include "abi/linux/fcntl.h"

struct task;
struct inode;
struct dentry;
struct file;
struct iobuf;
struct dir_context;
struct linux_stat;

#define MAXSYMLINKS	40		/* links followed in one walk: more is -ELOOP */
#define MAX_RW_COUNT	0x7ffff000L	/* largest read/write, as Linux clamps it */
#define UIO_MAXIOV	1024
#define VFS_BLKSIZE	4096
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* Permission bits asked of inode_permission (the values of R_OK/W_OK/X_OK). */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

struct inode_ops {
	/* Directories: the entry @name (@len bytes, never "." or "..") of
	 * @dir. Return: its dentry, NULL when there is none, or ERR_PTR. */
	struct dentry *(*lookup)(struct dentry *dir, const char *name, size_t len);
	/* Symlinks: the target (valid while the inode lives); *@len its length. */
	const char *(*get_link)(struct inode *inode, size_t *len);
	/* Optional: set up @f, just opened on @inode with f->ops = inode->fops. */
	int (*open)(struct inode *inode, struct file *f);
};

struct inode {
	const struct inode_ops *iops;	/* never NULL (may be all NULLs) */
	const struct file_ops *fops;	/* for its open files; NULL: open is -ENXIO */
	void *sb;			/* the filesystem instance it belongs to */
	uint64_t ino;
	uint64_t dev;			/* st_dev, Linux encoding */
	uint64_t rdev;			/* devices: st_rdev */
	uint64_t size;
	int64_t mtime;			/* seconds */
	uint32_t mtime_nsec;
	uint32_t atime_nsec, ctime_nsec;
	int64_t atime, ctime;		/* set with mtime where a filesystem keeps one time */
	uint32_t mode;			/* S_IF* | permission bits */
	uint32_t uid, gid;
	uint32_t nlink;
	uint32_t flags;			/* I_* */
	struct file_lock *locks;	/* fs/lock.c: fcntl, OFD and flock locks */
};

#define I_RDONLY	0x1	/* on a read-only filesystem: write access is -EROFS */

/* d_type of getdents for @mode (DT_* are the S_IFMT bits shifted down). */
static inline unsigned int mode_to_dtype(uint32_t mode)
{
	return (mode >> 12) & 15;
}

/*
 * vfs_name_hash() - hash of (directory, name) for the per-filesystem name
 * tables of tarfs and tmpfs (FNV-1a over the name, seeded by the directory).
 */
static inline size_t vfs_name_hash(const struct inode *dir, const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(uintptr_t)dir;

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h ^ (h >> 32));
}

struct dentry {
	struct dentry *parent;	/* the root: itself */
	struct inode *inode;
	const char *name;	/* NUL-terminated; "/" for the root */
	size_t namelen;
};

/* The app's struct iovec. */
struct linux_iovec {
	uint64_t base;
	uint64_t len;
};

struct iobuf {
	const struct linux_iovec *iov;	/* app addresses, or sentry pointers */
	unsigned long nr_segs;
	unsigned long seg;		/* current segment */
	size_t seg_off;			/* bytes done in it */
	size_t count;			/* bytes left in all segments */
	bool user;
	struct linux_iovec one;		/* the segment of a single buffer */
};

/* Fill @b to describe one app buffer, one sentry buffer, or an app iovec
 * whose lengths add up to at least @count (extra bytes are not used). */
void iobuf_init_user(struct iobuf *b, uaddr_t addr, size_t len);
void iobuf_init_kernel(struct iobuf *b, void *p, size_t len);
void iobuf_init_iov(struct iobuf *b, const struct linux_iovec *iov,
		    unsigned long nr_segs, size_t count);

/*
 * Copy @n bytes (at most b->count) into / out of @b and advance it.
 * Return: 0, or -EFAULT with @b advanced past the segments copied before
 * the bad one (so "bytes done" is what the caller started with minus
 * b->count).
 */
int copy_to_iobuf(struct iobuf *b, const void *src, size_t n);
int copy_from_iobuf(void *dst, struct iobuf *b, size_t n);

/*
 * getdents: a directory's iterate op emits entries from ctx->pos (>= 2:
 * "." and ".." are the VFS's), incrementing ctx->pos after each accepted
 * one, and stops when emit returns false (the caller's buffer is full).
 */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     uint64_t ino, unsigned int dtype);
	loff_t pos;
};

/* poll(2) events, the values of <poll.h>. */
#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLRDBAND	0x080
#define POLLWRNORM	0x100
#define POLLWRBAND	0x200
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/*
 * Event counters of what a file polls, for EPOLLET (an edge is an event,
 * not only a change of the poll bits): @in moves when data or a hang-up
 * arrives for readers, @out when room appears for writers.
 */
struct poll_edges {
	uint64_t in, out;
};

struct file_ops {
	/* Read into / write from @b (b->count bytes at most) at *@pos and
	 * advance *@pos. Return: bytes done, or -errno. NULL: -EINVAL. */
	ssize_t (*read)(struct file *f, struct iobuf *b, loff_t *pos);
	ssize_t (*write)(struct file *f, struct iobuf *b, loff_t *pos);
	/* lseek(2); NULL: not seekable (lseek, pread, pwrite give -ESPIPE). */
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	/* Directories (see struct dir_context). NULL: not a directory. */
	int (*iterate)(struct file *f, struct dir_context *ctx);
	/* ioctl(2) requests the VFS does not handle itself. NULL: -ENOTTY. */
	long (*ioctl)(struct file *f, unsigned int cmd, uaddr_t arg);
	/* poll(2): which POLL* events hold now (nothing waits: one task).
	 * NULL: DEFAULT_POLLMASK, always readable and writable (regular
	 * files, devices, stdio). */
	unsigned int (*poll)(struct file *f);
	/* EPOLLET: the edge counters of what @f polls. NULL: both are
	 * file_event_gen (any event in the sandbox is an edge). */
	struct poll_edges (*edges)(struct file *f);
	/* MAP_SHARED: the page of the file at @off (page-aligned, before
	 * EOF), with a reference for the mapping (page_ref_get; page_free
	 * drops it). Return: 0, -ENXIO past EOF, -ENOMEM. NULL: the file
	 * has no pages of its own (a shared mapping is a read-only copy). */
	int (*map_page)(struct file *f, loff_t off, paddr_t *pa);
	/* The page a private mapping of @f at @off may map read-only, shared
	 * and copied on write, with a reference; -ENODEV: none, copy the data.
	 * NULL: always copy. */
	int (*map_private)(struct file *f, loff_t off, paddr_t *pa);
	/* fstat of files without an inode (stdio); used before the inode's. */
	int (*fstat)(struct file *f, struct linux_stat *st);
	/* The last reference is gone. */
	void (*release)(struct file *f);
};

struct file {
	int refcount;
	unsigned int flags;		/* access mode | status flags (F_GETFL) */
	loff_t pos;
	const struct file_ops *ops;
	struct dentry *dentry;		/* NULL outside the tree (stdio, pipes) */
	struct inode *inode;		/* dentry->inode, or NULL */
	void *priv;			/* the ops' own state */
};

/* file.c */
/* A new file with one reference, or NULL (out of memory). */
struct file *file_alloc(const struct file_ops *ops, unsigned int flags);
/*
 * anon_file_install() - an eventfd, timerfd or signalfd: a new O_RDWR file
 * of @ops over @priv (kmalloc'd; @ops->release frees it), non-blocking if
 * @flags has O_NONBLOCK, at @t's lowest free fd, close-on-exec if @flags
 * has O_CLOEXEC. Return: the fd, or -errno with @priv freed.
 */
int anon_file_install(struct task *t, const struct file_ops *ops, void *priv,
		      unsigned int flags);
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);
/* read/write with the access-mode checks of read(2)/write(2). */
ssize_t file_read(struct file *f, struct iobuf *b, loff_t *pos);
ssize_t file_write(struct file *f, struct iobuf *b, loff_t *pos);
/* lseek for files whose end is @size (SEEK_SET/CUR/END/DATA/HOLE). */
loff_t generic_llseek(struct file *f, loff_t off, int whence, loff_t size);
/* The POLL* events that hold for @f now (its poll op, or DEFAULT_POLLMASK). */
unsigned int file_poll(struct file *f);
/* getdents: "." and "..", then the file's iterate op. */
int file_iterate(struct file *f, struct dir_context *ctx);

/* namei.c */
#define LOOKUP_FOLLOW		0x1	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define LOOKUP_CREATE		0x4	/* see path_walk */

struct nameidata {
	struct dentry *root;	/* "/" and where ".." stops */
	struct dentry *start;	/* where relative paths start */
	uint32_t uid, gid;	/* whose search (x) permission directories need */
};

/*
 * path_walk() - resolve @path (NUL-terminated) from @nd. Symlinks resolve
 * inside nd->root, absolute ones from it. Return: 0 with *@out set, or
 * -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES. With LOOKUP_CREATE,
 * when only the last component is missing, -ENOENT comes with *@out set to
 * the directory it would be created in (else *@out is NULL on errors).
 */
int path_walk(const struct nameidata *nd, const char *path, unsigned int flags,
	      struct dentry **out);
/* path_walk with LOOKUP_CREATE that also copies the missing last name into
 * @last (LINUX_NAME_MAX + 1 bytes) when it returns -ENOENT with *@out set. */
int path_walk_create(const struct nameidata *nd, const char *path,
		     unsigned int flags, struct dentry **out, char *last);

/*
 * nd_init() - @nd for @t resolving @path relative to @dirfd (AT_FDCWD: the
 * cwd), with @t's effective ids. Return: 0, -EBADF, or -ENOTDIR (@dirfd is
 * not a directory).
 */
int nd_init(struct task *t, int dirfd, const char *path, struct nameidata *nd);

/* nd_init + path_walk. */
int vfs_walk_at(struct task *t, int dirfd, const char *path, unsigned int flags,
		struct dentry **out);

/* Copy a path from the app into a kmalloc'd buffer (free with kfree).
 * Return: 0, -EFAULT, -ENAMETOOLONG, -ENOMEM. */
int getname(uaddr_t upath, char **out);

/*
 * dentry_path() - the absolute path of @d as seen from @root, written at the
 * end of @buf. Return: its start inside @buf, or NULL when @size is too small.
 */
char *dentry_path(struct dentry *root, struct dentry *d, char *buf, size_t size);

/* vfs.c */
/* 0 when @uid/@gid may access @inode for @mask (MAY_*), else -EACCES. */
int inode_permission(const struct inode *inode, uint32_t uid, uint32_t gid,
		     int mask);
/* Writing @inode is -EROFS: a file, directory or symlink of a read-only
 * filesystem (devices and FIFOs on it stay writable, as in Linux). */
bool inode_is_rofs(const struct inode *inode);
/* Open the file at @d with open(2) @flags (the path is already resolved). */
struct file *dentry_open(struct task *t, struct dentry *d, int flags);
void inode_stat(const struct inode *inode, struct linux_stat *st);
/* The root of the image; NULL before vfs_init. */
struct dentry *vfs_root(void);

struct fs_context {
	int refcount;
	struct dentry *root;
	struct dentry *cwd;
	unsigned int umask;
};

/* namei_ops.c */
/*
 * vfs_walk_parent() - the directory @path's last component is in (its
 * symlinks followed) and that name in @last (LINUX_NAME_MAX + 1 bytes);
 * trailing slashes are dropped and set *@trailing. "." and ".." as the last
 * name are -EINVAL here; "/" alone is -EBUSY.
 */
int vfs_walk_parent(struct task *t, int dirfd, const char *path,
		    struct dentry **dir, char *last, bool *trailing);
/* Create @name in @dir (tmpfs) as a file, directory or symlink for @t. */
struct dentry *vfs_create(struct task *t, struct dentry *dir, const char *name,
			  uint32_t mode, const char *target);
/* 0 when @t may add or remove names in @dir, else -EROFS/-EACCES/-ENOENT. */
int may_change_dir(struct task *t, struct dentry *dir);

/* rootfs.c */
/* The root tree: a tmpfs mirroring the image (data copied up on write),
 * with /tmp and /dev of its own. */
struct tarfs;
struct tmpfs;
int rootfs_build(struct tarfs *img, bool writable, struct tmpfs **out);
/* The filesystem of files with no name (memfd); created with the root. */
struct tmpfs *vfs_anon_fs(void);

/* pipe.c: a pipe's two ends for @t (O_NONBLOCK in @flags). Return: 0 or -ENOMEM. */
int pipe_create(struct task *t, unsigned int flags, struct file **rd, struct file **wr);
bool file_is_pipe(const struct file *f);

/* devfs.c: fill the directory @dev of @fs with the device nodes. */
int devfs_populate(struct tmpfs *fs, struct dentry *dev);
/* procfs.c: fill the directory @proc of @fs with /proc (read-only). */
int procfs_populate(struct tmpfs *fs, struct dentry *proc);

/* lock.c */
struct file_lock;
struct fdtable;
/* fcntl(2)'s F_GETLK, F_SETLK(W) and F_OFD_* on @f for @t (@arg: struct flock). */
long lock_fcntl(struct task *t, struct file *f, unsigned int cmd, uaddr_t arg);
/* @ft closes an fd of @f: its POSIX locks on the file go (NULL @f: none). */
void lock_release_posix(struct fdtable *ft, struct file *f);
/* The last reference to @f is gone: its OFD and flock locks go. */
void lock_release_file(struct file *f);

/* fdtable.c */
struct fdtable {
	int refcount;
	unsigned int size;	/* slots in @files and @cloexec */
	unsigned int max;	/* RLIMIT_NOFILE: fds are below it */
	struct file **files;
	bool *cloexec;
};

#define FDTABLE_DEFAULT_MAX	1024

/* The file at @fd with a new reference, or NULL (-EBADF). */
struct file *fd_get(struct fdtable *ft, int fd);
/* The same for I/O (read, write, lseek, ioctl, getdents): O_PATH files are
 * NULL (-EBADF) there, as with Linux's fdget(). */
struct file *fd_get_io(struct fdtable *ft, int fd);
/*
 * fd_install() - put @f at the lowest free fd >= @minfd. The table takes
 * over the caller's reference on success. Return: the fd, -EMFILE, -EINVAL
 * (@minfd out of range) or -ENOMEM.
 */
int fd_install(struct fdtable *ft, int minfd, struct file *f, bool cloexec);
/* dup2 semantics: put @f at @fd, closing what was there (takes a reference
 * of its own). Return: @fd, -EBADF (out of range) or -ENOMEM. */
int fd_install_at(struct fdtable *ft, int fd, struct file *f, bool cloexec);
/* Return: 0 or -EBADF. */
int fd_close(struct fdtable *ft, int fd);
/* close-on-exec flag of @fd: 0/1, or -EBADF. */
int fd_get_cloexec(struct fdtable *ft, int fd);
int fd_set_cloexec(struct fdtable *ft, int fd, bool on);
/* Create an empty table (tests and future fork). */
int fdtable_create(struct fdtable **out);

/* stdio.c */
/* A file for host fd @hfd (0, 1 or 2): reads and writes go to the host. */
struct file *stdio_file_create(int hfd);

#endif /* FS_VFS_INTERNAL_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * sys_file_test.c: fs/sys_file.c and fs/fdtable.c: open flags on a read-only
 * image, fds, fcntl, dup, getdents64, readlink, access, cwd.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/misc.h"
#include "abi/linux/stat.h"

#include "fs_fixture.h"

TestSuite(sys_file, .init = fx_boot_standard, .fini = fx_teardown);

static long openat_(int dirfd, const char *path, int flags)
{
	return SYS(openat, A(dirfd), fx_ustr(path), A(flags), 0);
}

static long open_(const char *path, int flags)
{
	return openat_(AT_FDCWD, path, flags);
}

Test(sys_file, open_read_close)
{
	uaddr_t buf = fx_ualloc(64);
	char got[64] = { 0 };
	long fd = open_("/etc/passwd", O_RDONLY);

	cr_assert_eq(fd, 3, "the lowest free fd after stdio");
	cr_assert_eq(SYS(read, A(fd), buf, 64), 30);
	fx_uread(got, buf, 30);
	cr_assert_str_eq(got, "root:x:0:0:root:/root:/bin/sh\n");
	cr_assert_eq(SYS(read, A(fd), buf, 64), 0, "EOF");
	cr_assert_eq(SYS(close, A(fd)), 0);
	cr_assert_eq(SYS(close, A(fd)), -EBADF);
	cr_assert_eq(SYS(close, A(-1)), -EBADF);
	cr_assert_eq(SYS(read, A(fd), buf, 64), -EBADF);
	cr_assert_eq(open_("etc/passwd", O_RDONLY), 3, "fd 3 is free again");
	cr_assert_eq(open_("bin/sh", O_RDONLY), 4);
}

Test(sys_file, open_flags_on_the_read_only_image)
{
	cr_assert_eq(open_("etc/passwd", O_WRONLY), -EROFS);
	cr_assert_eq(open_("etc/passwd", O_RDWR), -EROFS);
	cr_assert_eq(open_("etc/passwd", O_RDONLY | O_TRUNC), -EROFS);
	cr_assert_geq(open_("etc/passwd", O_RDONLY | O_CREAT), 0, "O_CREAT of an existing file");
	cr_assert_eq(open_("etc/passwd", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	cr_assert_eq(open_("bin/sh", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	cr_assert_eq(open_("etc/new", O_WRONLY | O_CREAT), -EROFS);
	cr_assert_eq(open_("etc/new", O_RDONLY | O_CREAT), -EROFS);
	cr_assert_eq(open_("nodir/new", O_WRONLY | O_CREAT), -ENOENT);
	cr_assert_eq(open_("etc/new", O_RDONLY), -ENOENT);
	cr_assert_eq(open_("etc", O_WRONLY), -EISDIR);
	cr_assert_eq(open_("etc", O_RDONLY | O_CREAT), -EISDIR);
	cr_assert_geq(open_("etc", O_RDONLY), 0);
	cr_assert_eq(open_("etc/passwd", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	cr_assert_geq(open_("dirlink", O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(open_("bin/sh", O_RDONLY | O_NOFOLLOW), -ELOOP);
	cr_assert_geq(open_("dirlink/passwd", O_RDONLY | O_NOFOLLOW), 0);
	cr_assert_geq(open_("dev/null", O_RDWR), 0, "the sentry's /dev, not the image's");
	cr_assert_eq(open_("loop1", O_RDONLY), -ELOOP);
	cr_assert_eq(open_("", O_RDONLY), -ENOENT);
}

Test(sys_file, open_checks_permissions)
{
	fx_task->euid = fx_task->uid = 1000;
	fx_task->egid = fx_task->gid = 1000;
	cr_assert_eq(open_("etc/secret", O_RDONLY), -EACCES);
	cr_assert_eq(open_("private/file", O_RDONLY), -EACCES);
	cr_assert_geq(open_("etc/passwd", O_RDONLY), 0);
	cr_assert_eq(open_("etc/passwd", O_WRONLY), -EROFS, "read-only before permissions");
}

Test(sys_file, o_path_files)
{
	uaddr_t buf = fx_ualloc(16);
	struct linux_stat st;
	uaddr_t ust = fx_ualloc(sizeof(st));
	long fd = open_("bin/sh", O_PATH | O_NOFOLLOW);

	cr_assert_geq(fd, 0);
	cr_assert_eq(SYS(read, A(fd), buf, 16), -EBADF);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_SET), -EBADF);
	cr_assert_eq(SYS(fstat, A(fd), ust), 0);
	fx_uread(&st, ust, sizeof(st));
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(SYS(readlinkat, A(fd), fx_ustr(""), buf, 16), 12);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFL), O_PATH | O_NOFOLLOW);
	fd = open_("etc", O_PATH);
	cr_assert_eq(SYS(getdents64, A(fd), buf, 16), -EBADF);
	cr_assert_geq(openat_((int)fd, "passwd", O_RDONLY), 0, "an O_PATH dirfd works");
	cr_assert_eq(SYS(fchdir, A(fd)), 0);
}

Test(sys_file, openat_dirfd)
{
	long dir = open_("etc", O_RDONLY | O_DIRECTORY);
	long file = open_("etc/passwd", O_RDONLY);

	cr_assert_geq(openat_((int)dir, "passwd", O_RDONLY), 0);
	cr_assert_geq(openat_((int)file, "/etc/passwd", O_RDONLY), 0, "absolute: dirfd unused");
	cr_assert_eq(openat_((int)file, "x", O_RDONLY), -ENOTDIR);
	cr_assert_eq(openat_(99, "x", O_RDONLY), -EBADF);
	cr_assert_eq(openat_(1, "x", O_RDONLY), -ENOTDIR, "stdio is not a directory");
}

Test(sys_file, fd_limit_is_emfile)
{
	long fd, n = 0;

	while ((fd = SYS(dup, 0)) >= 0)
		n++;
	cr_assert_eq(fd, -EMFILE);
	cr_assert_eq(n, 1024 - 3, "fds 0-1023");
	cr_assert_eq(SYS(fcntl, 0, F_DUPFD, 1024), -EINVAL);
	cr_assert_eq(SYS(dup2, 0, 1024), -EBADF);
	cr_assert_eq(SYS(close, 500), 0);
	cr_assert_eq(open_("etc/passwd", O_RDONLY), 500);
}

Test(sys_file, dup_family)
{
	long fd = open_("etc/passwd", O_RDONLY), d;

	d = SYS(dup, A(fd));
	cr_assert_eq(d, fd + 1);
	cr_assert_eq(SYS(lseek, A(fd), 5, SEEK_SET), 5);
	cr_assert_eq(SYS(lseek, A(d), 0, SEEK_CUR), 5, "dups share the file position");
	cr_assert_eq(SYS(dup2, A(fd), 10), 10);
	cr_assert_eq(SYS(dup2, A(fd), 10), 10, "onto itself again");
	cr_assert_eq(SYS(dup2, 10, 10), 10);
	cr_assert_eq(SYS(dup2, 77, 10), -EBADF);
	cr_assert_eq(SYS(dup2, 1, A(d)), d, "closes what was there");
	cr_assert_eq(SYS(lseek, A(d), 0, SEEK_CUR), -ESPIPE, "it is stdout now");
	cr_assert_eq(SYS(dup3, A(fd), A(fd), 0), -EINVAL);
	cr_assert_eq(SYS(dup3, A(fd), 11, A(O_NONBLOCK)), -EINVAL);
	cr_assert_eq(SYS(dup3, A(fd), 11, A(O_CLOEXEC)), 11);
	cr_assert_eq(SYS(fcntl, 11, F_GETFD), FD_CLOEXEC);
	cr_assert_eq(SYS(fcntl, 10, F_GETFD), 0);
	cr_assert_eq(SYS(dup, 99), -EBADF);
}

Test(sys_file, fcntl)
{
	long fd = open_("etc/passwd", O_RDONLY | O_CLOEXEC);
	struct { int16_t type, whence; int32_t pad; int64_t start, len; int32_t pid, pad2; } fl = { .type = 1 };
	uaddr_t ufl = fx_ualloc(sizeof(fl));

	cr_assert_eq(SYS(fcntl, A(fd), F_GETFD), FD_CLOEXEC);
	cr_assert_eq(SYS(fcntl, A(fd), F_SETFD, 0), 0);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFD), 0);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFL), O_RDONLY | O_LARGEFILE);
	cr_assert_eq(SYS(fcntl, A(fd), F_SETFL, A(O_NONBLOCK | O_APPEND | O_RDWR | O_DSYNC)), 0);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFL), O_RDONLY | O_LARGEFILE | O_NONBLOCK | O_APPEND);
	cr_assert_eq(SYS(fcntl, A(fd), F_DUPFD, 20), 20);
	cr_assert_eq(SYS(fcntl, A(fd), F_DUPFD, 20), 21, "the lowest free at or above");
	cr_assert_eq(SYS(fcntl, A(fd), F_DUPFD_CLOEXEC, 0), 4);
	cr_assert_eq(SYS(fcntl, 4, F_GETFD), FD_CLOEXEC);
	cr_assert_eq(SYS(fcntl, A(fd), 12345), -EINVAL);
	cr_assert_eq(SYS(fcntl, 99, F_GETFD), -EBADF);
	cr_assert_eq(SYS(fcntl, 1, F_GETFL), O_RDWR | O_LARGEFILE);
	/* record locks: one process, so they never conflict */
	cr_assert_eq(copy_to_user(ufl, &fl, sizeof(fl)), 0);
	cr_assert_eq(SYS(fcntl, A(fd), 6 /* F_SETLK */, ufl), -EBADF, "a write lock needs write access");
	fl.type = 0;
	cr_assert_eq(copy_to_user(ufl, &fl, sizeof(fl)), 0);
	cr_assert_eq(SYS(fcntl, A(fd), 6, ufl), 0);
	cr_assert_eq(SYS(fcntl, A(fd), 5 /* F_GETLK */, ufl), 0);
	fx_uread(&fl, ufl, sizeof(fl));
	cr_assert_eq(fl.type, 2, "F_UNLCK");
}

Test(sys_file, ioctl)
{
	long fd = open_("etc/passwd", O_RDONLY);
	uaddr_t arg = fx_ualloc(64);

	cr_assert_eq(SYS(ioctl, A(fd), TCGETS, arg), -ENOTTY);
	cr_assert_eq(SYS(ioctl, 1, TCGETS, arg), -ENOTTY, "the fake's stdio are pipes");
	cr_assert_eq(SYS(ioctl, A(fd), FIOCLEX, 0), 0);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFD), FD_CLOEXEC);
	cr_assert_eq(SYS(ioctl, A(fd), 0x5450 /* FIONCLEX */, 0), 0);
	cr_assert_eq(SYS(fcntl, A(fd), F_GETFD), 0);
	cr_assert_eq(copy_to_user(arg, &(int){ 1 }, sizeof(int)), 0);
	cr_assert_eq(SYS(ioctl, A(fd), FIONBIO, arg), 0);
	cr_assert(SYS(fcntl, A(fd), F_GETFL) & O_NONBLOCK);
	cr_assert_eq(SYS(ioctl, 99, TCGETS, arg), -EBADF);
}

/* Read the linux_dirent64 records of one getdents64 answer of @n bytes. */
static int parse_dirents(const uint8_t *buf, long n, char names[][32], uint8_t *types,
			 int64_t *offs)
{
	int count = 0;

	for (long off = 0; off < n; count++) {
		const struct linux_dirent64 *d = (const void *)(buf + off);

		cr_assert_eq(d->d_reclen % 8, 0, "d_reclen is 8-byte aligned");
		cr_assert_geq(d->d_reclen, 19 + strlen(d->d_name) + 1);
		cr_assert_neq(d->d_ino, 0);
		strncpy(names[count], d->d_name, 31);
		types[count] = d->d_type;
		offs[count] = d->d_off;
		off += d->d_reclen;
		cr_assert_leq(off, n);
	}
	return count;
}

Test(sys_file, getdents64)
{
	long fd = open_("etc", O_RDONLY | O_DIRECTORY);
	uaddr_t ubuf = fx_ualloc(4096);
	uint8_t buf[4096];
	char names[8][32];
	uint8_t types[8];
	int64_t offs[8];
	long n;

	n = SYS(getdents64, A(fd), ubuf, 4096);
	cr_assert_gt(n, 0);
	fx_uread(buf, ubuf, (size_t)n);
	cr_assert_eq(parse_dirents(buf, n, names, types, offs), 4);
	cr_assert_str_eq(names[0], ".");
	cr_assert_str_eq(names[1], "..");
	cr_assert_str_eq(names[2], "passwd");
	cr_assert_str_eq(names[3], "secret");
	cr_assert_eq(types[0], DT_DIR);
	cr_assert_eq(types[2], DT_REG);
	cr_assert_eq(offs[0], 1);
	cr_assert_eq(offs[3], 4);
	cr_assert_eq(SYS(getdents64, A(fd), ubuf, 4096), 0, "the end");
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_SET), 0);
	cr_assert_eq(SYS(getdents64, A(fd), ubuf, 4096), n, "rewound");
	cr_assert_eq(SYS(lseek, A(fd), offs[1], SEEK_SET), offs[1]);
	n = SYS(getdents64, A(fd), ubuf, 4096);
	fx_uread(buf, ubuf, (size_t)n);
	cr_assert_eq(parse_dirents(buf, n, names, types, offs), 2, "resumed at a d_off");
	cr_assert_str_eq(names[0], "passwd");
}

Test(sys_file, getdents64_small_buffers)
{
	long fd = open_("bin", O_RDONLY | O_DIRECTORY), n;
	uaddr_t ubuf = fx_ualloc(64);
	uint8_t buf[64];
	char names[8][32], all[16][32];
	uint8_t types[8];
	int64_t offs[8];
	int count = 0;

	cr_assert_eq(SYS(getdents64, A(fd), ubuf, 10), -EINVAL, "no room for one entry");
	while ((n = SYS(getdents64, A(fd), ubuf, 32)) > 0) {
		fx_uread(buf, ubuf, (size_t)n);
		cr_assert_eq(parse_dirents(buf, n, names, types, offs), 1);
		strcpy(all[count++], names[0]);
	}
	cr_assert_eq(n, 0);
	cr_assert_eq(count, 6, ". .. busybox sh ls noexec");
	cr_assert_str_eq(all[3], "sh");
	cr_assert_eq(SYS(getdents64, A(open_("etc/passwd", O_RDONLY)), ubuf, 64), -ENOTDIR);
	cr_assert_eq(SYS(getdents64, 0, ubuf, 64), -ENOTDIR);
}

Test(sys_file, readlink)
{
	uaddr_t buf = fx_ualloc(64);
	char got[64] = { 0 };

	cr_assert_eq(SYS(readlink, fx_ustr("bin/sh"), buf, 64), 12);
	fx_uread(got, buf, 13);
	cr_assert_str_eq(got, "/bin/busybox", "no NUL is written");
	cr_assert_eq(SYS(readlink, fx_ustr("bin/ls"), buf, 4), 4);
	fx_uread(got, buf, 13);
	cr_assert_eq(memcmp(got, "busy/busybox", 12), 0, "truncated");
	cr_assert_eq(SYS(readlink, fx_ustr("etc/passwd"), buf, 64), -EINVAL);
	cr_assert_eq(SYS(readlink, fx_ustr("bin/sh"), buf, 0), -EINVAL);
	cr_assert_eq(SYS(readlink, fx_ustr("nope"), buf, 64), -ENOENT);
	cr_assert_eq(SYS(readlink, fx_ustr("dirlink/passwd"), buf, 64), -EINVAL);
	cr_assert_eq(SYS(readlinkat, A(open_("bin", O_RDONLY)), fx_ustr("sh"), buf, 64), 12);
	cr_assert_eq(SYS(readlinkat, A(AT_FDCWD), fx_ustr(""), buf, 64), -ENOENT);
}

Test(sys_file, access)
{
	uaddr_t bb = fx_ustr("bin/busybox");

	cr_assert_eq(SYS(access, fx_ustr("etc/passwd"), F_OK), 0);
	cr_assert_eq(SYS(access, fx_ustr("etc/nope"), F_OK), -ENOENT);
	cr_assert_eq(SYS(access, fx_ustr("etc/passwd"), R_OK), 0);
	cr_assert_eq(SYS(access, fx_ustr("etc/passwd"), W_OK), -EROFS);
	cr_assert_eq(SYS(access, fx_ustr("etc"), W_OK), -EROFS);
	cr_assert_eq(SYS(access, bb, X_OK), 0);
	cr_assert_eq(SYS(access, fx_ustr("bin/noexec"), X_OK), -EACCES, "root needs an x bit");
	cr_assert_eq(SYS(access, fx_ustr("etc"), X_OK), 0);
	cr_assert_eq(SYS(access, fx_ustr("dev/null"), W_OK), 0, "devices are not read-only");
	cr_assert_eq(SYS(access, bb, 8), -EINVAL);
	cr_assert_eq(SYS(faccessat, A(AT_FDCWD), fx_ustr("dangling"), F_OK), -ENOENT);
	cr_assert_eq(SYS(faccessat2, A(AT_FDCWD), fx_ustr("dangling"), F_OK,
			 A(AT_SYMLINK_NOFOLLOW)), 0);
	cr_assert_eq(SYS(faccessat2, A(AT_FDCWD), bb, F_OK, 0x8000), -EINVAL);
	/* the real ids decide unless AT_EACCESS */
	fx_task->uid = fx_task->gid = 1000;
	cr_assert_eq(SYS(access, fx_ustr("etc/secret"), R_OK), -EACCES);
	cr_assert_eq(SYS(faccessat2, A(AT_FDCWD), fx_ustr("etc/secret"), R_OK, A(AT_EACCESS)), 0);
	cr_assert_eq(SYS(access, fx_ustr("private/file"), F_OK), -EACCES);
	cr_assert_eq(SYS(access, bb, X_OK), 0);
	cr_assert_eq(SYS(faccessat2, 3, fx_ustr(""), R_OK, A(AT_EMPTY_PATH)), -EBADF);
	cr_assert_eq(SYS(faccessat2, A(open_("etc/passwd", O_RDONLY)), fx_ustr(""), R_OK,
			 A(AT_EMPTY_PATH)), 0);
}

Test(sys_file, getcwd_chdir_fchdir)
{
	uaddr_t buf = fx_ualloc(64);
	char got[64];

	cr_assert_eq(SYS(getcwd, buf, 64), 2);
	fx_uread(got, buf, 2);
	cr_assert_str_eq(got, "/");
	cr_assert_eq(SYS(chdir, fx_ustr("dirlink")), 0);
	cr_assert_eq(SYS(getcwd, buf, 64), 5);
	fx_uread(got, buf, 5);
	cr_assert_str_eq(got, "/etc", "the directory, not the link's name");
	cr_assert_eq(SYS(getcwd, buf, 4), -ERANGE);
	cr_assert_geq(open_("passwd", O_RDONLY), 0, "relative to the new cwd");
	cr_assert_eq(SYS(chdir, fx_ustr("passwd")), -ENOTDIR);
	cr_assert_eq(SYS(chdir, fx_ustr("nope")), -ENOENT);
	cr_assert_eq(SYS(chdir, fx_ustr("../usr/lib")), 0);
	cr_assert_eq(SYS(getcwd, buf, 64), 9);
	fx_uread(got, buf, 9);
	cr_assert_str_eq(got, "/usr/lib");
	cr_assert_eq(SYS(fchdir, A(open_("/bin", O_RDONLY))), 0);
	cr_assert_eq(SYS(getcwd, buf, 64), 5);
	cr_assert_eq(SYS(fchdir, A(open_("/etc/passwd", O_RDONLY))), -ENOTDIR);
	cr_assert_eq(SYS(fchdir, 1), -ENOTDIR);
	cr_assert_eq(SYS(fchdir, 99), -EBADF);
	fx_task->euid = 1000;
	cr_assert_eq(SYS(chdir, fx_ustr("/private")), -EACCES);
}

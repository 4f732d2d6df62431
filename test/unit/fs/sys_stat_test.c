// SPDX-License-Identifier: Apache-2.0
/* sys_stat_test.c: fs/sys_stat.c: stat, lstat, fstat, newfstatat, statx. */
#include <criterion/criterion.h>
#include <string.h>

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "../../../fs/tarfs/tarfs.h"
#include "fs_fixture.h"

TestSuite(sys_stat, .init = fx_boot_standard, .fini = fx_teardown);

static struct linux_stat st_;
static uaddr_t ust;

static long stat_(const char *name, const char *path)
{
	long err;

	ust = fx_ualloc(sizeof(st_));
	if (!strcmp(name, "stat"))
		err = SYS(stat, fx_ustr(path), ust);
	else
		err = SYS(lstat, fx_ustr(path), ust);
	if (!err)
		fx_uread(&st_, ust, sizeof(st_));
	return err;
}

Test(sys_stat, stat_of_a_file)
{
	cr_assert_eq(stat_("stat", "etc/passwd"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0644);
	cr_assert_eq(st_.st_size, 30);
	cr_assert_eq(st_.st_nlink, 1);
	cr_assert_eq(st_.st_blksize, 4096);
	cr_assert_eq(st_.st_blocks, 1);
	cr_assert_eq(st_.st_mtime_sec, 1700000000);
	cr_assert_eq(st_.st_atime_sec, 1700000000);
	cr_assert_eq(st_.st_ctime_sec, 1700000000);
	cr_assert_eq(st_.st_dev, TARFS_DEV);
	cr_assert_eq(st_.st_uid, 0);
}

Test(sys_stat, inode_numbers_are_unique_and_shared_by_links)
{
	uint64_t passwd, busybox, sh, root;

	stat_("stat", "etc/passwd");
	passwd = st_.st_ino;
	stat_("stat", "bin/busybox");
	busybox = st_.st_ino;
	stat_("stat", "bin/sh");
	sh = st_.st_ino;
	stat_("stat", "/");
	root = st_.st_ino;
	cr_assert_neq(passwd, busybox);
	cr_assert_eq(sh, busybox);
	cr_assert_neq(root, passwd);
	cr_assert(S_ISDIR(st_.st_mode));
	cr_assert_eq(st_.st_nlink, 2 + 10,
		     "2 + subdirectories of /: etc bin usr a empty private chain, tmp, dev, proc");
}

Test(sys_stat, lstat_sees_the_link)
{
	cr_assert_eq(stat_("lstat", "bin/sh"), 0);
	cr_assert_eq(st_.st_mode, S_IFLNK | 0777);
	cr_assert_eq(st_.st_size, 12, "the target's length");
	cr_assert_eq(stat_("stat", "bin/sh"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0755);
	cr_assert_eq(stat_("stat", "dangling"), -ENOENT);
	cr_assert_eq(stat_("lstat", "dangling"), 0);
	cr_assert_eq(stat_("stat", "dev/null"), 0);
	cr_assert_eq(st_.st_mode, S_IFCHR | 0666);
	cr_assert_eq(st_.st_rdev, 0x103);
	cr_assert_eq(stat_("stat", "etc/passwd/"), -ENOTDIR);
}

Test(sys_stat, fstat_and_newfstatat)
{
	long fd = SYS(openat, A(AT_FDCWD), fx_ustr("etc/passwd"), O_RDONLY, 0);
	uaddr_t u = fx_ualloc(sizeof(st_));

	cr_assert_eq(SYS(fstat, A(fd), u), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert_eq(st_.st_size, 30);
	cr_assert_eq(SYS(fstat, 1, u), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert(S_ISFIFO(st_.st_mode), "stdio: the host's answer");
	cr_assert_eq(SYS(fstat, 99, u), -EBADF);
	cr_assert_eq(SYS(fstat, A(fd), 0x1000), -EFAULT);

	cr_assert_eq(SYS(newfstatat, A(fd), fx_ustr(""), u, A(AT_EMPTY_PATH)), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert_eq(st_.st_size, 30);
	cr_assert_eq(SYS(newfstatat, A(fd), 0, u, A(AT_EMPTY_PATH)), 0, "NULL path");
	cr_assert_eq(SYS(newfstatat, A(fd), fx_ustr(""), u, 0), -ENOENT);
	cr_assert_eq(SYS(newfstatat, A(AT_FDCWD), fx_ustr(""), u, A(AT_EMPTY_PATH)), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert(S_ISDIR(st_.st_mode), "the cwd");
	cr_assert_eq(SYS(newfstatat, A(AT_FDCWD), fx_ustr("bin/sh"), u, A(AT_SYMLINK_NOFOLLOW)), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert(S_ISLNK(st_.st_mode));
	cr_assert_eq(SYS(newfstatat, A(AT_FDCWD), fx_ustr("bin/sh"), u, 0x4), -EINVAL);
	fd = SYS(openat, A(AT_FDCWD), fx_ustr("bin"), O_RDONLY, 0);
	cr_assert_eq(SYS(newfstatat, A(fd), fx_ustr("busybox"), u, 0), 0);
	fx_uread(&st_, u, sizeof(st_));
	cr_assert_eq(st_.st_mode, S_IFREG | 0755);
}

Test(sys_stat, statx_matches_stat)
{
	struct linux_statx sx;
	uaddr_t u = fx_ualloc(sizeof(sx));

	cr_assert_eq(stat_("stat", "bin/busybox"), 0);
	cr_assert_eq(SYS(statx, A(AT_FDCWD), fx_ustr("bin/sh"), 0, STATX_BASIC_STATS, u), 0);
	fx_uread(&sx, u, sizeof(sx));
	cr_assert_eq(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	cr_assert_eq(sx.stx_mode, st_.st_mode);
	cr_assert_eq(sx.stx_ino, st_.st_ino);
	cr_assert_eq(sx.stx_size, (uint64_t)st_.st_size);
	cr_assert_eq(sx.stx_nlink, st_.st_nlink);
	cr_assert_eq(sx.stx_blksize, 4096);
	cr_assert_eq(sx.stx_blocks, (uint64_t)st_.st_blocks);
	cr_assert_eq(sx.stx_mtime.tv_sec, 1700000000);
	cr_assert_eq(sx.stx_dev_major, 0);
	cr_assert_eq(sx.stx_dev_minor, TARFS_DEV);
	cr_assert_eq(SYS(statx, A(AT_FDCWD), fx_ustr("bin/sh"), A(AT_SYMLINK_NOFOLLOW), 0, u), 0);
	fx_uread(&sx, u, sizeof(sx));
	cr_assert_eq(sx.stx_mode, S_IFLNK | 0777);
	cr_assert_eq(SYS(statx, A(AT_FDCWD), fx_ustr("dev/null"), 0, 0, u), 0);
	fx_uread(&sx, u, sizeof(sx));
	cr_assert_eq(sx.stx_rdev_major, 1);
	cr_assert_eq(sx.stx_rdev_minor, 3);
	cr_assert_eq(SYS(statx, A(AT_FDCWD), fx_ustr("bin/sh"), 0x6000, 0, u), -EINVAL);
	cr_assert_eq(SYS(statx, A(AT_FDCWD), fx_ustr("bin/sh"), 0, 0x80000000U, u), -EINVAL);
	cr_assert_eq(SYS(statx, 1, 0, A(AT_EMPTY_PATH), 0, u), 0);
	fx_uread(&sx, u, sizeof(sx));
	cr_assert(S_ISFIFO(sx.stx_mode));
}

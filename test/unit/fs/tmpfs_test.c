// SPDX-License-Identifier: Apache-2.0
/*
 * tmpfs_test.c: fs/tmpfs and the syscalls that change the tree, in /tmp of
 * the default (read-only) root: files, holes, truncate, rename, unlink,
 * directories, links, modes, owners, times, umask, getdents.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/misc.h"
#include "abi/linux/stat.h"
#include "abi/linux/time.h"

#include "fs_fixture.h"

TestSuite(tmpfs, .init = fx_boot_standard, .fini = fx_teardown);

static struct linux_stat st_;

static long stat_(const char *path)
{
	uaddr_t u = fx_ualloc(sizeof(st_));
	long err = SYS(newfstatat, A(AT_FDCWD), fx_ustr(path), u, AT_SYMLINK_NOFOLLOW);

	if (!err)
		fx_uread(&st_, u, sizeof(st_));
	return err;
}

/* The names of directory @path, space-separated, in getdents order. */
static const char *names(const char *path, char *out, size_t len)
{
	long fd = fx_open(path, O_RDONLY | O_DIRECTORY, 0), n;
	uaddr_t u = fx_ualloc(4096);
	char buf[4096];

	out[0] = '\0';
	cr_assert_geq(fd, 0);
	while ((n = SYS(getdents64, A(fd), u, 4096)) > 0) {
		fx_uread(buf, u, (size_t)n);
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
				strncat(out, d->d_name, len - strlen(out) - 2);
				strcat(out, " ");
			}
			off += d->d_reclen;
		}
	}
	SYS(close, A(fd));
	return out;
}

Test(tmpfs, tmp_is_a_sticky_world_writable_directory)
{
	cr_assert_eq(stat_("/tmp"), 0);
	cr_assert_eq(st_.st_mode, S_IFDIR | 01777);
	cr_assert_eq(stat_("/dev/shm"), 0);
	cr_assert_eq(st_.st_mode, S_IFDIR | 01777);
}

Test(tmpfs, a_new_file_reads_back_what_was_written)
{
	char got[64];
	long fd = fx_open("/tmp/f", O_RDWR | O_CREAT | O_EXCL, 0644);

	cr_assert_geq(fd, 3);
	cr_assert_eq(fx_write_str(fd, "hello, world"), 12);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_SET), 0);
	cr_assert_eq(fx_read_str(fd, got, sizeof(got)), 12);
	cr_assert_str_eq(got, "hello, world");
	cr_assert_eq(fx_open("/tmp/f", O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0644);
	cr_assert_eq(st_.st_size, 12);
	cr_assert_eq(st_.st_nlink, 1);
	cr_assert_str_eq(fx_slurp("/tmp/f", got, sizeof(got)), "hello, world");
}

Test(tmpfs, the_umask_is_applied_to_new_files_and_directories)
{
	cr_assert_eq(SYS(umask, 027), 022, "the default umask");
	cr_assert_geq(fx_open("/tmp/u", O_WRONLY | O_CREAT, 0666), 0);
	cr_assert_eq(stat_("/tmp/u"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0640);
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d"), 0777), 0);
	cr_assert_eq(stat_("/tmp/d"), 0);
	cr_assert_eq(st_.st_mode, S_IFDIR | 0750);
	cr_assert_eq(SYS(umask, 0), 027);
}

Test(tmpfs, pwrite_append_and_trunc)
{
	char got[64];
	long fd = fx_open("/tmp/f", O_RDWR | O_CREAT, 0600), afd;

	cr_assert_eq(fx_write_str(fd, "0123456789"), 10);
	cr_assert_eq(SYS(pwrite64, A(fd), fx_ustr("AB"), 2, 4), 2);
	cr_assert_str_eq(fx_slurp("/tmp/f", got, sizeof(got)), "0123AB6789");
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_CUR), 10, "pwrite leaves the position");
	afd = fx_open("/tmp/f", O_WRONLY | O_APPEND, 0);
	cr_assert_eq(SYS(lseek, A(afd), 0, SEEK_SET), 0);
	cr_assert_eq(fx_write_str(afd, "+"), 1);
	cr_assert_str_eq(fx_slurp("/tmp/f", got, sizeof(got)), "0123AB6789+", "O_APPEND writes at the end");
	cr_assert_geq(fx_open("/tmp/f", O_WRONLY | O_TRUNC, 0), 0);
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(st_.st_size, 0, "O_TRUNC empties it");
}

Test(tmpfs, holes_read_as_zeros_and_seek_data_finds_data)
{
	long fd = fx_open("/tmp/sparse", O_RDWR | O_CREAT, 0600);
	uaddr_t u = fx_ualloc(16);
	char got[16];

	cr_assert_eq(SYS(pwrite64, A(fd), fx_ustr("x"), 1, 3 * 4096 + 5), 1);
	cr_assert_eq(stat_("/tmp/sparse"), 0);
	cr_assert_eq(st_.st_size, 3 * 4096 + 6);
	cr_assert_eq(SYS(pread64, A(fd), u, 8, 4096), 8);
	fx_uread(got, u, 8);
	cr_assert_eq(memcmp(got, "\0\0\0\0\0\0\0\0", 8), 0, "a hole reads zeros");
	cr_assert_eq(SYS(lseek, A(fd), 0, 3), 3 * 4096);
	cr_assert_eq(SYS(lseek, A(fd), 0, 4), 0);
	cr_assert_eq(SYS(lseek, A(fd), 3 * 4096, 4), 3 * 4096 + 6, "the end is a hole");
}

Test(tmpfs, truncate_shrinks_and_grows_with_zeros)
{
	long fd = fx_open("/tmp/t", O_RDWR | O_CREAT, 0600);
	uaddr_t u = fx_ualloc(16);
	char got[16];

	cr_assert_eq(fx_write_str(fd, "abcdefgh"), 8);
	cr_assert_eq(SYS(ftruncate, A(fd), 3), 0);
	cr_assert_eq(SYS(truncate, fx_ustr("/tmp/t"), 6), 0);
	cr_assert_eq(SYS(pread64, A(fd), u, 16, 0), 6);
	fx_uread(got, u, 6);
	cr_assert_eq(memcmp(got, "abc\0\0\0", 6), 0, "the cut bytes come back as zeros");
	cr_assert_eq(SYS(ftruncate, A(fd), -1), -EINVAL);
	cr_assert_eq(SYS(ftruncate, A(fx_open("/tmp/t", O_RDONLY, 0)), 0), -EINVAL,
		     "ftruncate needs a writable fd");
	cr_assert_eq(SYS(truncate, fx_ustr("/tmp"), 0), -EISDIR);
	cr_assert_eq(SYS(truncate, fx_ustr("/etc/passwd"), 0), -EROFS);
}

Test(tmpfs, rename_moves_and_replaces)
{
	char got[32], ls[256];

	fx_write_str(fx_open("/tmp/a", O_WRONLY | O_CREAT, 0600), "A");
	fx_write_str(fx_open("/tmp/b", O_WRONLY | O_CREAT, 0600), "B");
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/a"), fx_ustr("/tmp/b")), 0);
	cr_assert_str_eq(fx_slurp("/tmp/b", got, sizeof(got)), "A", "over an existing file");
	cr_assert_eq(stat_("/tmp/a"), -ENOENT);
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d"), 0755), 0);
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/b"), fx_ustr("/tmp/d/c")), 0);
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/d"), fx_ustr("/tmp/e")), 0, "a directory");
	cr_assert_str_eq(fx_slurp("/tmp/e/c", got, sizeof(got)), "A");
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/e"), fx_ustr("/tmp/e/x")), -EINVAL,
		     "into itself");
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/f"), 0755), 0);
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/f"), fx_ustr("/tmp/e")), -ENOTEMPTY);
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/e/c"), fx_ustr("/tmp/f")), -EISDIR);
	cr_assert_eq(SYS(renameat2, A(AT_FDCWD), fx_ustr("/tmp/f"), A(AT_FDCWD),
			 fx_ustr("/tmp/e"), 1), -EEXIST, "RENAME_NOREPLACE");
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/e/c"), fx_ustr("/etc/c")), -EXDEV,
		     "the read-only root is another filesystem");
	cr_assert_str_eq(names("/tmp", ls, sizeof(ls)), "e f ");
}

Test(tmpfs, unlink_and_rmdir)
{
	char got[32];
	long fd;

	fd = fx_open("/tmp/gone", O_RDWR | O_CREAT, 0600);
	fx_write_str(fd, "still here");
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/gone")), 0);
	cr_assert_eq(stat_("/tmp/gone"), -ENOENT);
	cr_assert_eq(SYS(lseek, A(fd), 0, SEEK_SET), 0);
	cr_assert_eq(fx_read_str(fd, got, sizeof(got)), 10, "an open file outlives its name");
	cr_assert_str_eq(got, "still here");
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/gone")), -ENOENT);
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d"), 0755), 0);
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d"), 0755), -EEXIST);
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d/e/f"), 0755), -ENOENT);
	cr_assert_geq(fx_open("/tmp/d/x", O_WRONLY | O_CREAT, 0600), 0);
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/d")), -EISDIR);
	cr_assert_eq(SYS(rmdir, fx_ustr("/tmp/d")), -ENOTEMPTY);
	cr_assert_eq(SYS(rmdir, fx_ustr("/tmp/d/x")), -ENOTDIR);
	cr_assert_eq(SYS(unlinkat, A(AT_FDCWD), fx_ustr("/tmp/d/x"), 0), 0);
	cr_assert_eq(SYS(unlinkat, A(AT_FDCWD), fx_ustr("/tmp/d/"), A(AT_REMOVEDIR)), 0);
	cr_assert_eq(stat_("/tmp/d"), -ENOENT);
	cr_assert_eq(SYS(rmdir, fx_ustr("/etc")), -EROFS);
	cr_assert_eq(SYS(unlink, fx_ustr("/etc/passwd")), -EROFS);
	cr_assert_eq(SYS(mkdir, fx_ustr("/etc/new"), 0755), -EROFS);
}

Test(tmpfs, a_removed_cwd_takes_no_new_files)
{
	cr_assert_eq(SYS(mkdir, fx_ustr("/tmp/d"), 0755), 0);
	cr_assert_eq(SYS(chdir, fx_ustr("/tmp/d")), 0);
	cr_assert_eq(SYS(rmdir, fx_ustr("/tmp/d")), 0);
	cr_assert_eq(fx_open("new", O_WRONLY | O_CREAT, 0600), -ENOENT);
}

Test(tmpfs, symlinks_and_hard_links)
{
	uaddr_t u = fx_ualloc(64);
	char got[64];

	fx_write_str(fx_open("/tmp/f", O_WRONLY | O_CREAT, 0600), "data");
	cr_assert_eq(SYS(symlink, fx_ustr("f"), fx_ustr("/tmp/s")), 0);
	cr_assert_eq(SYS(readlink, fx_ustr("/tmp/s"), u, 64), 1);
	cr_assert_str_eq(fx_slurp("/tmp/s", got, sizeof(got)), "data");
	cr_assert_eq(SYS(symlink, fx_ustr("x"), fx_ustr("/tmp/s")), -EEXIST);
	cr_assert_eq(SYS(link, fx_ustr("/tmp/f"), fx_ustr("/tmp/h")), 0);
	cr_assert_eq(stat_("/tmp/h"), 0);
	cr_assert_eq(st_.st_nlink, 2);
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/f")), 0);
	cr_assert_str_eq(fx_slurp("/tmp/h", got, sizeof(got)), "data");
	cr_assert_eq(fx_open("/tmp/s", O_RDONLY, 0), -ENOENT, "dangling now");
	cr_assert_geq(fx_open("/tmp/s", O_WRONLY | O_CREAT, 0600), 0,
		      "O_CREAT through a dangling link creates its target");
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(SYS(link, fx_ustr("/tmp"), fx_ustr("/tmp/dl")), -EPERM);
	cr_assert_eq(SYS(link, fx_ustr("/etc/passwd"), fx_ustr("/tmp/p")), -EXDEV,
		     "the read-only image is another filesystem");
}

Test(tmpfs, chmod_chown_and_times)
{
	struct linux_timespec ts[2] = { { 1000, 5 }, { 2000, (1L << 30) - 2 } };
	uaddr_t u = fx_ualloc(sizeof(ts));
	long fd = fx_open("/tmp/f", O_WRONLY | O_CREAT, 0600);

	cr_assert_eq(SYS(chmod, fx_ustr("/tmp/f"), 04755), 0);
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 04755);
	cr_assert_eq(SYS(fchmod, A(fd), 0640), 0);
	cr_assert_eq(SYS(chown, fx_ustr("/tmp/f"), 1000, 1000), 0, "root gives it away");
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(st_.st_uid, 1000);
	cr_assert_eq(st_.st_gid, 1000);
	cr_assert_eq(SYS(chmod, fx_ustr("/etc/passwd"), 0600), -EROFS);
	cr_assert_eq(copy_to_user(u, ts, sizeof(ts)), 0);
	cr_assert_eq(SYS(utimensat, A(AT_FDCWD), fx_ustr("/tmp/f"), u, 0), 0);
	cr_assert_eq(stat_("/tmp/f"), 0);
	cr_assert_eq(st_.st_atime_sec, 1000);
	cr_assert_eq(st_.st_atime_nsec, 5);
	cr_assert_neq(st_.st_mtime_sec, 2000, "UTIME_OMIT keeps mtime");
	cr_assert_eq(SYS(utimensat, A(fd), 0, 0, 0), 0, "futimens: now");
	cr_assert_eq(SYS(fsync, A(fd)), 0);
	cr_assert_eq(SYS(fdatasync, A(99)), -EBADF);
	fx_task->euid = 1000;
	cr_assert_eq(SYS(chown, fx_ustr("/tmp/f"), 0, -1), -EPERM, "only root chowns");
	fx_task->euid = 0;
}

Test(tmpfs, the_sticky_bit_protects_others_files)
{
	cr_assert_geq(fx_open("/tmp/roots", O_WRONLY | O_CREAT, 0666), 0);
	fx_task->euid = 1000;
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/roots")), -EPERM);
	cr_assert_geq(fx_open("/tmp/mine", O_WRONLY | O_CREAT, 0600), 0);
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/mine")), 0);
	fx_task->euid = 0;
}

Test(tmpfs, getdents_sees_additions_and_skips_removals)
{
	char ls[256];

	for (const char *n = "abcde"; *n; n++) {
		char p[16] = "/tmp/";

		p[5] = *n;
		cr_assert_geq(fx_open(p, O_WRONLY | O_CREAT, 0600), 0);
	}
	cr_assert_eq(SYS(unlink, fx_ustr("/tmp/c")), 0);
	cr_assert_str_eq(names("/tmp", ls, sizeof(ls)), "a b d e ");
	cr_assert_eq(SYS(rename, fx_ustr("/tmp/a"), fx_ustr("/tmp/z")), 0);
	cr_assert_str_eq(names("/tmp", ls, sizeof(ls)), "b d e z ");
}

Test(tmpfs, statfs_says_tmpfs)
{
	uint64_t sf[15];
	uaddr_t u = fx_ualloc(sizeof(sf));

	cr_assert_eq(SYS(statfs, fx_ustr("/tmp"), u), 0);
	fx_uread(sf, u, sizeof(sf));
	cr_assert_eq(sf[0], 0x01021994, "TMPFS_MAGIC");
	cr_assert_eq(sf[1], 4096);
	cr_assert_eq(SYS(statfs, fx_ustr("/nope"), u), -ENOENT);
}

// SPDX-License-Identifier: Apache-2.0
/*
 * overlay_test.c: fs/rootfs.c: the root as a writable tree over the image
 * (copy-up on the first change, the image bytes never written, removals
 * and directory listings of image entries), and as a read-only one.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/misc.h"
#include "abi/linux/stat.h"

#include "fs_fixture.h"
#include "tarbuild.h"

TestSuite(overlay, .init = fx_boot_writable, .fini = fx_teardown);
/* tests that boot an image of their own */
TestSuite(overlay_boot, .fini = fx_teardown);
TestSuite(overlay_ro, .init = fx_boot_standard, .fini = fx_teardown);

static struct linux_stat st_;

static long stat_(const char *path)
{
	uaddr_t u = fx_ualloc(sizeof(st_));
	long err = SYS(newfstatat, A(AT_FDCWD), fx_ustr(path), u, AT_SYMLINK_NOFOLLOW);

	if (!err)
		fx_uread(&st_, u, sizeof(st_));
	return err;
}

static bool listed(const char *dir, const char *name)
{
	long fd = fx_open(dir, O_RDONLY | O_DIRECTORY, 0), n;
	uaddr_t u = fx_ualloc(8192);
	char buf[8192];
	bool found = false;

	cr_assert_geq(fd, 0);
	while ((n = SYS(getdents64, A(fd), u, sizeof(buf))) > 0) {
		fx_uread(buf, u, (size_t)n);
		for (long off = 0; off < n; off += ((struct linux_dirent64 *)(buf + off))->d_reclen)
			found |= !strcmp(((struct linux_dirent64 *)(buf + off))->d_name, name);
	}
	SYS(close, A(fd));
	return found;
}

Test(overlay, writing_an_image_file_copies_it_up)
{
	char got[64];
	long fd = fx_open("/etc/passwd", O_WRONLY, 0);

	cr_assert_geq(fd, 0, "the image's files are writable: %ld", fd);
	cr_assert_eq(fx_write_str(fd, "ROOT"), 4);
	cr_assert_str_eq(fx_slurp("/etc/passwd", got, sizeof(got)),
			 "ROOT:x:0:0:root:/root:/bin/sh\n", "the rest is the image's");
	cr_assert_eq(SYS(truncate, fx_ustr("/usr/lib/libc.so"), 2), 0);
	cr_assert_str_eq(fx_slurp("/lib/libc.so", got, sizeof(got)), "li");
	cr_assert_geq(fx_open("/bin/noexec", O_WRONLY | O_TRUNC, 0), 0);
	cr_assert_eq(stat_("/bin/noexec"), 0);
	cr_assert_eq(st_.st_size, 0);
}

Test(overlay_boot, the_image_itself_is_never_written)
{
	struct tarbuild tb;
	uint8_t *copy;
	char got[64];

	tb_init(&tb);
	fx_standard_image(&tb);
	copy = malloc(tb.len);
	memcpy(copy, tb.buf, tb.len);
	vfs_set_root_writable(true);
	fx_boot(&tb);
	fx_write_str(fx_open("/etc/passwd", O_WRONLY | O_TRUNC, 0), "changed");
	SYS(chmod, fx_ustr("/etc/secret"), 0777);
	SYS(unlink, fx_ustr("/bin/busybox"));
	SYS(rename, fx_ustr("/usr"), fx_ustr("/usr2"));
	cr_assert_eq(memcmp(copy, tb.buf, tb.len), 0);
	cr_assert_str_eq(fx_slurp("/etc/passwd", got, sizeof(got)), "changed");
	/* a fresh boot of the same image sees the original (no file may stay open) */
	fdtable_put(fx_task->files);
	cr_assert_eq(fdtable_create_stdio(&fx_task->files), 0);
	cr_assert_eq(vfs_init(tb.buf, tb.len), 0);
	fs_context_put(fx_task->fs);
	cr_assert_eq(fs_context_create("/", &fx_task->fs), 0);
	cr_assert_str_eq(fx_slurp("/etc/passwd", got, sizeof(got)),
			 "root:x:0:0:root:/root:/bin/sh\n");
	free(copy);
	tb_free(&tb);
}

Test(overlay, removing_image_entries_hides_them)
{
	cr_assert_eq(SYS(unlink, fx_ustr("/etc/passwd")), 0);
	cr_assert_eq(stat_("/etc/passwd"), -ENOENT);
	cr_assert(!listed("/etc", "passwd"));
	cr_assert(listed("/etc", "secret"));
	cr_assert_eq(fx_open("/bin/sh", O_RDONLY, 0) >= 0, true);
	cr_assert_eq(SYS(unlink, fx_ustr("/bin/busybox")), 0);
	cr_assert_eq(fx_open("/bin/sh", O_RDONLY, 0), -ENOENT, "the link dangles now");
	cr_assert_eq(SYS(rmdir, fx_ustr("/etc")), -ENOTEMPTY);
	cr_assert_eq(SYS(rmdir, fx_ustr("/empty")), 0);
	cr_assert_eq(SYS(mkdir, fx_ustr("/empty"), 0700), 0, "and a new one in its place");
	cr_assert_eq(stat_("/empty"), 0);
	cr_assert_eq(st_.st_mode, S_IFDIR | 0700);
}

Test(overlay, new_entries_list_with_the_images)
{
	cr_assert_geq(fx_open("/etc/new", O_WRONLY | O_CREAT, 0644), 0);
	cr_assert(listed("/etc", "new"));
	cr_assert(listed("/etc", "passwd"));
	cr_assert_eq(SYS(rename, fx_ustr("/etc/passwd"), fx_ustr("/passwd")), 0);
	cr_assert(!listed("/etc", "passwd"));
	cr_assert(listed("/", "passwd"));
}

Test(overlay, metadata_changes_stay_in_the_tree)
{
	cr_assert_eq(SYS(chmod, fx_ustr("/etc/secret"), 0644), 0);
	cr_assert_eq(SYS(chown, fx_ustr("/etc/secret"), 7, 8), 0);
	cr_assert_eq(stat_("/etc/secret"), 0);
	cr_assert_eq(st_.st_mode, S_IFREG | 0644);
	cr_assert_eq(st_.st_uid, 7);
	cr_assert_eq(st_.st_size, 1, "the data is still the image's");
}

Test(overlay_boot, image_devices_outside_dev_do_not_open)
{
	struct tarbuild tb;

	tb_init(&tb);
	tb_header(&tb, &(struct tb_hdr){ .name = "mydev", .type = '3', .mode = 0666,
					 .devmajor = 1, .devminor = 3 });
	tb_dir(&tb, "dev/");
	tb_file(&tb, "dev/junk", "hidden");
	tb_dir(&tb, "tmp/");
	tb_file(&tb, "tmp/old", "hidden");
	tb_end(&tb);
	fx_boot(&tb);
	cr_assert_eq(fx_open("/mydev", O_RDWR, 0), -ENXIO);
	cr_assert_eq(stat_("/dev/junk"), -ENOENT, "/dev is the sentry's");
	cr_assert_eq(stat_("/tmp/old"), -ENOENT, "/tmp starts empty");
	cr_assert_eq(stat_("/tmp"), 0);
	cr_assert_eq(st_.st_mode, S_IFDIR | 01777);
	tb_free(&tb);
}

Test(overlay_ro, a_read_only_root_says_erofs)
{
	cr_assert_eq(fx_open("/etc/passwd", O_WRONLY, 0), -EROFS);
	cr_assert_eq(SYS(unlink, fx_ustr("/etc/passwd")), -EROFS);
	cr_assert_eq(SYS(mkdir, fx_ustr("/x"), 0755), -EROFS);
	cr_assert_eq(SYS(chmod, fx_ustr("/etc"), 0700), -EROFS);
	cr_assert_geq(fx_open("/tmp/x", O_WRONLY | O_CREAT, 0600), 0, "/tmp is writable");
}

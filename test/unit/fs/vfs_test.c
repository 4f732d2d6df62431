// SPDX-License-Identifier: Apache-2.0
/* vfs_test.c: fs/vfs.c: the vfs.h contract the rest of the core uses. */
#include <criterion/criterion.h>
#include <string.h>

#include "sentry/err.h"
#include "sentry/kmalloc.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"

#include "../../../fs/vfs_internal.h"
#include "fake/fake.h"
#include "fs_fixture.h"
#include "tarbuild.h"

TestSuite(vfs, .init = fx_boot_standard, .fini = fx_teardown);

Test(vfs, open_kread_and_executable)
{
	struct file *f = vfs_open(fx_task, AT_FDCWD, "/bin/sh", O_RDONLY, 0);
	char buf[32] = { 0 };

	cr_assert(!IS_ERR(f));
	cr_assert_eq(vfs_kread(f, buf, 4, 0), 4);
	cr_assert_eq(memcmp(buf, "\177ELF", 4), 0);
	cr_assert_eq(vfs_kread(f, buf, sizeof(buf), 5), 7);
	cr_assert_eq(memcmp(buf, "busybox", 7), 0);
	cr_assert_eq(vfs_kread(f, buf, 4, 100), 0);
	cr_assert_eq(vfs_kread(f, buf, 4, -1), -EINVAL);
	cr_assert(vfs_is_executable(f));
	file_put(f);
	f = vfs_open(fx_task, AT_FDCWD, "bin/noexec", O_RDONLY, 0);
	cr_assert(!vfs_is_executable(f));
	file_put(f);
	f = vfs_open(fx_task, AT_FDCWD, "bin", O_RDONLY, 0);
	cr_assert(!vfs_is_executable(f), "a directory");
	file_put(f);
	cr_assert_eq(PTR_ERR(vfs_open(fx_task, AT_FDCWD, "bin/nope", O_RDONLY, 0)), -ENOENT);
}

Test(vfs, file_path_is_the_resolved_one)
{
	struct file *f = vfs_open(fx_task, AT_FDCWD, "/bin/sh", O_RDONLY, 0);
	char *path = vfs_file_path(f);

	cr_assert_str_eq(path, "/bin/busybox");
	kfree(path);
	file_put(f);
	f = vfs_open(fx_task, AT_FDCWD, "/", O_RDONLY, 0);
	path = vfs_file_path(f);
	cr_assert_str_eq(path, "/");
	kfree(path);
	file_put(f);
}

Test(vfs, file_references)
{
	struct file *f = vfs_open(fx_task, AT_FDCWD, "etc/passwd", O_RDONLY, 0);

	cr_assert_eq(file_get(f), f);
	cr_assert_eq(f->refcount, 2);
	file_put(f);
	cr_assert_eq(f->refcount, 1);
	file_put(f);	/* freed: ASan would see a use after this */
	file_put(NULL);
}

Test(vfs, fs_context_needs_a_directory)
{
	struct fs_context *fs;

	cr_assert_eq(fs_context_create("/etc/passwd", &fs), -ENOTDIR);
	cr_assert_eq(fs_context_create("/nope", &fs), -ENOENT);
	cr_assert_eq(fs_context_create("/dirlink", &fs), 0);
	cr_assert_str_eq(fs->cwd->name, "etc");
	fs_context_put(fs);
}

Test(vfs, stdio_fds)
{
	struct file *f = fd_get(fx_task->files, 2);

	cr_assert_not_null(f);
	cr_assert_null(vfs_file_path(f), "stdio is outside the tree");
	cr_assert(!vfs_is_executable(f));
	file_put(f);
	cr_assert_null(fd_get(fx_task->files, 3));
}

Test(vfs, init_rejects_a_hostile_image)
{
	struct tarbuild tb;

	tb_init(&tb);
	tb_file(&tb, "etc/../../x", "evil");
	tb_end(&tb);
	cr_assert_eq(vfs_init(tb.buf, tb.len), -EINVAL);
	cr_assert(strstr(fake_console(), "image: entry 'etc/../../x': path escapes the image root"),
		  "the message names the entry: %s", fake_console());
	tb_free(&tb);
}

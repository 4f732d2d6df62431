// SPDX-License-Identifier: Apache-2.0
/* fs_fixture.c: see fs_fixture.h. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sentry/mm.h"
#include "sentry/task.h"
#include "sentry/vfs.h"

#include "abi/linux/fcntl.h"
#include "abi/linux/mman.h"
#include "abi/linux/stat.h"

#include "fake/fake.h"
#include "fs_fixture.h"
#include "tarbuild.h"

#define UARENA_SIZE	(4UL << 20)

struct task *fx_task;
static struct tarbuild fx_tb;
static uaddr_t uarena;
static size_t uused;

void fx_standard_image(struct tarbuild *tb)
{
	char name[32], target[32];

	tb_dir(tb, "etc/");
	tb_file(tb, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	tb_file_mode(tb, "etc/secret", "s", 0600, 0, 0);
	tb_dir(tb, "bin/");
	tb_file_mode(tb, "bin/busybox", "\177ELF-busybox", 0755, 0, 0);
	tb_symlink(tb, "bin/sh", "/bin/busybox");
	tb_symlink(tb, "bin/ls", "busybox");
	tb_file_mode(tb, "bin/noexec", "data", 0644, 0, 0);
	tb_symlink(tb, "lib", "usr/lib");
	tb_file(tb, "usr/lib/libc.so", "libc");
	tb_symlink(tb, "a/b/up", "../../etc/passwd");
	tb_symlink(tb, "escape", "../../../../etc/passwd");
	tb_symlink(tb, "abs", "/etc");
	tb_symlink(tb, "dirlink", "etc");
	tb_symlink(tb, "dangling", "/nonexistent");
	tb_symlink(tb, "loop1", "loop2");
	tb_symlink(tb, "loop2", "loop1");
	tb_dir(tb, "empty/");
	tb_dir(tb, "proc/");	/* where /proc is mounted (fs/procfs.c) */
	tb_header(tb, &(struct tb_hdr){ .name = "dev/null", .type = '3', .mode = 0666,
					.devmajor = 1, .devminor = 3 });
	tb_header(tb, &(struct tb_hdr){ .name = "private/", .type = '5', .mode = 0700 });
	tb_file(tb, "private/file", "p");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "chain/c%d", i);
		snprintf(target, sizeof(target), "c%d", i + 1);
		tb_symlink(tb, name, target);
	}
	tb_symlink(tb, "chain/c40", "/etc/passwd");
	tb_end(tb);
}

void fx_boot(struct tarbuild *tb)
{
	long addr;

	fake_boot();
	cr_assert_eq(vfs_init(tb->buf, tb->len), 0, "vfs_init");
	fx_task = fake_task_new();
	cr_assert_eq(fdtable_create_stdio(&fx_task->files), 0);
	cr_assert_eq(fs_context_create("/", &fx_task->fs), 0);
	addr = mm_mmap(fx_task->mm, 0, UARENA_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	cr_assert_gt(addr, 0, "mm_mmap of the app arena: %ld", addr);
	uarena = (uaddr_t)addr;
	uused = 0;
}

void fx_boot_standard(void)
{
	tb_init(&fx_tb);
	fx_standard_image(&fx_tb);
	fx_boot(&fx_tb);
}

void fx_boot_writable(void)
{
	vfs_set_root_writable(true);
	fx_boot_standard();
}

void fx_teardown(void)
{
	vfs_set_root_writable(false);
	if (fx_task) {
		fdtable_put(fx_task->files);
		fs_context_put(fx_task->fs);
		fake_task_free(fx_task);
		fx_task = NULL;
	}
	tb_free(&fx_tb);
}

uaddr_t fx_ualloc(size_t len)
{
	uaddr_t u = uarena + uused;

	len = (len + 15) & ~15UL;
	cr_assert_leq(uused + len, UARENA_SIZE, "fixture: app arena exhausted");
	uused += len;
	cr_assert_eq(clear_user(u, len), 0);
	return u;
}

uaddr_t fx_ustr(const char *s)
{
	uaddr_t u = fx_ualloc(strlen(s) + 1);

	cr_assert_eq(copy_to_user(u, s, strlen(s) + 1), 0);
	return u;
}

void fx_uread(void *dst, uaddr_t src, size_t len)
{
	cr_assert_eq(copy_from_user(dst, src, len), 0, "fixture: reading app memory");
}

long fx_open(const char *path, int flags, unsigned int mode)
{
	return SYS(openat, A(AT_FDCWD), fx_ustr(path), A(flags), mode);
}

long fx_write_str(long fd, const char *s)
{
	return SYS(write, A(fd), fx_ustr(s), strlen(s));
}

long fx_read_str(long fd, char *buf, size_t len)
{
	uaddr_t u = fx_ualloc(len);
	long n = SYS(read, A(fd), u, len - 1);

	memset(buf, 0, len);
	if (n > 0)
		fx_uread(buf, u, (size_t)n);
	return n;
}

const char *fx_slurp(const char *path, char *buf, size_t len)
{
	long fd = fx_open(path, O_RDONLY, 0);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	fx_read_str(fd, buf, len);
	SYS(close, A(fd));
	return buf;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * procfs_test.c: fs/procfs/: /proc/self, the process directory's links,
 * cmdline, status and maps, fd/, meminfo and friends, and that /proc
 * cannot be changed even on a writable root.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "sentry/kmalloc.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"

#include "fs_fixture.h"
#include "tarbuild.h"

TestSuite(procfs, .init = fx_boot_writable, .fini = fx_teardown);
/* tests that boot an image of their own */
TestSuite(procfs_boot, .fini = fx_teardown);

static char buf_[8192];

static const char *readlink_(const char *path)
{
	uaddr_t u = fx_ualloc(256);
	long n = SYS(readlink, fx_ustr(path), u, 255);

	if (n < 0)
		return "";
	fx_uread(buf_, u, (size_t)n);
	buf_[n] = '\0';
	return buf_;
}

static const char *slurp(const char *path)
{
	return fx_slurp(path, buf_, sizeof(buf_));
}

Test(procfs, self_is_a_link_to_pid_1)
{
	cr_assert_str_eq(readlink_("/proc/self"), "1");
	cr_assert_neq(strstr(slurp("/proc/self/status"), "Pid:\t1\n"), NULL);
	cr_assert_neq(strstr(buf_, "State:\tR (running)\n"), NULL);
}

Test(procfs, cwd_and_exe_follow_the_task)
{
	const char *exe = "/bin/busybox";

	fx_task->exe_path = kmalloc(strlen(exe) + 1);
	memcpy(fx_task->exe_path, exe, strlen(exe) + 1);
	cr_assert_str_eq(readlink_("/proc/self/exe"), "/bin/busybox");
	cr_assert_eq(SYS(chdir, fx_ustr("/etc")), 0);
	cr_assert_str_eq(readlink_("/proc/self/cwd"), "/etc");
	cr_assert_geq(fx_open("/proc/self/cwd/passwd", O_RDONLY, 0), 0, "the link is followed");
}

Test(procfs, cmdline_is_the_nul_separated_arguments)
{
	static const char args[] = "sh\0-c\0true";
	uaddr_t u = fx_ualloc(sizeof(args)), out = fx_ualloc(64);
	char got[64];
	long fd;

	cr_assert_eq(copy_to_user(u, args, sizeof(args)), 0);
	fx_task->mm->arg_start = u;
	fx_task->mm->arg_end = u + sizeof(args);
	fd = fx_open("/proc/1/cmdline", O_RDONLY, 0);
	cr_assert_eq(SYS(read, A(fd), out, 64), (long)sizeof(args));
	fx_uread(got, out, sizeof(args));
	cr_assert_eq(memcmp(got, args, sizeof(args)), 0);
}

Test(procfs, maps_lists_the_mappings)
{
	const char *maps = slurp("/proc/self/maps");

	cr_assert_neq(strstr(maps, " rw-p 00000000 00:00 0"), NULL, "the fixture's arena: %s", maps);
}

Test(procfs, fd_links_name_the_open_files)
{
	long fd = fx_open("/etc/passwd", O_RDONLY, 0);
	uaddr_t u = fx_ualloc(8);
	int32_t p[2];
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%ld", fd);
	cr_assert_str_eq(readlink_(path), "/etc/passwd");
	cr_assert_eq(SYS(pipe, u), 0);
	fx_uread(p, u, sizeof(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	cr_assert_eq(strncmp(readlink_(path), "pipe:[", 6), 0, "%s", buf_);
	cr_assert_eq(SYS(readlink, fx_ustr("/proc/self/fd/99"), fx_ualloc(16), 16), -ENOENT);
	cr_assert_eq(SYS(readlink, fx_ustr("/proc/self/fd/x"), fx_ualloc(16), 16), -ENOENT);
}

Test(procfs, fd_lists_the_open_fds)
{
	long dir = fx_open("/proc/self/fd", O_RDONLY | O_DIRECTORY, 0);
	uaddr_t u = fx_ualloc(1024);
	char ents[1024];
	long n = SYS(getdents64, A(dir), u, 1024);
	int names = 0;

	cr_assert_gt(n, 0);
	fx_uread(ents, u, (size_t)n);
	for (long off = 0; off < n;) {
		unsigned short reclen;

		memcpy(&reclen, ents + off + 16, 2);
		names++;
		off += reclen;
	}
	cr_assert_eq(names, 2 + 4, ". .. 0 1 2 and the directory's own fd");
	cr_assert_eq(SYS(getdents64, A(dir), u, 1024), 0, "then the end");
}

Test(procfs, system_files_have_content)
{
	cr_assert_eq(strncmp(slurp("/proc/meminfo"), "MemTotal:", 9), 0);
	cr_assert_eq(strncmp(slurp("/proc/cpuinfo"), "processor\t: 0\n", 14), 0);
	cr_assert_neq(strstr(slurp("/proc/mounts"), "proc /proc proc"), NULL);
	cr_assert_neq(strstr(slurp("/proc/uptime"), "."), NULL);
}

Test(procfs, a_generated_file_can_be_reread_after_lseek)
{
	long fd = fx_open("/proc/cpuinfo", O_RDONLY, 0);
	char a[16], b[16];

	cr_assert_eq(fx_read_str(fd, a, sizeof(a)), 15);
	cr_assert_eq(SYS(lseek, A(fd), 0, 0), 0);
	cr_assert_eq(fx_read_str(fd, b, sizeof(b)), 15);
	cr_assert_str_eq(a, b);
}

Test(procfs_boot, is_mounted_even_where_the_image_has_no_proc_directory)
{
	struct tarbuild tb;

	tb_init(&tb);
	tb_dir(&tb, "etc/");
	tb_end(&tb);
	fx_boot(&tb);
	cr_assert_geq(fx_open("/proc/meminfo", O_RDONLY, 0), 0);
	tb_free(&tb);
}

Test(procfs, cannot_be_changed)
{
	cr_assert_eq(fx_open("/proc/meminfo", O_WRONLY, 0), -EROFS);
	cr_assert_eq(fx_open("/proc/new", O_WRONLY | O_CREAT, 0644), -EROFS);
	cr_assert_eq(SYS(unlink, fx_ustr("/proc/meminfo")), -EROFS);
	cr_assert_eq(SYS(mkdir, fx_ustr("/proc/1/x"), 0755), -EROFS);
	cr_assert_eq(SYS(unlink, fx_ustr("/proc/self")), -EROFS);
	cr_assert_eq(SYS(mkdir, fx_ustr("/proc/self/fd/x"), 0755), -EROFS);
}

Test(procfs, a_process_directory_has_its_entries_and_only_live_pids_exist)
{
	long dir = fx_open("/proc/1", O_RDONLY | O_DIRECTORY, 0);
	uaddr_t u = fx_ualloc(1024);
	char ents[1024], names[256] = "";
	long n = SYS(getdents64, A(dir), u, 1024);

	cr_assert_gt(n, 0);
	fx_uread(ents, u, (size_t)n);
	for (long off = 0; off < n;) {
		unsigned short reclen;

		memcpy(&reclen, ents + off + 16, 2);
		strcat(names, ents + off + 19);
		strcat(names, " ");
		off += reclen;
	}
	cr_assert_str_eq(names, ". .. cmdline comm cwd exe fd maps stat status ");
	cr_assert_eq(strncmp(slurp("/proc/1/stat"), "1 () R 0 1 1 ", 13), 0, "%s", buf_);
	cr_assert_eq(fx_open("/proc/2", O_RDONLY, 0), -ENOENT, "no such process");
	cr_assert_eq(fx_open("/proc/01", O_RDONLY, 0), -ENOENT, "not a pid's spelling");
	cr_assert_eq(fx_open("/proc/1/nope", O_RDONLY, 0), -ENOENT);
	cr_assert_eq(SYS(read, A(dir), u, 16), -EISDIR);
}

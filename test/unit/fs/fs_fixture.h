/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs_fixture.h: a booted fake platform with a test image as the root, a
 * current task with stdio fds and an app address space, and helpers to call
 * the fs syscalls the way the app would.
 */
#ifndef TEST_UNIT_FS_FIXTURE_H
#define TEST_UNIT_FS_FIXTURE_H

#include <stdint.h>

#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/types.h"

struct task;
struct tarbuild;

/* The task of the fixture (current). */
extern struct task *fx_task;

/*
 * The standard test image:
 *   etc/ etc/passwd "root:x:0:0:root:/root:/bin/sh\n" etc/secret (0600)
 *   bin/busybox (0755) bin/sh -> /bin/busybox  bin/ls -> busybox
 *   bin/noexec (0644)  lib -> usr/lib  usr/lib/libc.so "libc"
 *   a/b/up -> ../../etc/passwd   escape -> ../../../../etc/passwd
 *   abs -> /etc   dirlink -> etc   dangling -> /nonexistent
 *   loop1 -> loop2   loop2 -> loop1   empty/   proc/   dev/null (char 1,3)
 *   private/ (0700, uid 0) private/file
 *   chain/c0 -> c1 ... c39 -> c40, c40 -> /etc/passwd (40 links from c0)
 */
void fx_standard_image(struct tarbuild *tb);

/* fake_boot, vfs_init(@tb), the task with stdio and cwd "/". */
void fx_boot(struct tarbuild *tb);
/* fx_boot with the standard image. */
void fx_boot_standard(void);
/* fx_boot_standard with a writable root (the overlay over the image). */
void fx_boot_writable(void);
/* Undo fx_boot (files, fs context, task). */
void fx_teardown(void);

/* App memory: @len bytes (zeroed), or a copy of string @s, in the app's address space. */
uaddr_t fx_ualloc(size_t len);
uaddr_t fx_ustr(const char *s);
/* Copy out of app memory (asserts it works). */
void fx_uread(void *dst, uaddr_t src, size_t len);

/* Paths and small I/O as the app would do them; each returns the syscall's result. */
long fx_open(const char *path, int flags, unsigned int mode);
long fx_write_str(long fd, const char *s);
/* Read up to @len - 1 bytes of @fd at its position into @buf, NUL-terminated. */
long fx_read_str(long fd, char *buf, size_t len);
/* The whole content of @path (up to @len - 1 bytes), or "" when it cannot be read. */
const char *fx_slurp(const char *path, char *buf, size_t len);

#define A(x)	((uint64_t)(int64_t)(x))
/* Call sys_@name with the app's raw arguments. */
#define SYS(name, ...) \
	sys_##name(fx_task, &(struct syscall_args){ { __VA_ARGS__ } })

#endif /* TEST_UNIT_FS_FIXTURE_H */

// SPDX-License-Identifier: Apache-2.0
/*
 * fsw_tmp.c: a writable /tmp: create, write, read back, pwrite, O_APPEND,
 * O_TRUNC, truncate, holes, rename, unlink, mkdir, rmdir, symlink,
 * readlink, link, chmod, utimensat, getdents, statfs, umask, all in a new
 * directory of /tmp (the cwd). Natively the runner mounts a tmpfs on /tmp
 * of the read-only root, as the sentry has.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "tap.h"

#define TMPFS_MAGIC 0x01021994

static int has_text(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) && !memcmp(buf, text, (size_t)n);
}

static int put(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text);
}

static int fails(int ret, int e)
{
	return ret == -1 && errno == e;
}

/* The names in @dir (not . and ..), sorted, space-separated. */
static void list(const char *dir, char *out, size_t len)
{
	char *names[64];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	out[0] = '\0';
	while (d && (e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i];

				names[i] = names[j];
				names[j] = t;
			}
	for (int i = 0; i < n; i++) {
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
}

int main(void)
{
	struct stat st;
	struct statfs sf;
	char buf[256];
	int fd;

	umask(022);
	ok(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777 && S_ISDIR(st.st_mode),
	   "/tmp is a 1777 directory");
	/* a fresh directory of our own, so that reruns natively start clean */
	strcpy(buf, "/tmp/fswXXXXXX");
	if (!ok(mkdtemp(buf) && chdir(buf) == 0, "a new directory in /tmp to work in"))
		return tap_done();
	ok(statfs(".", &sf) == 0 && sf.f_type == TMPFS_MAGIC, "/tmp is a tmpfs");

	/* files */
	ok(put("f", "hello", O_EXCL), "create and write a file");
	ok(has_text("f", "hello"), "it reads back");
	ok(fails(open("f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST),
	   "O_EXCL on an existing file is EEXIST");
	ok(stat("f", &st) == 0 && st.st_mode == (S_IFREG | 0644) && st.st_size == 5 &&
	   st.st_nlink == 1, "stat: mode 0644 after umask 022, size 5, one link");
	ok(put("f", " world", O_APPEND), "O_APPEND write");
	ok(has_text("f", "hello world"), "appended at the end");
	fd = open("f", O_RDWR);
	ok(pwrite(fd, "J", 1, 6) == 1 && has_text("f", "hello Jorld"), "pwrite in the middle");
	ok(lseek(fd, 0, SEEK_CUR) == 0, "pwrite leaves the position");
	ok(ftruncate(fd, 5) == 0 && has_text("f", "hello"), "ftruncate shrinks");
	ok(truncate("f", 7) == 0 && pread(fd, buf, 16, 0) == 7 &&
	   !memcmp(buf, "hello\0\0", 7), "truncate grows with zeros");
	close(fd);
	ok(put("f", "new", O_TRUNC) && has_text("f", "new"), "O_TRUNC empties first");
	fd = open("sparse", O_RDWR | O_CREAT, 0600);
	ok(pwrite(fd, "x", 1, 100000) == 1 && fstat(fd, &st) == 0 && st.st_size == 100001,
	   "a write past the end makes a hole");
	ok(pread(fd, buf, 8, 5000) == 8 && !memcmp(buf, "\0\0\0\0\0\0\0\0", 8),
	   "the hole reads as zeros");
	close(fd);

	/* names */
	ok(rename("f", "g") == 0 && has_text("g", "new") &&
	   fails(access("f", F_OK), ENOENT), "rename");
	ok(put("h", "other", 0) && rename("h", "g") == 0 &&
	   has_text("g", "other"), "rename over an existing file");
	ok(mkdir("d", 0755) == 0 && stat("d", &st) == 0 &&
	   st.st_mode == (S_IFDIR | 0755), "mkdir");
	ok(fails(mkdir("d", 0755), EEXIST), "mkdir of an existing name is EEXIST");
	ok(rename("g", "d/g") == 0 && has_text("d/g", "other"),
	   "rename into a directory");
	ok(fails(rmdir("d"), ENOTEMPTY), "rmdir of a non-empty directory is ENOTEMPTY");
	ok(fails(unlink("d"), EISDIR), "unlink of a directory is EISDIR");
	ok(rename("d", "e") == 0 && has_text("e/g", "other"),
	   "rename of a directory");
	ok(fails(rename("e", "e/sub"), EINVAL), "rename into itself is EINVAL");
	ok(symlink("e/g", "s") == 0 && readlink("s", buf, sizeof(buf)) == 3 &&
	   !memcmp(buf, "e/g", 3), "symlink and readlink");
	ok(has_text("s", "other"), "open follows the symlink");
	ok(lstat("s", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 3,
	   "lstat sees the link");
	ok(link("e/g", "l") == 0 && stat("l", &st) == 0 && st.st_nlink == 2,
	   "a hard link: two links");
	ok(unlink("e/g") == 0 && has_text("l", "other") &&
	   stat("l", &st) == 0 && st.st_nlink == 1, "unlink one name, the other stays");
	ok(fails(open("s", O_RDONLY), ENOENT), "the symlink dangles");
	ok(rmdir("e") == 0 && fails(access("e", F_OK), ENOENT), "rmdir");
	fd = open("l", O_RDONLY);
	ok(unlink("l") == 0 && read(fd, buf, sizeof(buf)) == 5,
	   "an open file outlives its last name");
	close(fd);
	list(".", buf, sizeof(buf));
	ok(!strcmp(buf, "s sparse"), "getdents lists what is left");
	if (strcmp(buf, "s sparse"))
		diag("listed: %s", buf);

	/* attributes */
	ok(chmod("sparse", 0640) == 0 && stat("sparse", &st) == 0 &&
	   st.st_mode == (S_IFREG | 0640), "chmod");
	{
		struct timespec ts[2] = { { 1000, 0 }, { 2000, 500 } };

		ok(utimensat(AT_FDCWD, "sparse", ts, 0) == 0 &&
		   stat("sparse", &st) == 0 && st.st_atim.tv_sec == 1000 &&
		   st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 500, "utimensat");
		ts[0].tv_nsec = UTIME_OMIT;
		ts[1].tv_nsec = UTIME_NOW;
		ok(utimensat(AT_FDCWD, "sparse", ts, 0) == 0 &&
		   stat("sparse", &st) == 0 && st.st_atim.tv_sec == 1000 &&
		   st.st_mtim.tv_sec > 2000, "UTIME_OMIT and UTIME_NOW");
	}
	umask(077);
	ok(put("u", "", 0) && stat("u", &st) == 0 && st.st_mode == (S_IFREG | 0600),
	   "umask 077 gives 0600");
	fd = open("u", O_RDONLY);
	ok(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
	close(fd);

	/* the read-only root around it */
	ok(fails(open("/new", O_WRONLY | O_CREAT, 0644), EROFS), "the root stays read-only");
	ok(fails(rename("u", "/u"), EXDEV), "rename out of /tmp is EXDEV");
	ok(put("/dev/shm/x", "shm", 0) && has_text("/dev/shm/x", "shm") &&
	   unlink("/dev/shm/x") == 0, "/dev/shm is writable");
	return tap_done();
}

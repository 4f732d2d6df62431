// SPDX-License-Identifier: Apache-2.0
/*
 * files.c: the image's files (test/apps/data.h): open, read, pread, lseek,
 * fstat, newfstatat, statx, getdents64, readlink, access, getcwd, chdir,
 * and the errors of a read-only root (the runner mounts the native oracle's
 * root read-only too, so EROFS is the answer on every platform).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data.h"
#include "tap.h"

#define HELLO_LEN (sizeof(HELLO_TEXT) - 1)

/* Whether open(path, flags) fails with errno e. */
static int open_fails(const char *path, int flags, int e)
{
	int fd;

	errno = 0;
	fd = open(path, flags, 0644);
	if (fd >= 0)
		close(fd);
	return fd < 0 && errno == e;
}

/* Whether path holds exactly text. */
static int has_text(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) && !memcmp(buf, text, n);
}

static void check_read_seek(void)
{
	char buf[64] = "";
	struct stat st;
	int fd = open("/data/hello.txt", O_RDONLY);

	if (!ok(fd >= 0, "open /data/hello.txt read-only"))
		return;
	ok(read(fd, buf, sizeof(buf)) == HELLO_LEN &&
		   !memcmp(buf, HELLO_TEXT, HELLO_LEN),
	   "read returns the whole file");
	ok(read(fd, buf, sizeof(buf)) == 0, "the next read returns 0 at EOF");
	ok(pread(fd, buf, 4, 6) == 4 && !memcmp(buf, "from", 4),
	   "pread at offset 6 reads \"from\"");
	ok(lseek(fd, 0, SEEK_CUR) == HELLO_LEN,
	   "pread leaves the offset alone");
	ok(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 5) == 5 &&
		   !memcmp(buf, "hello", 5),
	   "lseek SEEK_SET 0 rereads the start");
	ok(lseek(fd, -6, SEEK_END) == HELLO_LEN - 6 && read(fd, buf, 6) == 6 &&
		   !memcmp(buf, "image\n", 6),
	   "lseek SEEK_END -6 reads the tail");
	ok(lseek(fd, 100, SEEK_CUR) == HELLO_LEN + 100 && read(fd, buf, 1) == 0,
	   "lseek past EOF is allowed and reads 0 bytes");
	errno = 0;
	ok(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL,
	   "lseek to a negative offset fails with EINVAL");
	if (ok(fstat(fd, &st) == 0, "fstat")) {
		ok(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644,
		   "it is a regular file, mode 0644");
		ok(st.st_size == HELLO_LEN, "st_size is the text's length");
		ok(st.st_uid == 0 && st.st_gid == 0, "owner and group are 0");
		ok(st.st_mtime == DATA_MTIME, "st_mtime is the image's");
		ok(st.st_nlink == 2, "st_nlink is 2 (hardlink)");
	}
	ok(close(fd) == 0, "close");
	errno = 0;
	ok(read(fd, buf, 1) == -1 && errno == EBADF,
	   "read of a closed fd fails with EBADF");
}

static void check_pattern(void)
{
	static unsigned char buf[10000];
	int fd = open("/data/pattern.bin", O_RDONLY), good = 1;
	size_t off = 0;
	ssize_t n;

	if (!ok(fd >= 0, "open /data/pattern.bin"))
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			good &= buf[i] == pattern_byte(off + i);
		off += n;
	}
	ok(n == 0 && off == PATTERN_SIZE && good,
	   "reads of 10000 bytes return the 200 KiB pattern");
	ok(pread(fd, buf, 3, PATTERN_SIZE - 2) == 2,
	   "pread across EOF returns the 2 bytes left");
	close(fd);
}

static void check_stat(void)
{
	struct stat st, hst, lst;
	struct statx sx;

	ok(fstatat(AT_FDCWD, "/data/link-rel", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		   S_ISLNK(st.st_mode) && st.st_size == strlen("hello.txt"),
	   "newfstatat NOFOLLOW: link-rel is a symlink of size 9");
	ok(fstatat(AT_FDCWD, "/data/link-rel", &st, 0) == 0 &&
		   S_ISREG(st.st_mode) && st.st_size == HELLO_LEN,
	   "newfstatat follows link-rel to hello.txt");
	ok(stat("/data/hello.txt", &hst) == 0 &&
		   stat("/data/hardlink", &lst) == 0 &&
		   hst.st_ino == lst.st_ino && hst.st_dev == lst.st_dev,
	   "hardlink and hello.txt are one inode");
	ok(stat("/data/link-abs", &st) == 0 && st.st_ino == hst.st_ino,
	   "the absolute link-abs resolves inside the image");
	ok(stat("/data/subdir", &st) == 0 && S_ISDIR(st.st_mode) &&
		   (st.st_mode & 07777) == 0755,
	   "subdir is a directory, mode 0755");
	errno = 0;
	ok(stat("/data/dangling", &st) == -1 && errno == ENOENT,
	   "stat of a dangling link fails with ENOENT");
	ok(lstat("/data/dangling", &st) == 0 && S_ISLNK(st.st_mode),
	   "lstat of a dangling link works");
	ok(statx(AT_FDCWD, "/data/pattern.bin", 0, STATX_BASIC_STATS, &sx) ==
			   0 &&
		   (sx.stx_mask & STATX_SIZE) && sx.stx_size == PATTERN_SIZE &&
		   S_ISREG(sx.stx_mode),
	   "statx gives pattern.bin's size and type");
	ok(statx(AT_FDCWD, "/data/link-dir", AT_SYMLINK_NOFOLLOW,
		 STATX_BASIC_STATS, &sx) == 0 &&
		   S_ISLNK(sx.stx_mode),
	   "statx NOFOLLOW sees link-dir as a symlink");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read /data with small getdents64 buffers; check names and d_type. */
static void check_getdents(void)
{
	static const char *const want =
		". .. dangling hardlink hello.txt link-abs link-dir "
		"link-rel longname pattern.bin subdir";
	static char names[32][256], joined[1024];
	char *sorted[32], buf[512];
	int fd = open("/data", O_RDONLY | O_DIRECTORY), n = 0, types = 0,
	    calls = 0;
	ssize_t len;

	if (!ok(fd >= 0, "open /data O_DIRECTORY"))
		return;
	/* Before any getdents64: after one, ext4 answers EINVAL (Linux 6.18).
	 */
	errno = 0;
	ok(read(fd, buf, 1) == -1 && errno == EISDIR,
	   "read of a directory fails with EISDIR");
	while ((len = getdents64(fd, buf, sizeof(buf))) > 0 && calls++ < 100) {
		for (ssize_t off = 0; off < len;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (n < 32)
				snprintf(names[n++], sizeof(names[0]), "%s",
					 d->d_name);
			types += (!strcmp(d->d_name, "hello.txt") &&
				  d->d_type == DT_REG) +
				 (!strcmp(d->d_name, "link-rel") &&
				  d->d_type == DT_LNK) +
				 (!strcmp(d->d_name, "subdir") &&
				  d->d_type == DT_DIR);
			off += d->d_reclen;
		}
	}
	ok(len == 0, "getdents64 ends with 0");
	for (int i = 0; i < n; i++)
		sorted[i] = names[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_str);
	for (int i = 0; i < n; i++)
		snprintf(joined + strlen(joined),
			 sizeof(joined) - strlen(joined), "%s%s", i ? " " : "",
			 sorted[i]);
	if (!ok(!strcmp(joined, want), "getdents64 lists /data's %d entries",
		n))
		diag("got: %s", joined);
	ok(types == 3, "d_type is DT_REG, DT_LNK, DT_DIR where due");
	ok(lseek(fd, 0, SEEK_SET) == 0 && getdents64(fd, buf, sizeof(buf)) > 0,
	   "lseek 0 on a directory restarts getdents64");
	errno = 0;
	ok(lseek(fd, 0, SEEK_SET) == 0 && getdents64(fd, buf, 8) == -1 &&
		   errno == EINVAL,
	   "getdents64 into a buffer too small for one entry fails with "
	   "EINVAL");
	close(fd);
}

static void check_links(void)
{
	char buf[256];
	ssize_t n;

	n = readlink("/data/link-rel", buf, sizeof(buf));
	ok(n == 9 && !memcmp(buf, "hello.txt", 9),
	   "readlink link-rel is hello.txt");
	n = readlink("/data/link-abs", buf, sizeof(buf));
	ok(n == 15 && !memcmp(buf, "/data/hello.txt", 15),
	   "readlink link-abs is /data/hello.txt");
	ok(readlink("/data/link-abs", buf, 4) == 4 && !memcmp(buf, "/dat", 4),
	   "readlink truncates to the buffer");
	n = readlink("/data/longname/link", buf, sizeof(buf));
	ok(n == strlen(LONG_NAME) && !memcmp(buf, LONG_NAME, n),
	   "readlink of a long link target");
	errno = 0;
	ok(readlink("/data/hello.txt", buf, sizeof(buf)) == -1 &&
		   errno == EINVAL,
	   "readlink of a regular file fails with EINVAL");
	ok(has_text("/data/link-abs", HELLO_TEXT),
	   "open through link-abs reads hello.txt");
	ok(has_text("/data/longname/" LONG_NAME, "long\n"),
	   "open of a 114-character name");
	ok(has_text("/data/longname/link", "long\n"),
	   "open through a link with a long target");
	ok(has_text("/data/subdir/nested/deeper/file.txt", "deep\n"),
	   "open of a nested file");
	ok(has_text("/data/link-dir/nested/deeper/file.txt", "deep\n"),
	   "open through a directory link");
	ok(has_text("//data/./subdir/../hello.txt", HELLO_TEXT),
	   "open of //data/./subdir/../hello.txt");
	ok(has_text("/../../data/hello.txt", HELLO_TEXT),
	   ".. at the root stays at the root");
	ok(open_fails("/data/link-rel", O_RDONLY | O_NOFOLLOW, ELOOP),
	   "O_NOFOLLOW on a symlink fails with ELOOP");
}

static void check_access_errors(void)
{
	ok(access("/data/hello.txt", R_OK) == 0, "access R_OK on hello.txt");
	ok(access("/apps/hello", X_OK) == 0, "access X_OK on /apps/hello");
	errno = 0;
	ok(access("/data/hello.txt", X_OK) == -1 && errno == EACCES,
	   "access X_OK on a file without x bits fails with EACCES");
	errno = 0;
	ok(access("/data/missing", F_OK) == -1 && errno == ENOENT,
	   "access of a missing file fails with ENOENT");
	errno = 0;
	ok(access("/data/hello.txt", W_OK) == -1 && errno == EROFS,
	   "access W_OK fails with EROFS");
	ok(open_fails("/data/missing", O_RDONLY, ENOENT),
	   "open of a missing file fails with ENOENT");
	ok(open_fails("/nope/missing", O_RDONLY, ENOENT),
	   "open under a missing directory fails with ENOENT");
	ok(open_fails("/data/hello.txt/x", O_RDONLY, ENOTDIR),
	   "open below a regular file fails with ENOTDIR");
	ok(open_fails("/data/hello.txt", O_RDONLY | O_DIRECTORY, ENOTDIR),
	   "O_DIRECTORY on a regular file fails with ENOTDIR");
	ok(open_fails("/data/hello.txt", O_WRONLY, EROFS),
	   "open for writing fails with EROFS");
	ok(open_fails("/data/new", O_WRONLY | O_CREAT, EROFS),
	   "O_CREAT fails with EROFS");
	ok(open_fails("/data", O_WRONLY, EISDIR),
	   "open of a directory for writing fails with EISDIR");
}

static int cwd_is(const char *want)
{
	char buf[256];

	return getcwd(buf, sizeof(buf)) && !strcmp(buf, want);
}

static void check_cwd(void)
{
	char small[3];
	int root = open("/", O_RDONLY | O_DIRECTORY);

	ok(cwd_is("/"), "getcwd is / at start");
	ok(chdir("/data") == 0 && cwd_is("/data"), "chdir /data");
	ok(has_text("hello.txt", HELLO_TEXT), "a relative open after chdir");
	ok(chdir("subdir") == 0 && cwd_is("/data/subdir"),
	   "chdir to a relative subdir");
	ok(chdir("..") == 0 && cwd_is("/data"), "chdir ..");
	ok(chdir("link-dir") == 0 && cwd_is("/data/subdir"),
	   "chdir through a symlink resolves it");
	errno = 0;
	ok(chdir("/data/hello.txt") == -1 && errno == ENOTDIR,
	   "chdir to a file fails with ENOTDIR");
	errno = 0;
	ok(chdir("/nope") == -1 && errno == ENOENT,
	   "chdir to a missing dir fails with ENOENT");
	ok(cwd_is("/data/subdir"), "a failed chdir keeps the cwd");
	errno = 0;
	ok(getcwd(small, sizeof(small)) == NULL && errno == ERANGE,
	   "getcwd into a short buffer fails with ERANGE");
	ok(fchdir(root) == 0 && cwd_is("/"), "fchdir back to /");
	close(root);
}

int main(void)
{
	check_read_seek();
	check_pattern();
	check_stat();
	check_getdents();
	check_links();
	check_access_errors();
	check_cwd();
	return tap_done();
}

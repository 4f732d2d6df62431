// SPDX-License-Identifier: Apache-2.0
/* tarfs_index_test.c: fs/tarfs: the tar index, including hostile archives. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "../../../fs/tarfs/tarfs.h"
#include "tarbuild.h"

static struct tarbuild tb;
static struct tarfs *fs;

static void setup(void)
{
	tb_init(&tb);
	fs = NULL;
}

static void teardown(void)
{
	tarfs_free(fs);
	tb_free(&tb);
}

TestSuite(tarfs_index, .init = setup, .fini = teardown);

static void index_ok(void)
{
	cr_assert_eq(tarfs_index(tb.buf, tb.len, &fs), 0, "the archive should index");
}

static int index_err(void)
{
	int err = tarfs_index(tb.buf, tb.len, &fs);

	cr_assert_neq(err, 0, "a hostile archive indexed without error");
	return err;
}

static struct inode *node(const char *path)
{
	struct tarfs_dentry *d = tarfs_lookup_path(fs, path, strlen(path));

	return d ? d->d.inode : NULL;
}

static void assert_content(const char *path, const char *content)
{
	struct inode *i = node(path);

	cr_assert_not_null(i, "%s is missing", path);
	cr_assert(S_ISREG(i->mode), "%s is not a regular file", path);
	cr_assert_eq(i->size, strlen(content), "%s: size", path);
	cr_assert_eq(memcmp(TARFS_I(i)->data, content, i->size), 0, "%s: content", path);
}

Test(tarfs_index, normal_tree)
{
	tb_dir(&tb, "etc/");
	tb_file_mode(&tb, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644, 0, 0);
	tb_dir(&tb, "bin/");
	tb_file_mode(&tb, "bin/busybox", "\x7f" "ELF", 0755, 1000, 100);
	tb_end(&tb);
	index_ok();

	struct inode *etc = node("etc"), *bb = node("bin/busybox"), *root = node("");

	cr_assert(S_ISDIR(root->mode));
	cr_assert(S_ISDIR(etc->mode));
	cr_assert_eq(etc->mode & 07777, 0755);
	assert_content("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	cr_assert_eq(bb->mode, S_IFREG | 0755);
	cr_assert_eq(bb->uid, 1000);
	cr_assert_eq(bb->gid, 100);
	cr_assert_eq(bb->mtime, 1700000000);
	cr_assert_eq(bb->nlink, 1);
	cr_assert_eq(root->nlink, 4, "2 + two subdirectories");
	cr_assert_neq(bb->ino, etc->ino);
	cr_assert_eq(root->ino, 2);
	cr_assert_eq(bb->dev, TARFS_DEV);
	cr_assert_null(node("etc/shadow"));
	cr_assert_null(node("etc/passwd/x"), "a file has no children");
}

Test(tarfs_index, children_in_archive_order)
{
	tb_file(&tb, "d/zeta", "z");
	tb_file(&tb, "d/alpha", "a");
	tb_dir(&tb, "d/mid");
	tb_end(&tb);
	index_ok();

	struct tarfs_inode *d = TARFS_I(node("d"));

	cr_assert_eq(d->dir.nkids, 3);
	cr_assert_str_eq(d->dir.kids[0]->d.name, "zeta");
	cr_assert_str_eq(d->dir.kids[1]->d.name, "alpha");
	cr_assert_str_eq(d->dir.kids[2]->d.name, "mid");
	cr_assert_eq(d->dir.kids[2]->d.parent->inode, &d->i);
}

Test(tarfs_index, implicit_parents_are_created)
{
	tb_file(&tb, "usr/local/bin/tool", "#!/bin/sh\n");
	tb_end(&tb);
	index_ok();

	cr_assert_eq(node("usr")->mode, S_IFDIR | 0755);
	cr_assert_eq(node("usr/local")->mode, S_IFDIR | 0755);
	cr_assert_eq(node("usr/local/bin")->mode, S_IFDIR | 0755);
	assert_content("usr/local/bin/tool", "#!/bin/sh\n");
	/* an explicit entry later gives the directory its metadata, keeping its contents */
	tb_free(&tb);
	tarfs_free(fs);
	tb_file(&tb, "usr/lib/x", "x");
	tb_header(&tb, &(struct tb_hdr){ .name = "usr/", .type = '5', .mode = 0700, .uid = 7 });
	tb_end(&tb);
	index_ok();
	cr_assert_eq(node("usr")->mode, S_IFDIR | 0700);
	cr_assert_eq(node("usr")->uid, 7);
	assert_content("usr/lib/x", "x");
}

Test(tarfs_index, names_are_normalized)
{
	tb_file(&tb, "./a//b/./c", "1");
	tb_file(&tb, "/abs/file", "2");
	tb_file(&tb, "trailing/slashes//", "");	/* '0' with a trailing slash: a directory */
	tb_dir(&tb, "./");
	tb_end(&tb);
	index_ok();
	assert_content("a/b/c", "1");
	assert_content("abs/file", "2");
	cr_assert(S_ISDIR(node("trailing/slashes")->mode));
}

Test(tarfs_index, ustar_prefix)
{
	tb_header(&tb, &(struct tb_hdr){ .prefix = "very/deep", .name = "name", .size = 2 });
	tb_data(&tb, "hi", 2);
	tb_end(&tb);
	index_ok();
	assert_content("very/deep/name", "hi");
}

Test(tarfs_index, gnu_long_names_and_links)
{
	char name[300], target[200];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[100] = '/';
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	tb_longname(&tb, 'L', name);
	tb_header(&tb, &(struct tb_hdr){ .name = "truncated-name", .size = 3 });
	tb_data(&tb, "abc", 3);
	tb_longname(&tb, 'L', "link");
	tb_longname(&tb, 'K', target);
	tb_header(&tb, &(struct tb_hdr){ .name = "ignored", .type = '2', .link = "short" });
	tb_file(&tb, "after", "plain names again");
	tb_end(&tb);
	index_ok();

	assert_content(name, "abc");
	cr_assert_null(node("truncated-name"));
	cr_assert(S_ISLNK(node("link")->mode));
	cr_assert_str_eq(TARFS_I(node("link"))->target, target);
	cr_assert_eq(node("link")->size, strlen(target));
	assert_content("after", "plain names again");
}

Test(tarfs_index, pax_path_linkpath_size_and_mtime)
{
	char path[400], rec[450];

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	path[200] = '/';
	snprintf(rec, sizeof(rec), "path=%s", path);
	tb_pax(&tb, (const char *const[]){ rec, "mtime=1234.5", "uid=4242", "atime=1", NULL });
	tb_header(&tb, &(struct tb_hdr){ .name = "short", .size = 5 });
	tb_data(&tb, "hello", 5);
	tb_pax(&tb, (const char *const[]){ "linkpath=/usr/share/zoneinfo/UTC", NULL });
	tb_header(&tb, &(struct tb_hdr){ .name = "etc/localtime", .type = '2', .link = "x" });
	/* the pax size wins over the header's (octal fields top out at 8 GiB) */
	tb_pax(&tb, (const char *const[]){ "size=4", NULL });
	tb_header(&tb, &(struct tb_hdr){ .name = "sized", .size = 1 });
	tb_data(&tb, "four", 4);
	tb_end(&tb);
	index_ok();

	assert_content(path, "hello");
	cr_assert_eq(node(path)->mtime, 1234);
	cr_assert_eq(node(path)->mtime_nsec, 500000000);
	cr_assert_eq(node(path)->uid, 4242);
	cr_assert_null(node("short"));
	cr_assert_str_eq(TARFS_I(node("etc/localtime"))->target, "/usr/share/zoneinfo/UTC");
	assert_content("sized", "four");
}

Test(tarfs_index, global_pax_header_is_not_applied)
{
	const char rec[] = "17 path=global/x\n";

	tb_header(&tb, &(struct tb_hdr){ .name = "pax_global_header", .type = 'g',
					 .size = sizeof(rec) - 1 });
	tb_data(&tb, rec, sizeof(rec) - 1);
	tb_file(&tb, "local", "l");
	tb_end(&tb);
	index_ok();
	assert_content("local", "l");
	cr_assert_null(node("global"));
}

Test(tarfs_index, base256_size)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "big", .size = 600, .base256_size = true,
					 .gnu_magic = true });
	tb_data(&tb, (char[600]){ [0] = 'a', [599] = 'z' }, 600);
	tb_end(&tb);
	index_ok();
	cr_assert_eq(node("big")->size, 600);
	cr_assert_eq(TARFS_I(node("big"))->data[599], 'z');
}

Test(tarfs_index, hard_links_share_the_inode)
{
	tb_file(&tb, "bin/busybox", "BB");
	tb_hardlink(&tb, "bin/sh", "bin/busybox");
	tb_hardlink(&tb, "./usr/bin/env", "/bin/busybox");
	tb_end(&tb);
	index_ok();

	cr_assert_eq(node("bin/sh"), node("bin/busybox"));
	cr_assert_eq(node("usr/bin/env"), node("bin/busybox"));
	cr_assert_eq(node("bin/busybox")->nlink, 3);
}

Test(tarfs_index, symlinks_are_kept_as_archived)
{
	tb_symlink(&tb, "bin/sh", "/bin/busybox");
	tb_symlink(&tb, "lib/rel", "../usr/lib");
	tb_symlink(&tb, "escape", "../../../../etc/passwd");
	tb_end(&tb);
	index_ok();

	cr_assert_eq(node("bin/sh")->mode, S_IFLNK | 0777);
	cr_assert_str_eq(TARFS_I(node("bin/sh"))->target, "/bin/busybox");
	cr_assert_str_eq(TARFS_I(node("lib/rel"))->target, "../usr/lib");
	cr_assert_str_eq(TARFS_I(node("escape"))->target, "../../../../etc/passwd");
}

Test(tarfs_index, devices_and_fifos_are_indexed)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "dev/null", .type = '3', .mode = 0666,
					 .devmajor = 1, .devminor = 3 });
	tb_header(&tb, &(struct tb_hdr){ .name = "dev/sda", .type = '4', .devmajor = 8 });
	tb_header(&tb, &(struct tb_hdr){ .name = "run/fifo", .type = '6' });
	tb_end(&tb);
	index_ok();

	cr_assert_eq(node("dev/null")->mode, S_IFCHR | 0666);
	cr_assert_eq(node("dev/null")->rdev, (1 << 8) | 3);
	cr_assert(S_ISBLK(node("dev/sda")->mode));
	cr_assert(S_ISFIFO(node("run/fifo")->mode));
	cr_assert_null(node("dev/null")->fops, "opening a device of the image is -ENXIO");
}

Test(tarfs_index, later_entries_override_earlier_ones)
{
	tb_file(&tb, "f", "one");
	tb_hardlink(&tb, "g", "f");
	tb_file(&tb, "f", "two");		/* g keeps the old file, as extraction leaves it */
	tb_file(&tb, "d/child", "c");
	tb_file(&tb, "d", "now a file");	/* the directory and its contents are gone */
	tb_dir(&tb, "d");			/* and a fresh, empty directory again */
	tb_symlink(&tb, "s", "x");
	tb_symlink(&tb, "s", "y");
	tb_end(&tb);
	index_ok();

	assert_content("f", "two");
	assert_content("g", "one");
	cr_assert_eq(node("g")->nlink, 1);
	cr_assert(S_ISDIR(node("d")->mode));
	cr_assert_null(node("d/child"));
	cr_assert_eq(TARFS_I(node("d"))->dir.nkids, 0);
	cr_assert_str_eq(TARFS_I(node("s"))->target, "y");
	cr_assert_eq(TARFS_I(node(""))->dir.nkids, 4, "f g d s: replacing keeps one name");
}

Test(tarfs_index, end_of_archive)
{
	/* EOF right after the last entry, at a block boundary */
	tb_file(&tb, "a", "a");
	index_ok();
	assert_content("a", "a");
	tarfs_free(fs);
	/* one zero block, then junk that is never read as headers */
	tb_data(&tb, (char[512]){ 0 }, 512);
	tb_data(&tb, "junk that is not a header", 26);
	index_ok();
	assert_content("a", "a");
	tarfs_free(fs);
	fs = NULL;
	/* and an empty image is an empty root */
	cr_assert_eq(tarfs_index(tb.buf, 0, &fs), 0);
	cr_assert_eq(TARFS_I(node(""))->dir.nkids, 0);
}

/* --- hostile archives: each is -EINVAL, never a crash or an overread --- */

Test(tarfs_index, dotdot_in_a_path_is_rejected)
{
	tb_file(&tb, "etc/../../x", "evil");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, dotdot_inside_the_root_is_rejected_too)
{
	tb_file(&tb, "a/../b", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, dotdot_in_a_pax_path_is_rejected)
{
	tb_pax(&tb, (const char *const[]){ "path=../../etc/shadow", NULL });
	tb_file(&tb, "innocent", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, truncated_header)
{
	tb_file(&tb, "a", "a");
	tb_end(&tb);
	tb.len = 512 + 512 + 100;	/* 100 bytes where the next header should be */
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, data_past_the_end)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "big", .size = 1 << 20 });
	tb_data(&tb, "only a little", 13);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, partial_last_data_block)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "f", .size = 10 });
	tb_data(&tb, "0123456789", 10);
	tb.len -= 100;		/* the data is there, its block is cut */
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, huge_size_does_not_overflow)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "huge", .size = UINT64_MAX >> 1,
					 .base256_size = true });
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
	tb_free(&tb);
	tb_header(&tb, &(struct tb_hdr){ .name = "neg", .raw_size = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" });
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a negative size");
	tb_free(&tb);
	tb_pax(&tb, (const char *const[]){ "size=99999999999999999999999", NULL });
	tb_file(&tb, "f", "");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a pax size that overflows");
}

Test(tarfs_index, bad_checksum)
{
	tb_file(&tb, "good", "g");
	tb_header(&tb, &(struct tb_hdr){ .name = "bad", .bad_checksum = true });
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, bad_numeric_field)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "f", .raw_size = "12x" });
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, hard_link_to_a_missing_target)
{
	tb_hardlink(&tb, "bin/sh", "bin/busybox");
	tb_file(&tb, "bin/busybox", "too late");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, hard_link_outside_or_to_a_directory)
{
	tb_file(&tb, "f", "x");
	tb_hardlink(&tb, "l", "../f");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a target outside the root");
	tb_free(&tb);
	tb_dir(&tb, "d");
	tb_hardlink(&tb, "l", "d");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a directory");
}

Test(tarfs_index, parent_that_is_not_a_directory)
{
	tb_file(&tb, "f", "x");
	tb_file(&tb, "f/g", "y");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, non_directory_root)
{
	tb_file(&tb, ".", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
	tb_free(&tb);
	tb_symlink(&tb, "./", "elsewhere");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, malformed_pax_records)
{
	static const char *const bad[] = {
		"99 path=x\n",		/* length past the end */
		"5 path=x\n",		/* length too short */
		"x path=x\n",		/* no length */
		"10 pathx\n\n",		/* no '=' */
		"12 path=a\0b\n",	/* a NUL in the path */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t len = i == 4 ? 12 : strlen(bad[i]);

		tb_free(&tb);
		tb_header(&tb, &(struct tb_hdr){ .name = "h", .type = 'x', .size = len });
		tb_data(&tb, bad[i], len);
		tb_file(&tb, "f", "x");
		tb_end(&tb);
		cr_assert_eq(index_err(), -EINVAL, "record %zu", i);
	}
}

Test(tarfs_index, gnu_sparse_is_refused)
{
	tb_header(&tb, &(struct tb_hdr){ .name = "sparse", .type = 'S', .gnu_magic = true });
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
	tb_free(&tb);
	tb_pax(&tb, (const char *const[]){ "GNU.sparse.major=1", NULL });
	tb_file(&tb, "f", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, long_component_and_long_path)
{
	char name[300], rec[5000];

	memset(name, 'a', 256);
	name[256] = '\0';
	tb_longname(&tb, 'L', name);
	tb_file(&tb, "x", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a 256-byte component");
	tb_free(&tb);
	strcpy(rec, "path=");
	for (int i = 0; i < 35; i++)
		strcat(rec, "0123456789012345678901234567890123456789012345678901234567890123456789"
			    "01234567890123456789012345678901234567890123456789012345678/");
	tb_pax(&tb, (const char *const[]){ rec, NULL });
	tb_file(&tb, "x", "x");
	tb_end(&tb);
	cr_assert_eq(index_err(), -EINVAL, "a path over 4095 bytes");
}

Test(tarfs_index, extended_header_without_an_entry)
{
	tb_longname(&tb, 'L', "dangling");
	cr_assert_eq(index_err(), -EINVAL);
}

Test(tarfs_index, random_garbage_never_crashes)
{
	uint8_t junk[4096];
	unsigned int seed = 12345;

	/* headers with valid checksums over random bytes: whatever they say, no crash */
	for (int round = 0; round < 200; round++) {
		tb_free(&tb);
		for (size_t i = 0; i < sizeof(junk); i++) {
			seed = seed * 1103515245 + 12345;
			junk[i] = (uint8_t)(seed >> 16);
		}
		tb_header(&tb, &(struct tb_hdr){ .name = (char *)junk, .type = (char)junk[0],
						 .link = (char *)junk + 100,
						 .size = junk[1] % 3 ? junk[2] : 1000000 });
		tb_data(&tb, junk, 1536);
		if (tarfs_index(tb.buf, tb.len, &fs) == 0)
			tarfs_free(fs);
		fs = NULL;
	}
}

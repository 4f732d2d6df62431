// SPDX-License-Identifier: Apache-2.0
/* namei_test.c: fs/namei.c: path resolution inside the image root. */
#include <criterion/criterion.h>
#include <string.h>

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "../../../fs/vfs_internal.h"
#include "fs_fixture.h"

TestSuite(namei, .init = fx_boot_standard, .fini = fx_teardown);

static struct nameidata nd_as(uint32_t uid)
{
	return (struct nameidata){ .root = vfs_root(), .start = vfs_root(), .uid = uid,
				   .gid = uid };
}

static int walk(const char *path, unsigned int flags, struct dentry **out)
{
	struct nameidata nd = nd_as(0);

	return path_walk(&nd, path, flags, out);
}

/* The inode @path resolves to (following symlinks), asserting it does. */
static struct inode *inode_of(const char *path)
{
	struct dentry *d;
	int err = walk(path, LOOKUP_FOLLOW, &d);

	cr_assert_eq(err, 0, "%s: error %d", path, err);
	return d->inode;
}

static void assert_walk_err(const char *path, unsigned int flags, int want)
{
	struct dentry *d = (void *)1;
	int err = walk(path, flags, &d);

	cr_assert_eq(err, want, "%s: got %d, want %d", path, err, want);
	cr_assert_null(d, "%s: *out set on error", path);
}

Test(namei, absolute_and_relative_paths)
{
	struct nameidata nd = nd_as(0);
	struct dentry *etc, *d;

	cr_assert_eq(walk("/etc", LOOKUP_FOLLOW, &etc), 0);
	cr_assert_str_eq(etc->name, "etc");
	nd.start = etc;
	cr_assert_eq(path_walk(&nd, "passwd", 0, &d), 0);
	cr_assert_eq(d->inode, inode_of("/etc/passwd"));
	cr_assert_eq(path_walk(&nd, "/bin", 0, &d), 0, "absolute paths ignore the start");
	cr_assert_str_eq(d->name, "bin");
	cr_assert_eq(path_walk(&nd, ".", 0, &d), 0);
	cr_assert_eq(d, etc);
	assert_walk_err("", LOOKUP_FOLLOW, -ENOENT);
}

Test(namei, dotdot_stops_at_root)
{
	cr_assert_eq(inode_of("/../../etc/../etc/passwd"), inode_of("/etc/passwd"));
	cr_assert_eq(inode_of(".."), vfs_root()->inode);
	cr_assert_eq(inode_of("/.."), vfs_root()->inode);
	cr_assert_eq(inode_of("etc/.."), vfs_root()->inode);
	cr_assert_eq(inode_of("//etc///./passwd"), inode_of("/etc/passwd"));
	cr_assert_eq(inode_of("/"), vfs_root()->inode);
}

Test(namei, trailing_slash_needs_a_directory)
{
	struct dentry *d;

	assert_walk_err("etc/passwd/", LOOKUP_FOLLOW, -ENOTDIR);
	assert_walk_err("etc/passwd/.", LOOKUP_FOLLOW, -ENOTDIR);
	assert_walk_err("bin/sh/", 0, -ENOTDIR);
	assert_walk_err("nonexistent/", 0, -ENOENT);
	cr_assert_eq(walk("etc/", 0, &d), 0);
	cr_assert_eq(walk("dirlink/", 0, &d), 0, "a trailing slash follows the link");
	cr_assert_eq(d->inode, inode_of("etc"));
	cr_assert_eq(walk("dirlink", 0, &d), 0);
	cr_assert(S_ISLNK(d->inode->mode), "without it, the link itself");
	assert_walk_err("etc/passwd", LOOKUP_DIRECTORY, -ENOTDIR);
}

Test(namei, symlinks_resolve_inside_the_root)
{
	cr_assert_eq(inode_of("bin/sh"), inode_of("bin/busybox"), "absolute target");
	cr_assert_eq(inode_of("bin/ls"), inode_of("bin/busybox"), "relative target");
	cr_assert_eq(inode_of("a/b/up"), inode_of("etc/passwd"));
	cr_assert_eq(inode_of("escape"), inode_of("etc/passwd"), "'..' at the root stays there");
	cr_assert_eq(inode_of("abs/passwd"), inode_of("etc/passwd"));
	cr_assert_eq(inode_of("lib/libc.so"), inode_of("usr/lib/libc.so"));
	cr_assert_eq(inode_of("dirlink/../bin/sh"), inode_of("bin/busybox"),
		     "'..' after a link to etc is etc's parent");
}

Test(namei, nofollow_stops_at_the_last_component_only)
{
	struct dentry *d;

	cr_assert_eq(walk("bin/sh", 0, &d), 0);
	cr_assert_eq(d->inode->mode & S_IFMT, S_IFLNK);
	cr_assert_str_eq(d->name, "sh");
	cr_assert_eq(walk("dirlink/passwd", 0, &d), 0);
	cr_assert_eq(d->inode, inode_of("etc/passwd"));
	cr_assert_eq(walk("dangling", 0, &d), 0);
	assert_walk_err("dangling", LOOKUP_FOLLOW, -ENOENT);
}

Test(namei, symlink_loops_are_eloop)
{
	assert_walk_err("loop1", LOOKUP_FOLLOW, -ELOOP);
	assert_walk_err("loop1/x", 0, -ELOOP);
	cr_assert_eq(inode_of("chain/c1"), inode_of("etc/passwd"), "40 links are fine");
	assert_walk_err("chain/c0", LOOKUP_FOLLOW, -ELOOP);
}

Test(namei, component_of_a_file_is_enotdir)
{
	assert_walk_err("etc/passwd/x", LOOKUP_FOLLOW, -ENOTDIR);
	assert_walk_err("bin/sh/x", LOOKUP_FOLLOW, -ENOTDIR);
	assert_walk_err("etc/passwd/..", LOOKUP_FOLLOW, -ENOTDIR);
	assert_walk_err("etc/nope/x", LOOKUP_FOLLOW, -ENOENT);
}

Test(namei, long_names_are_enametoolong)
{
	char name[300], *path = malloc(4200);

	memset(name, 'x', 255);
	name[255] = '\0';
	assert_walk_err(name, 0, -ENOENT);
	strcat(name, "x");
	assert_walk_err(name, 0, -ENAMETOOLONG);
	path[0] = '\0';
	while (strlen(path) < 4096)
		strcat(path, "etc/../");
	assert_walk_err(path, 0, -ENAMETOOLONG);
	free(path);
}

Test(namei, create_reports_the_parent)
{
	struct dentry *d;
	struct nameidata nd = nd_as(0);

	cr_assert_eq(path_walk(&nd, "etc/newfile", LOOKUP_CREATE, &d), -ENOENT);
	cr_assert_eq(d->inode, inode_of("etc"));
	cr_assert_eq(path_walk(&nd, "nodir/newfile", LOOKUP_CREATE, &d), -ENOENT);
	cr_assert_null(d, "only the last component may be missing");
	cr_assert_eq(path_walk(&nd, "dangling", LOOKUP_CREATE | LOOKUP_FOLLOW, &d), -ENOENT);
	cr_assert_eq(d, vfs_root(), "a dangling link creates its target");
}

Test(namei, search_permission)
{
	struct nameidata nd = nd_as(1000);
	struct dentry *d;

	cr_assert_eq(path_walk(&nd, "private/file", 0, &d), -EACCES);
	cr_assert_eq(path_walk(&nd, "private", 0, &d), 0, "the directory itself is visible");
	cr_assert_eq(path_walk(&nd, "etc/passwd", 0, &d), 0);
	nd = nd_as(0);
	cr_assert_eq(path_walk(&nd, "private/file", 0, &d), 0, "root may search anything");
}

Test(namei, dentry_path)
{
	char buf[64], small[8];
	struct dentry *d;

	cr_assert_eq(walk("bin/sh", 0, &d), 0);
	cr_assert_str_eq(dentry_path(vfs_root(), d, buf, sizeof(buf)), "/bin/sh");
	cr_assert_str_eq(dentry_path(vfs_root(), vfs_root(), buf, sizeof(buf)), "/");
	cr_assert_eq(walk("usr/lib/libc.so", 0, &d), 0);
	cr_assert_null(dentry_path(vfs_root(), d, small, sizeof(small)));
}

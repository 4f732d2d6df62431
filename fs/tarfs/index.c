// SPDX-License-Identifier: Apache-2.0
/*
 * index.c: index an uncompressed tar in place: ustar, pax ('x' per entry,
 * 'g' global), GNU long names and links ('L', 'K') and base-256 numbers.
 * The image is only read, never past its end; every entry becomes a dentry
 * and an inode in the index's arena, file data stays where it is.
 *
 * What a hostile or odd archive gets (every error is -EINVAL after a
 * pr_err naming the entry: "image: entry 'a/../../x': path escapes the
 * image root"):
 * - An entry PATH with a ".." component is an error, whether or not it
 *   would leave the root; so is a hard-link target with one. Paths are
 *   otherwise normalized: leading "/" and "./" dropped, "//" and "/./"
 *   collapsed.
 * - Symlink TARGETS are kept as archived, absolute or relative, with ".."
 *   or without. Images legitimately hold /bin/sh -> /bin/busybox and
 *   /etc/localtime -> /usr/share/zoneinfo/UTC. The VFS resolves every
 *   target inside the image root at lookup time (an absolute target starts
 *   at the root, ".." at the root stays there, as under chroot), so no
 *   target can lead outside the image whatever it says.
 * - A hard link must name an earlier entry that is not a directory; it
 *   shares that entry's inode (nlink counts the names).
 * - A later entry replaces an earlier one of the same path, as extraction
 *   does; a directory over a directory only takes the new metadata and
 *   keeps the contents. Missing parent directories are created (0755,
 *   root); a parent that is not a directory is an error.
 * - Bad header checksums, numeric fields that do not parse or overflow,
 *   data running past the end of the image, a header or data block cut
 *   short, malformed pax records, and GNU sparse/multi-volume entries are
 *   errors. Character, block and FIFO entries are indexed; opening them
 *   gives -ENXIO. Unknown entry types are indexed as regular files (as GNU
 *   tar extracts them), volume labels skipped.
 * - The archive ends at a zero block (the second one is not required) or
 *   at the end of the image right after an entry.
 */
#define pr_fmt(fmt) "image: " fmt

#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"
#include "abi/linux/stat.h"

#include "tarfs.h"

#define BLOCK		512

struct tar_header {
	char name[100];
	char mode[8];
	char uid[8];
	char gid[8];
	char size[12];
	char mtime[12];
	char chksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32];
	char gname[32];
	char devmajor[8];
	char devminor[8];
	char prefix[155];
	char pad[12];
};
_Static_assert(sizeof(struct tar_header) == BLOCK, "a tar header is one block");

/* The current member, its header (and extensions) decoded. */
struct tar_entry {
	char type;
	const char *name, *link;	/* as archived, not NUL-terminated */
	size_t namelen, linklen;
	uint64_t mode, uid, gid, size, devmajor, devminor;
	int64_t mtime;
	uint32_t mtime_nsec;
	const uint8_t *data;		/* size bytes */
};

struct parser {
	struct tarfs *fs;
	size_t off;			/* of the current header */
	struct tar_ext ext;
	struct tar_entry e;
	char ustar_name[155 + 1 + 100];
	char path[LINUX_PATH_MAX];	/* normalized path of the entry */
	char link[LINUX_PATH_MAX];	/* normalized hard-link target */
};

/* The entry's name for a message: control characters as '?', long ones cut. */
static const char *printable_name(const struct parser *ps, char *buf, size_t size)
{
	size_t i, n = MIN(ps->e.namelen, size - 4);

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)ps->e.name[i];

		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (ps->e.namelen > n)
		memcpy(buf + n, "...", 4);
	else
		buf[n] = '\0';
	return buf;
}

/* Log "entry 'NAME': WHY" and return -EINVAL. */
static int __printf(2, 3) bad(const struct parser *ps, const char *fmt, ...)
{
	char name[132], why[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ps->e.namelen)
		pr_err("entry '%s': %s", printable_name(ps, name, sizeof(name)), why);
	else
		pr_err("%s", why);
	return -EINVAL;
}

static void set_meta(struct tarfs_inode *ino, const struct tar_entry *e)
{
	ino->i.mode = (ino->i.mode & S_IFMT) | (e->mode & 07777);
	ino->i.uid = (uint32_t)e->uid;
	ino->i.gid = (uint32_t)e->gid;
	ino->i.mtime = e->mtime;
	ino->i.mtime_nsec = e->mtime_nsec;
}

/* --- names ------------------------------------------------------------- */

/*
 * Normalize the archived path @raw (@n bytes) of the entry into @out:
 * components joined by one '/', no leading '/', no "." ("" is the root).
 */
static int normalize(const struct parser *ps, const char *what, const char *raw,
		     size_t n, char *out, size_t *outlen)
{
	size_t i = 0, o = 0;
	long depth = 0;
	bool dotdot = false;

	if (memchr(raw, '\0', n))
		return bad(ps, "%s contains a NUL byte", what);
	while (i < n) {
		size_t start, len;

		while (i < n && raw[i] == '/')
			i++;
		start = i;
		while (i < n && raw[i] != '/')
			i++;
		len = i - start;
		if (len == 0 || (len == 1 && raw[start] == '.'))
			continue;
		if (len == 2 && raw[start] == '.' && raw[start + 1] == '.') {
			if (--depth < 0)
				return bad(ps, "%s escapes the image root", what);
			dotdot = true;
			continue;
		}
		if (len > LINUX_NAME_MAX)
			return bad(ps, "%s has a component longer than %d bytes", what,
				   LINUX_NAME_MAX);
		if (o + (o ? 1 : 0) + len >= LINUX_PATH_MAX)
			return bad(ps, "%s is longer than %d bytes", what,
				   LINUX_PATH_MAX - 1);
		if (o)
			out[o++] = '/';
		memcpy(out + o, raw + start, len);
		o += len;
		depth++;
	}
	if (dotdot)	/* even when it stays inside: no entry needs one */
		return bad(ps, "%s has a '..' component", what);
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/*
 * The directory that holds the last component of the normalized @path
 * (@len > 0), created where missing; *@last is that component.
 */
static int parent_dir(struct parser *ps, const char *path, size_t len,
		      struct tarfs_dentry **out, const char **last, size_t *lastlen)
{
	struct tarfs *fs = ps->fs;
	struct tarfs_dentry *dir = fs->root, *d;
	const char *p = path, *slash;

	while ((slash = memchr(p, '/', len - (size_t)(p - path)))) {
		size_t n = (size_t)(slash - p);

		d = tarfs_lookup(fs, dir->d.inode, p, n);
		if (!d) {
			struct tarfs_inode *ino = tarfs_new_inode(fs, S_IFDIR | 0755);

			if (!ino)
				return -ENOMEM;
			ino->i.mtime = ps->e.mtime;
			d = tarfs_new_dentry(fs, dir, p, n, ino);
			if (!d)
				return -ENOMEM;
		} else if (!S_ISDIR(d->d.inode->mode)) {
			return bad(ps, "parent '%.*s' is not a directory",
				   (int)(slash - path), path);
		}
		dir = d;
		p = slash + 1;
	}
	*out = dir;
	*last = p;
	*lastlen = len - (size_t)(p - path);
	return 0;
}

/* The mode a member of @type gets (0: not a file: skip it). */
static uint32_t entry_mode(struct parser *ps)
{
	const struct tar_entry *e = &ps->e;
	bool slash = e->namelen && e->name[e->namelen - 1] == '/';
	char name[132];

	switch (e->type) {
	case '0':
	case '\0':
		return slash ? S_IFDIR : S_IFREG;	/* old tars: "dir/" */
	case '7':
		return S_IFREG;
	case '1':
		return S_IFREG;		/* replaced by the target's inode */
	case '2':
		return S_IFLNK;
	case '3':
		return S_IFCHR;
	case '4':
		return S_IFBLK;
	case '5':
	case 'D':
		return S_IFDIR;
	case '6':
		return S_IFIFO;
	case 'V':
		return 0;		/* volume label */
	default:
		pr_warn("entry '%s': unknown type 0x%02x, indexed as a regular file",
			printable_name(ps, name, sizeof(name)), (uint8_t)e->type);
		return S_IFREG;
	}
}

/* The inode of the hard link being added (the target's). */
static int hardlink_target(struct parser *ps, struct tarfs_inode **out)
{
	const struct tar_entry *e = &ps->e;
	struct tarfs_dentry *t;
	size_t len;
	int err;

	err = normalize(ps, "hard link target", e->link, e->linklen, ps->link, &len);
	if (err)
		return err;
	t = tarfs_lookup_path(ps->fs, ps->link, len);
	if (!t)
		return bad(ps, "hard link to '%s', which is not in the image before it",
			   ps->link);
	if (S_ISDIR(t->d.inode->mode))
		return bad(ps, "hard link to directory '%s'", ps->link);
	*out = TARFS_I(t->d.inode);
	return 0;
}

/* A new inode for the current (non-hard-link) entry. */
static int entry_inode(struct parser *ps, uint32_t type, struct tarfs_inode **out)
{
	const struct tar_entry *e = &ps->e;
	struct tarfs_inode *ino;

	if (type == S_IFLNK && e->linklen >= LINUX_PATH_MAX)
		return bad(ps, "symlink target longer than %d bytes",
			   LINUX_PATH_MAX - 1);
	if (type == S_IFLNK && memchr(e->link, '\0', e->linklen))
		return bad(ps, "symlink target contains a NUL byte");
	ino = tarfs_new_inode(ps->fs, type);
	if (!ino)
		return -ENOMEM;
	set_meta(ino, e);
	switch (type) {
	case S_IFREG:
		ino->data = e->data;
		ino->i.size = e->size;
		break;
	case S_IFLNK:
		ino->target = tarfs_strndup(ps->fs, e->link, e->linklen);
		if (!ino->target)
			return -ENOMEM;
		ino->i.size = e->linklen;
		break;
	case S_IFCHR:
	case S_IFBLK:
		/* Linux's dev_t encoding (new_encode_dev) */
		ino->i.rdev = (e->devminor & 0xff) | ((e->devmajor & 0xfff) << 8) |
			      ((e->devminor & ~0xffULL) << 12) |
			      ((e->devmajor & ~0xfffULL) << 32);
		break;
	}
	*out = ino;
	return 0;
}

static int add_entry(struct parser *ps)
{
	struct tarfs *fs = ps->fs;
	uint32_t type = entry_mode(ps);
	struct tarfs_dentry *dir = NULL, *d;
	struct tarfs_inode *ino = NULL;
	const char *last = NULL;
	size_t len, lastlen = 0;
	int err;

	if (!type)
		return 0;
	err = normalize(ps, "path", ps->e.name, ps->e.namelen, ps->path, &len);
	if (err)
		return err;
	if (len == 0) {
		if (type != S_IFDIR)
			return bad(ps, "only a directory can be the image root");
		set_meta(TARFS_I(fs->root->d.inode), &ps->e);
		return 0;
	}
	err = parent_dir(ps, ps->path, len, &dir, &last, &lastlen);
	if (err)
		return err;
	d = tarfs_lookup(fs, dir->d.inode, last, lastlen);
	if (ps->e.type == '1') {
		err = hardlink_target(ps, &ino);
		if (err || (d && d->d.inode == &ino->i))
			return err;
	} else if (d && type == S_IFDIR && S_ISDIR(d->d.inode->mode)) {
		set_meta(TARFS_I(d->d.inode), &ps->e);
		return 0;
	} else {
		err = entry_inode(ps, type, &ino);
		if (err)
			return err;
	}
	if (!d)
		return tarfs_new_dentry(fs, dir, last, lastlen, ino) ? 0 : -ENOMEM;
	/* replace: the old inode loses this name (a directory's contents go with it) */
	d->d.inode->nlink--;
	d->d.inode = &ino->i;
	ino->i.nlink++;
	return 0;
}

/* --- headers ----------------------------------------------------------- */

/* A numeric field: octal (leading spaces, ended by NUL or space) or GNU base-256. */
static bool parse_num(const char *field, size_t n, int64_t *out)
{
	const uint8_t *f = (const uint8_t *)field;
	int64_t v;
	size_t i = 0;

	if (f[0] & 0x80) {
		v = (int8_t)(f[0] << 1) >> 1;	/* 7 bits, bit 6 the sign */
		for (i = 1; i < n; i++)
			if (__builtin_mul_overflow(v, 256, &v) ||
			    __builtin_add_overflow(v, f[i], &v))
				return false;
		*out = v;
		return true;
	}
	while (i < n && f[i] == ' ')
		i++;
	for (v = 0; i < n && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (f[i] - '0');	/* at most 12 digits: no overflow */
	if (i < n && f[i] != ' ' && f[i] != '\0')
		return false;
	*out = v;
	return true;
}

static bool parse_unsigned(const char *field, size_t n, uint64_t max, uint64_t *out)
{
	int64_t v;

	if (!parse_num(field, n, &v) || v < 0 || (uint64_t)v > max)
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool checksum_ok(const uint8_t *h)
{
	int64_t want, u = 0, s = 0;
	size_t i;

	if (!parse_num((const char *)h + 148, 8, &want))
		return false;
	for (i = 0; i < BLOCK; i++) {
		uint8_t c = (i >= 148 && i < 156) ? ' ' : h[i];

		u += c;
		s += (int8_t)c;		/* some old tars summed signed bytes */
	}
	return want == u || want == s;
}

static bool zero_block(const uint8_t *b)
{
	size_t i;

	for (i = 0; i < BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

static bool is_meta(char type)
{
	return type == 'x' || type == 'X' || type == 'g' || type == 'L' || type == 'K';
}

/* Members with no data, whatever their size field says (as Go and Python read them). */
static bool header_only(char type)
{
	return type >= '1' && type <= '6';
}

static void entry_names(struct parser *ps, const struct tar_header *h)
{
	struct tar_entry *e = &ps->e;
	const struct tar_ext *x = &ps->ext;
	bool ext = !is_meta(h->typeflag);

	if (ext && x->has_path) {
		e->name = x->path;
		e->namelen = x->pathlen;
	} else if (!memcmp(h->magic, "ustar", 6) && h->prefix[0]) {
		/* POSIX ustar (not GNU's "ustar  "): prefix '/' name */
		size_t p = strnlen(h->prefix, sizeof(h->prefix));
		size_t n = strnlen(h->name, sizeof(h->name));

		memcpy(ps->ustar_name, h->prefix, p);
		ps->ustar_name[p] = '/';
		memcpy(ps->ustar_name + p + 1, h->name, n);
		e->name = ps->ustar_name;
		e->namelen = p + 1 + n;
	} else {
		e->name = h->name;
		e->namelen = strnlen(h->name, sizeof(h->name));
	}
	if (ext && x->has_link) {
		e->link = x->link;
		e->linklen = x->linklen;
	} else {
		e->link = h->linkname;
		e->linklen = strnlen(h->linkname, sizeof(h->linkname));
	}
}

static int decode_header(struct parser *ps, const struct tar_header *h)
{
	struct tar_entry *e = &ps->e;
	const struct tar_ext *x = &ps->ext;
	size_t data_off = ps->off + BLOCK, left = ps->fs->len - data_off;
	int64_t mtime;

	memset(e, 0, sizeof(*e));
	e->type = h->typeflag;
	entry_names(ps, h);
	if (!checksum_ok((const uint8_t *)h))
		return bad(ps, "bad header checksum at offset %zu", ps->off);
	if (!parse_unsigned(h->mode, sizeof(h->mode), UINT32_MAX, &e->mode) ||
	    !parse_unsigned(h->uid, sizeof(h->uid), UINT32_MAX, &e->uid) ||
	    !parse_unsigned(h->gid, sizeof(h->gid), UINT32_MAX, &e->gid) ||
	    !parse_unsigned(h->size, sizeof(h->size), INT64_MAX, &e->size) ||
	    !parse_num(h->mtime, sizeof(h->mtime), &mtime) ||
	    !parse_unsigned(h->devmajor, 8, UINT32_MAX, &e->devmajor) ||
	    !parse_unsigned(h->devminor, 8, UINT32_MAX, &e->devminor))
		return bad(ps, "bad numeric field in the header at offset %zu", ps->off);
	e->mtime = mtime;
	if (!is_meta(e->type)) {
		if (x->has_size)
			e->size = x->size;
		if (x->has_uid)
			e->uid = x->uid;
		if (x->has_gid)
			e->gid = x->gid;
		if (x->has_mtime) {
			e->mtime = x->mtime;
			e->mtime_nsec = x->mtime_nsec;
		}
	}
	if (header_only(e->type))
		e->size = 0;
	if (e->size > left)
		return bad(ps, "data (%lu bytes) runs past the end of the archive",
			   (unsigned long)e->size);
	if (ALIGN_UP(e->size, (uint64_t)BLOCK) > left)
		return bad(ps, "archive truncated inside the entry's last block");
	e->data = ps->fs->image + data_off;
	return 0;
}

/* --- the archive ------------------------------------------------------- */

static int parse_member(struct parser *ps)
{
	struct tar_ext *x = &ps->ext;
	const struct tar_entry *e = &ps->e;
	char why[96];
	int err;

	switch (e->type) {
	case 'x':
	case 'X':
	case 'g':	/* global: checked, not applied */
		if (tar_pax_parse((const char *)e->data, e->size,
				  e->type == 'g' ? NULL : x, why, sizeof(why)))
			return bad(ps, "%s", why);
		return 0;
	case 'L':
		x->path = (const char *)e->data;
		x->pathlen = strnlen(x->path, e->size);
		x->has_path = true;
		return 0;
	case 'K':
		x->link = (const char *)e->data;
		x->linklen = strnlen(x->link, e->size);
		x->has_link = true;
		return 0;
	case 'S':
	case 'M':
	case 'N':
		return bad(ps, "GNU entry type '%c' (sparse, multi-volume or old long name) is not supported",
			   e->type);
	}
	err = add_entry(ps);
	memset(x, 0, sizeof(*x));	/* extensions apply to one entry */
	return err;
}

static int parse_archive(struct parser *ps)
{
	const struct tarfs *fs = ps->fs;
	int err;

	for (ps->off = 0; ps->off < fs->len;) {
		const uint8_t *h = fs->image + ps->off;

		/* named after the entry before, if any */
		if (fs->len - ps->off < BLOCK)
			return bad(ps, "archive truncated after this entry: %zu bytes where a 512-byte header should be",
				   fs->len - ps->off);
		if (zero_block(h))
			break;
		err = decode_header(ps, (const struct tar_header *)h);
		if (!err)
			err = parse_member(ps);
		if (err)
			return err;
		ps->off += BLOCK + ALIGN_UP((size_t)ps->e.size, (size_t)BLOCK);
	}
	if (ps->ext.has_path || ps->ext.has_link || ps->ext.has_size)
		return bad(ps, "extended header at the end of the archive, without an entry");
	return 0;
}

int tarfs_index(const void *image, size_t len, struct tarfs **out)
{
	struct tarfs *fs = tarfs_create(image, len);
	struct parser *ps = kzalloc(sizeof(*ps));
	int err = -ENOMEM;

	if (fs && ps) {
		ps->fs = fs;
		err = parse_archive(ps);
		if (!err)
			err = tarfs_finish(fs);
		if (err == -ENOMEM)
			pr_err("out of memory after %zu entries", fs->nentries);
	}
	kfree(ps);
	if (err) {
		tarfs_free(fs);
		return err;
	}
	*out = fs;
	return 0;
}

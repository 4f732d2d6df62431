// SPDX-License-Identifier: Apache-2.0
/*
 * pax.c: pax extended header records ("LEN KEY=VALUE\n", POSIX.1-2001):
 * path, linkpath, size, uid, gid and mtime are used; other keys are
 * ignored; GNU sparse files are refused.
 */
#include "sentry/string.h"

#include "abi/linux/errno.h"

#include "tarfs.h"

static bool key_is(const char *key, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(key, s, len);
}

/* A decimal value of at most @max. */
static bool parse_dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (max - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* A time: [-]seconds[.fraction] */
static bool parse_time(const char *s, size_t n, int64_t *sec, uint32_t *nsec)
{
	const char *dot = memchr(s, '.', n);
	size_t ilen = dot ? (size_t)(dot - s) : n, i;
	bool neg = ilen && s[0] == '-';
	uint64_t v, ns = 0;

	if (!parse_dec(s + neg, ilen - neg, INT64_MAX, &v))
		return false;
	for (i = 0; dot && i < n - ilen - 1; i++) {
		char c = dot[1 + i];

		if (c < '0' || c > '9')
			return false;
		if (i < 9)
			ns = ns * 10 + (uint64_t)(c - '0');
	}
	for (; i < 9; i++)
		ns *= 10;
	*sec = neg ? -(int64_t)v : (int64_t)v;
	*nsec = (uint32_t)ns;
	if (neg && ns) {	/* -1.25 is 1.25 s before the epoch */
		*sec -= 1;
		*nsec = 1000000000U - (uint32_t)ns;
	}
	return true;
}

static int pax_record(struct tar_ext *x, const char *key, size_t klen,
		      const char *val, size_t vlen, char *why, size_t whylen)
{
	bool ok = true;

	if (key_is(key, klen, "path")) {
		x->path = val;
		x->pathlen = vlen;
		x->has_path = vlen > 0;		/* empty: back to the header's */
	} else if (key_is(key, klen, "linkpath")) {
		x->link = val;
		x->linklen = vlen;
		x->has_link = vlen > 0;
	} else if (key_is(key, klen, "size")) {
		ok = x->has_size = parse_dec(val, vlen, INT64_MAX, &x->size);
	} else if (key_is(key, klen, "uid")) {
		ok = x->has_uid = parse_dec(val, vlen, UINT32_MAX, &x->uid);
	} else if (key_is(key, klen, "gid")) {
		ok = x->has_gid = parse_dec(val, vlen, UINT32_MAX, &x->gid);
	} else if (key_is(key, klen, "mtime")) {
		ok = x->has_mtime = parse_time(val, vlen, &x->mtime, &x->mtime_nsec);
	} else if (klen > 11 && !memcmp(key, "GNU.sparse.", 11)) {
		ksnprintf(why, whylen, "GNU sparse files are not supported");
		return -EINVAL;
	}
	if (!ok) {
		ksnprintf(why, whylen, "bad pax value for '%.*s'", (int)MIN(klen, 32),
			  key);
		return -EINVAL;
	}
	return 0;
}

int tar_pax_parse(const char *data, size_t size, struct tar_ext *x, char *why,
		  size_t whylen)
{
	size_t off = 0;

	while (off < size && data[off]) {	/* NUL padding may follow the records */
		size_t i = off, reclen = 0, klen;
		const char *key, *eq, *end;
		int err;

		while (i < size && data[i] >= '0' && data[i] <= '9' && reclen <= size)
			reclen = reclen * 10 + (size_t)(data[i++] - '0');
		if (i == off || i >= size || data[i] != ' ' || reclen > size - off ||
		    reclen < i - off + 3 || data[off + reclen - 1] != '\n') {
			ksnprintf(why, whylen, "malformed pax record at byte %zu", off);
			return -EINVAL;
		}
		key = data + i + 1;
		end = data + off + reclen - 1;		/* the '\n' */
		eq = memchr(key, '=', (size_t)(end - key));
		if (!eq) {
			ksnprintf(why, whylen, "pax record without '=' at byte %zu", off);
			return -EINVAL;
		}
		klen = (size_t)(eq - key);
		if (x) {
			err = pax_record(x, key, klen, eq + 1, (size_t)(end - eq - 1),
					 why, whylen);
			if (err)
				return err;
		}
		off += reclen;
	}
	return 0;
}

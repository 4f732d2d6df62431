// SPDX-License-Identifier: Apache-2.0
/* fake_tar.c: ustar images built in memory, for tests that need a root filesystem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake/fake.h"

#define BLOCK	512

static char *grow(struct fake_tar *t, size_t n)
{
	char *p;

	if (t->len + n > t->cap) {
		size_t cap = (t->len + n) * 2;

		p = realloc(t->buf, cap);
		if (!p)
			abort();
		t->buf = p;
		t->cap = cap;
	}
	p = t->buf + t->len;
	memset(p, 0, n);
	t->len += n;
	return p;
}

/* One header block: name, mode, size, type, link target; checksum last. */
static void header(struct fake_tar *t, const char *path, unsigned int mode,
		   size_t size, char type, const char *link)
{
	char *h = grow(t, BLOCK);
	unsigned int sum = 0;

	if (strlen(path) >= 100 || (link && strlen(link) >= 100))
		abort();	/* keep to plain ustar names */
	memcpy(h, path, strlen(path));
	snprintf(h + 100, 8, "%07o", mode & 07777);
	snprintf(h + 108, 8, "%07o", 0);
	snprintf(h + 116, 8, "%07o", 0);
	snprintf(h + 124, 12, "%011zo", size);
	snprintf(h + 136, 12, "%011o", 0);
	h[156] = type;
	if (link)
		memcpy(h + 157, link, strlen(link));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < BLOCK; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

void fake_tar_dir(struct fake_tar *t, const char *path, unsigned int mode)
{
	header(t, path, mode, 0, '5', NULL);
}

void fake_tar_file(struct fake_tar *t, const char *path, unsigned int mode,
		   const void *data, size_t len)
{
	header(t, path, mode, len, '0', NULL);
	memcpy(grow(t, (len + BLOCK - 1) / BLOCK * BLOCK), data, len);
}

void fake_tar_symlink(struct fake_tar *t, const char *path, const char *target)
{
	header(t, path, 0777, 0, '2', target);
}

const void *fake_tar_finish(struct fake_tar *t, size_t *len)
{
	grow(t, 2 * BLOCK);
	*len = t->len;
	return t->buf;
}

void fake_tar_free(struct fake_tar *t)
{
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

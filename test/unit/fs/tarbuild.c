// SPDX-License-Identifier: Apache-2.0
/* tarbuild.c: in-memory tar writer for the fs unit tests (see tarbuild.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tarbuild.h"

static void *tb_grow(struct tarbuild *tb, size_t n)
{
	void *p;

	if (tb->len + n > tb->cap) {
		tb->cap = (tb->len + n) * 2;
		tb->buf = realloc(tb->buf, tb->cap);
		if (!tb->buf)
			abort();
	}
	p = tb->buf + tb->len;
	memset(p, 0, n);
	tb->len += n;
	return p;
}

void tb_init(struct tarbuild *tb)
{
	memset(tb, 0, sizeof(*tb));
}

void tb_free(struct tarbuild *tb)
{
	free(tb->buf);
	memset(tb, 0, sizeof(*tb));
}

static void octal(char *field, size_t n, uint64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%0*llo", (int)n - 1, (unsigned long long)v);
	memcpy(field, tmp, n - 1);
	field[n - 1] = '\0';
}

void tb_header(struct tarbuild *tb, const struct tb_hdr *h)
{
	uint8_t *b = tb_grow(tb, 512);
	char type = h->type ? h->type : '0';
	unsigned int sum = 0, i;

	strncpy((char *)b, h->name ? h->name : "", 100);
	octal((char *)b + 100, 8, h->mode ? h->mode : (type == '5' ? 0755 : 0644));
	octal((char *)b + 108, 8, h->uid);
	octal((char *)b + 116, 8, h->gid);
	if (h->raw_size) {
		memcpy(b + 124, h->raw_size, strnlen(h->raw_size, 12));
	} else if (h->base256_size) {
		b[124] = 0x80;
		for (i = 0; i < 8; i++)
			b[135 - i] = (uint8_t)(h->size >> (8 * i));
	} else {
		octal((char *)b + 124, 12, h->size);
	}
	octal((char *)b + 136, 12, (uint64_t)h->mtime);
	b[156] = (uint8_t)type;
	if (h->link)
		strncpy((char *)b + 157, h->link, 100);
	if (h->gnu_magic) {
		memcpy(b + 257, "ustar  ", 8);
	} else {
		memcpy(b + 257, "ustar", 6);
		memcpy(b + 263, "00", 2);
	}
	octal((char *)b + 329, 8, h->devmajor);
	octal((char *)b + 337, 8, h->devminor);
	if (h->prefix)
		strncpy((char *)b + 345, h->prefix, 155);
	memset(b + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += b[i];
	if (h->bad_checksum)
		sum += 1;
	snprintf((char *)b + 148, 8, "%06o", sum);
	b[155] = ' ';
}

void tb_data(struct tarbuild *tb, const void *data, size_t len)
{
	uint8_t *p = tb_grow(tb, (len + 511) / 512 * 512);

	memcpy(p, data, len);
}

void tb_file_mode(struct tarbuild *tb, const char *name, const char *content,
		  unsigned int mode, unsigned int uid, unsigned int gid)
{
	size_t len = strlen(content);

	tb_header(tb, &(struct tb_hdr){ .name = name, .size = len, .mode = mode,
					 .uid = uid, .gid = gid, .mtime = 1700000000 });
	tb_data(tb, content, len);
}

void tb_file(struct tarbuild *tb, const char *name, const char *content)
{
	tb_file_mode(tb, name, content, 0644, 0, 0);
}

void tb_dir(struct tarbuild *tb, const char *name)
{
	tb_header(tb, &(struct tb_hdr){ .name = name, .type = '5', .mtime = 1700000000 });
}

void tb_symlink(struct tarbuild *tb, const char *name, const char *target)
{
	tb_header(tb, &(struct tb_hdr){ .name = name, .type = '2', .link = target,
					 .mode = 0777 });
}

void tb_hardlink(struct tarbuild *tb, const char *name, const char *target)
{
	tb_header(tb, &(struct tb_hdr){ .name = name, .type = '1', .link = target });
}

void tb_pax(struct tarbuild *tb, const char *const *records)
{
	char data[8192];
	size_t len = 0;

	for (; *records; records++) {
		size_t body = strlen(*records) + 2;	/* ' ' and '\n' */
		size_t digits = 1, total;

		/* the length counts its own digits */
		while (1) {
			total = body + digits;
			if (snprintf(NULL, 0, "%zu", total) == (int)digits)
				break;
			digits++;
		}
		len += (size_t)snprintf(data + len, sizeof(data) - len, "%zu %s\n", total,
					*records);
	}
	tb_header(tb, &(struct tb_hdr){ .name = "PaxHeaders/x", .type = 'x', .size = len });
	tb_data(tb, data, len);
}

void tb_longname(struct tarbuild *tb, char type, const char *name)
{
	size_t len = strlen(name) + 1;

	tb_header(tb, &(struct tb_hdr){ .name = "././@LongLink", .type = type, .size = len,
					 .gnu_magic = true });
	tb_data(tb, name, len);
}

void tb_end(struct tarbuild *tb)
{
	tb_grow(tb, 1024);
}

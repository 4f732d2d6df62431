/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tarbuild.h: build tar archives in memory for the fs unit tests: ustar
 * headers with correct checksums, pax records, GNU long names, and the
 * knobs to break them (bad checksum, base-256 numbers, truncation).
 */
#ifndef TEST_UNIT_FS_TARBUILD_H
#define TEST_UNIT_FS_TARBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tarbuild {
	uint8_t *buf;
	size_t len, cap;
};

/* One header; unset fields get defaults (mode 0644 or 0755, uid/gid 0). */
struct tb_hdr {
	const char *name;	/* copied into the 100-byte name field (may fill it) */
	const char *prefix;	/* ustar prefix field */
	const char *link;	/* linkname field */
	char type;		/* '0' if 0 */
	unsigned int mode;
	uint64_t size;
	unsigned int uid, gid;
	long mtime;
	unsigned int devmajor, devminor;
	bool gnu_magic;		/* "ustar  \0" instead of "ustar\0" "00" */
	bool bad_checksum;
	bool base256_size;	/* GNU binary size field */
	const char *raw_size;	/* the size field verbatim (12 bytes at most) */
};

void tb_init(struct tarbuild *tb);
void tb_free(struct tarbuild *tb);
void tb_header(struct tarbuild *tb, const struct tb_hdr *h);
/* @len bytes of data and the padding to the next block. */
void tb_data(struct tarbuild *tb, const void *data, size_t len);
void tb_file(struct tarbuild *tb, const char *name, const char *content);
void tb_file_mode(struct tarbuild *tb, const char *name, const char *content,
		  unsigned int mode, unsigned int uid, unsigned int gid);
void tb_dir(struct tarbuild *tb, const char *name);
void tb_symlink(struct tarbuild *tb, const char *name, const char *target);
void tb_hardlink(struct tarbuild *tb, const char *name, const char *target);
/* A pax 'x' header with the records "key=value" given, NULL-terminated. */
void tb_pax(struct tarbuild *tb, const char *const *records);
/* GNU 'L' (long name) and 'K' (long link) headers. */
void tb_longname(struct tarbuild *tb, char type, const char *name);
/* The end: two zero blocks. */
void tb_end(struct tarbuild *tb);

#endif /* TEST_UNIT_FS_TARBUILD_H */

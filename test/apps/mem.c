// SPDX-License-Identifier: Apache-2.0
/*
 * mem.c: brk, anonymous and file mmap, munmap, mprotect, MAP_FIXED and
 * MAP_FIXED_NOREPLACE. There are no signals yet, so nothing here touches
 * memory that should fault: freed ranges are proven free by mapping them
 * again with MAP_FIXED_NOREPLACE.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "data.h"
#include "tap.h"

#define PG   4096UL
#define RW   (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != v)
			return 0;
	}
	return 1;
}

/* Raw brk: glibc's brk()/sbrk() keep their own idea of the break. */
static void check_brk(void)
{
	unsigned long cur = syscall(SYS_brk, 0), len = 64 * 1024;
	unsigned long top = (cur + PG - 1) & ~(PG - 1);
	int grew, shrank, rezeroed, below;

	grew = syscall(SYS_brk, cur + len) == (long)(cur + len);
	if (grew)
		memset((void *)cur, 0xa5, len);
	grew = grew && all_bytes((void *)cur, len, 0xa5);
	shrank = syscall(SYS_brk, cur) == (long)cur;
	/* Pages released by a shrink come back zeroed. */
	rezeroed = syscall(SYS_brk, cur + len) == (long)(cur + len) &&
		   all_bytes((void *)top, cur + len - top, 0);
	syscall(SYS_brk, cur);
	below = syscall(SYS_brk, PG) == (long)cur;

	ok(cur != 0, "brk(0) returns the current break");
	ok(grew, "brk grows by 64 KiB and the new memory is writable");
	ok(shrank, "brk shrinks back");
	ok(rezeroed, "brk regrown after a shrink reads zeros");
	ok(below, "brk below the heap start fails and returns the old break");
}

static void check_anon(void)
{
	unsigned char *p = mmap(NULL, 4 * PG, RW, ANON, -1, 0);
	unsigned char *r = mmap(NULL, PG, PROT_READ, ANON, -1, 0);

	if (ok(p != MAP_FAILED, "mmap anonymous RW 4 pages")) {
		ok(((unsigned long)p & (PG - 1)) == 0,
		   "the address is page aligned");
		ok(all_bytes(p, 4 * PG, 0), "anonymous memory reads zeros");
		memset(p, 0x5a, 4 * PG);
		ok(all_bytes(p, 4 * PG, 0x5a),
		   "anonymous memory keeps what was written");
		ok(munmap(p, 4 * PG) == 0, "munmap of the 4 pages");
	}
	if (ok(r != MAP_FAILED, "mmap anonymous read-only"))
		ok(all_bytes(r, PG, 0) && munmap(r, PG) == 0,
		   "read-only anonymous memory reads zeros");
	errno = 0;
	ok(mmap(NULL, 0, RW, ANON, -1, 0) == MAP_FAILED && errno == EINVAL,
	   "mmap of length 0 fails with EINVAL");
	errno = 0;
	ok(mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
		   errno == EINVAL,
	   "mmap without MAP_PRIVATE or MAP_SHARED fails with EINVAL");
}

static void check_unmap_fixed(void)
{
	unsigned char *p = mmap(NULL, 3 * PG, RW, ANON, -1, 0), *q;

	if (!ok(p != MAP_FAILED, "mmap 3 pages"))
		return;
	memset(p, 1, 3 * PG);
	ok(munmap(p + PG, PG) == 0, "munmap of the middle page");
	errno = 0;
	ok(munmap(p + 1, PG) == -1 && errno == EINVAL,
	   "munmap of an unaligned address fails with EINVAL");
	q = mmap(p + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	ok(q == p + PG,
	   "MAP_FIXED_NOREPLACE on the unmapped middle page succeeds");
	ok(q == p + PG && all_bytes(q, PG, 0),
	   "the new middle page reads zeros");
	ok(all_bytes(p, PG, 1) && all_bytes(p + 2 * PG, PG, 1),
	   "the pages on either side kept their contents");
	errno = 0;
	q = mmap(p, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	ok(q == MAP_FAILED && errno == EEXIST,
	   "MAP_FIXED_NOREPLACE over a mapping fails with EEXIST");
	q = mmap(p + 2 * PG, PG, RW, ANON | MAP_FIXED, -1, 0);
	ok(q == p + 2 * PG && all_bytes(q, PG, 0),
	   "MAP_FIXED replaces a mapping with zeros");
	ok(all_bytes(p, PG, 1), "MAP_FIXED leaves the neighbour page alone");
	ok(munmap(p, 3 * PG) == 0, "munmap of the whole range");
	q = mmap(p, 3 * PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	ok(q == p, "the whole range is free again");
	if (q != MAP_FAILED)
		munmap(q, 3 * PG);
}

static void check_mprotect(void)
{
	unsigned char *p = mmap(NULL, 2 * PG, RW, ANON, -1, 0);

	if (!ok(p != MAP_FAILED, "mmap 2 pages for mprotect"))
		return;
	p[0] = 'x';
	ok(mprotect(p, 2 * PG, PROT_READ) == 0, "mprotect RW to read-only");
	ok(p[0] == 'x', "read-only memory still reads back");
	ok(mprotect(p, PG, RW) == 0, "mprotect the first page back to RW");
	p[0] = 'y';
	ok(p[0] == 'y', "writable again after mprotect");
	ok(mprotect(p, 2 * PG, PROT_NONE) == 0 &&
		   mprotect(p, 2 * PG, RW) == 0 && p[0] == 'y',
	   "PROT_NONE and back keeps the contents");
	errno = 0;
	ok(mprotect(p + 1, PG, PROT_READ) == -1 && errno == EINVAL,
	   "mprotect of an unaligned address fails with EINVAL");
	munmap(p, 2 * PG);
	errno = 0;
	ok(mprotect(p, PG, PROT_READ) == -1 && errno == ENOMEM,
	   "mprotect of unmapped memory fails with ENOMEM");
}

static int is_pattern(const unsigned char *p, size_t off, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != pattern_byte(off + i))
			return 0;
	}
	return 1;
}

static void check_file(void)
{
	int fd = open("/data/pattern.bin", O_RDONLY), hfd;
	unsigned char *p, *p2, *h, b = 0;

	if (!ok(fd >= 0, "open /data/pattern.bin"))
		return;
	p = mmap(NULL, PATTERN_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (ok(p != MAP_FAILED, "mmap the file read-only, MAP_PRIVATE")) {
		ok(is_pattern(p, 0, PATTERN_SIZE),
		   "the mapping holds the file's bytes");
		munmap(p, PATTERN_SIZE);
	}
	p = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 8 * PG);
	if (ok(p != MAP_FAILED, "mmap at file offset 32 KiB"))
		ok(is_pattern(p, 8 * PG, 3 * PG) && munmap(p, 3 * PG) == 0,
		   "the mapping starts at the offset");
	errno = 0;
	ok(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED &&
		   errno == EINVAL,
	   "mmap at an unaligned file offset fails with EINVAL");

	p = mmap(NULL, 2 * PG, RW, MAP_PRIVATE, fd, 0);
	p2 = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	if (ok(p != MAP_FAILED && p2 != MAP_FAILED,
	       "two private mappings of the file")) {
		p[100] = ~pattern_byte(100);
		ok(p[100] == (unsigned char)~pattern_byte(100),
		   "a private mapping is writable");
		ok(pread(fd, &b, 1, 100) == 1 && b == pattern_byte(100),
		   "a private write does not reach the file");
		ok(p2[100] == pattern_byte(100),
		   "nor the other private mapping");
		munmap(p, 2 * PG);
		munmap(p2, 2 * PG);
	}
	close(fd);

	hfd = open("/data/hello.txt", O_RDONLY);
	h = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, hfd, 0);
	if (ok(h != MAP_FAILED, "mmap a file shorter than a page")) {
		ok(!memcmp(h, HELLO_TEXT, sizeof(HELLO_TEXT) - 1) &&
			   all_bytes(h + sizeof(HELLO_TEXT) - 1,
				     PG - sizeof(HELLO_TEXT) + 1, 0),
		   "its page holds the file, then zeros");
		munmap(h, PG);
	}
	close(hfd);
}

static void check_big(void)
{
	size_t len = 64UL << 20;
	unsigned char *p = mmap(NULL, len, RW, ANON, -1, 0);
	int good = 1;

	if (!ok(p != MAP_FAILED, "mmap 64 MiB"))
		return;
	for (size_t off = 0; off < len; off += 1 << 20)
		p[off] = (unsigned char)(off >> 20) + 1;
	p[len - 1] = 0xee;
	for (size_t off = 0; off < len; off += 1 << 20)
		good &= p[off] == (unsigned char)((off >> 20) + 1) &&
			p[off + 4096] == 0;
	ok(good && p[len - 1] == 0xee,
	   "64 MiB touched every MiB keeps its bytes");
	ok(munmap(p, len) == 0, "munmap 64 MiB");
}

int main(void)
{
	check_brk();
	check_anon();
	check_unmap_fixed();
	check_mprotect();
	check_file();
	check_big();
	return tap_done();
}

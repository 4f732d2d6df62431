/* SPDX-License-Identifier: Apache-2.0 */
/* stat.h: struct stat as x86_64 Linux lays it out for fstat/newfstatat (144 bytes). */
#ifndef ABI_LINUX_ARCH_STAT_H
#define ABI_LINUX_ARCH_STAT_H

#include <stdint.h>

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime_sec;
	uint64_t st_atime_nsec;
	uint64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	uint64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	int64_t __reserved[3];
};

_Static_assert(sizeof(struct linux_stat) == 144, "x86_64 struct stat is 144 bytes");

#endif /* ABI_LINUX_ARCH_STAT_H */

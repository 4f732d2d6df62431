/* SPDX-License-Identifier: Apache-2.0 */
/* stat.h: file modes, struct stat (arch half), struct statx. */
#ifndef ABI_LINUX_STAT_H
#define ABI_LINUX_STAT_H

#include <stdint.h>

#include "abi/linux/arch/stat.h"

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		04000
#define S_ISGID		02000
#define S_ISVTX		01000

#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

/* newfstatat / statx flags */
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000
#define AT_EACCESS		0x200

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t __spare2[14];
};

_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");

#define STATX_TYPE		0x0001U
#define STATX_MODE		0x0002U
#define STATX_NLINK		0x0004U
#define STATX_UID		0x0008U
#define STATX_GID		0x0010U
#define STATX_ATIME		0x0020U
#define STATX_MTIME		0x0040U
#define STATX_CTIME		0x0080U
#define STATX_INO		0x0100U
#define STATX_SIZE		0x0200U
#define STATX_BLOCKS		0x0400U
#define STATX_BASIC_STATS	0x07ffU

#endif /* ABI_LINUX_STAT_H */

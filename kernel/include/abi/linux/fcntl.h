/* SPDX-License-Identifier: Apache-2.0 */
/* fcntl.h: open flags, fcntl commands, access modes, dirent64, lseek. */
#ifndef ABI_LINUX_FCNTL_H
#define ABI_LINUX_FCNTL_H

#include <stdint.h>

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DSYNC		00010000
#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_NOATIME	01000000
#define O_CLOEXEC	02000000
#define O_PATH		010000000
#define O_TMPFILE	(020000000 | O_DIRECTORY)

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

/* record locks (struct flock) and open file description locks */
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/* flock(2) */
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* getdents64 record; d_reclen is 8-byte aligned */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#define LINUX_PATH_MAX	4096
#define LINUX_NAME_MAX	255

#endif /* ABI_LINUX_FCNTL_H */

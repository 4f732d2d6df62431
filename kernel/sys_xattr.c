// SPDX-License-Identifier: Apache-2.0
/*
 * sys_xattr.c: extended attributes. No sandbox filesystem stores them yet,
 * so every call says "not supported" (EOPNOTSUPP), which is what programs
 * like ls and cp expect from such a filesystem (ENOSYS makes ls -l print
 * an error for every file).
 */
#include "sentry/syscall.h"

#include "abi/linux/errno.h"

long sys_xattr_unsupported(struct task *t, const struct syscall_args *a)
{
	return -EOPNOTSUPP;
}

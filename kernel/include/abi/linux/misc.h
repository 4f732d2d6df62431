/* SPDX-License-Identifier: Apache-2.0 */
/* misc.h: small ABI pieces: uname, arch_prctl, ioctl numbers, termios, getrandom, rlimit. */
#ifndef ABI_LINUX_MISC_H
#define ABI_LINUX_MISC_H

#include <stdint.h>

struct linux_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TIOCGWINSZ	0x5413
#define TIOCGPGRP	0x540F
#define FIONREAD	0x541B
#define FIONBIO		0x5421
#define FIOCLEX		0x5451
#define LINUX_TERMIOS_SIZE	36	/* the kernel struct termios TCGETS fills (glibc's is 60) */
#define LINUX_WINSIZE_SIZE	8

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002

struct linux_rlimit {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};
#define LINUX_RLIM_INFINITY	(~0ULL)

#endif /* ABI_LINUX_MISC_H */

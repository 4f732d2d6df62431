// SPDX-License-Identifier: Apache-2.0
/* misc.c: uname, ids, getrandom, arch_prctl, set_tid_address, umask. */
#include <asm/prctl.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "tap.h"

static __thread int tls_var = 42;

static void check_ids(void)
{
	struct utsname u;

	if (ok(uname(&u) == 0, "uname")) {
		ok(!strcmp(u.sysname, "Linux"), "sysname is \"Linux\"");
		ok(!strcmp(u.machine, "x86_64"), "machine is \"x86_64\"");
		ok(u.release[0] >= '0' && u.release[0] <= '9',
		   "release starts with a digit");
	}
	ok(getpid() > 0, "getpid is positive");
	ok(gettid() == getpid(), "gettid is getpid in a single thread");
	ok(syscall(SYS_set_tid_address, NULL) == getpid(),
	   "set_tid_address returns the tid");
	ok(getuid() == 0 && geteuid() == 0, "getuid and geteuid are 0");
	ok(getgid() == 0 && getegid() == 0, "getgid and getegid are 0");
	umask(022);
	ok(umask(077) == 022 && umask(022) == 077,
	   "umask returns the old mask");
}

static void check_random(void)
{
	unsigned char a[32] = {0}, b[32] = {0};
	int nonzero = 0;

	ok(getrandom(a, sizeof(a), 0) == sizeof(a), "getrandom 32 bytes");
	for (unsigned i = 0; i < sizeof(a); i++)
		nonzero |= a[i];
	ok(nonzero, "the 32 bytes are not all zero");
	ok(getrandom(b, sizeof(b), GRND_NONBLOCK) == sizeof(b) &&
		   memcmp(a, b, sizeof(a)),
	   "a second getrandom differs");
	errno = 0;
	ok(getrandom(a, sizeof(a), 0x1000) == -1 && errno == EINVAL,
	   "getrandom with an unknown flag fails with EINVAL");
}

static void check_tls(void)
{
	unsigned long fs = 0, tp;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
	ok(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) == 0,
	   "arch_prctl ARCH_GET_FS");
	ok(fs != 0 && fs == tp, "FS base is the thread pointer in use");
	ok(tls_var == 42 && (unsigned long)&tls_var < fs &&
		   fs - (unsigned long)&tls_var < 4096,
	   "a __thread variable lies just below the thread pointer");
	errno = 0;
	ok(syscall(SYS_arch_prctl, 0x9999, 0) == -1 && errno == EINVAL,
	   "arch_prctl with an unknown code fails with EINVAL");
}

int main(void)
{
	check_ids();
	check_random();
	check_tls();
	return tap_done();
}

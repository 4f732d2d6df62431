// SPDX-License-Identifier: Apache-2.0
/*
 * nonsense.c: an app doing nonsense. Calls every syscall number with
 * garbage arguments (valid and invalid pointers, huge sizes, kernel
 * addresses) from a fixed seed, and says "survived" at the end. Run only
 * under the sentry (test/cli/run.sh): natively it would damage the host.
 * It must end normally: nothing an app passes may crash the sentry.
 * Calls that would end or stall the app, or wreck its own memory, are
 * skipped: exiting, sleeping, and the memory-map calls.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint64_t seed = 0x5eed;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static char buf[65536] __attribute__((aligned(4096)));

static uint64_t garbage(void)
{
	static const uint64_t special[] = {
		0, 1, 2, 3, (uint64_t)-1, (uint64_t)-100, 0x7fffffff, 0x80000000,
		0xffffffffffffff00, 0xffffffff80200000, 0xffff888000000000,
		0x0000800000000000, 0x7fff00000000, 0x10, 4096, 1UL << 40,
	};

	switch (rnd() % 4) {
	case 0:
		return special[rnd() % (sizeof(special) / sizeof(special[0]))];
	case 1:
		return (uint64_t)(buf + rnd() % sizeof(buf));	/* a valid pointer */
	case 2:
		return rnd() % 256;
	default:
		return rnd();
	}
}

static int skipped(long nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_rt_sigreturn:
	case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_pause:
	case SYS_mmap: case SYS_munmap: case SYS_mremap: case SYS_mprotect:
	case SYS_brk: case SYS_madvise: case SYS_arch_prctl:
	case SYS_read: case SYS_readv: case SYS_pread64: case SYS_preadv:
	case SYS_vfork: case SYS_fork: case SYS_clone: case SYS_clone3:
	case SYS_execve: case SYS_execveat: case SYS_kill: case SYS_tkill:
	case SYS_tgkill: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo:
	case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait: case SYS_wait4:
	case SYS_waitid: case SYS_select: case SYS_pselect6: case SYS_poll:
	case SYS_ppoll: case SYS_epoll_wait: case SYS_epoll_pwait:
	case SYS_epoll_pwait2: case SYS_futex: case SYS_alarm:
	case SYS_setitimer: case SYS_timer_settime: case SYS_timerfd_settime:
	case SYS_accept: case SYS_accept4: case SYS_recvfrom: case SYS_recvmsg:
	case SYS_recvmmsg: case SYS_msgrcv: case SYS_semop: case SYS_semtimedop:
	case SYS_io_getevents: case SYS_io_pgetevents: case SYS_mq_timedreceive:
	case SYS_shmat: case SYS_remap_file_pages: case SYS_mlock:
	case SYS_userfaultfd: case SYS_seccomp: case SYS_ptrace:
		return 1;
	}
	return 0;
}

int main(void)
{
	long calls = 0;

	for (int round = 0; round < 40; round++) {
		for (long nr = 0; nr < 460; nr++) {
			if (skipped(nr))
				continue;
			for (size_t i = 0; i < sizeof(buf); i += 8)
				*(uint64_t *)(buf + i) = rnd();
			syscall(nr, garbage(), garbage(), garbage(), garbage(),
				garbage(), garbage());
			calls++;
		}
	}
	dprintf(2, "survived %ld calls\n", calls);
	return 0;
}

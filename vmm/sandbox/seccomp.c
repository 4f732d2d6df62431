// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp.c: seccomp filters of sentry-vm's host processes.
 *
 * The ptrace stub's filter is raw BPF (it tests the instruction pointer,
 * which libseccomp cannot). Allowlists for the VMM and the helper belong
 * here too, written with libseccomp, one comment per entry.
 */
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define SECCOMP_NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp.c: unknown host arch"
#endif

#define DATA_NR	  offsetof(struct seccomp_data, nr)
#define DATA_ARCH offsetof(struct seccomp_data, arch)
/* The 64-bit instruction pointer, as two little-endian 32-bit words. */
#define DATA_IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define DATA_IP_HI (DATA_IP_LO + 4)

/* The syscalls a stub may make, and only from its stub page. */
static const uint32_t stub_allowed[] = {
	__NR_mmap,     /* map app pages from the RAM memfd (plat_as_map) */
	__NR_munmap,   /* unmap app pages (plat_as_unmap); stub setup */
	__NR_mprotect, /* change app page protection */
	__NR_exit,     /* never used; harmless */
	__NR_exit_group,
};

int seccomp_stub_filter(struct sock_filter *insns, size_t max,
			uint64_t syscall_end)
{
	const size_t nallow = sizeof(stub_allowed) / sizeof(stub_allowed[0]);
	size_t n = 0, i, kill_at, allow_at;

	/* Layout: 2 (arch) + 4 (ip) + 1 (nr) + nallow + kill + allow. */
	if (max < 9 + nallow)
		return -ENOSPC;
	kill_at = 7 + nallow;
	allow_at = kill_at + 1;

#define JUMP_TO(at) ((uint8_t)((at)-n - 1))
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_ARCH);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						SECCOMP_NATIVE_ARCH, 0,
						JUMP_TO(kill_at));
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_IP_LO);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						(uint32_t)syscall_end, 0,
						JUMP_TO(kill_at));
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						DATA_IP_HI);
	n++;
	insns[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						(uint32_t)(syscall_end >> 32),
						0, JUMP_TO(kill_at));
	n++;
	/* x32 numbers (bit 30 set) match nothing below: killed. */
	insns[n] =
		(struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_NR);
	n++;
	for (i = 0; i < nallow; i++) {
		insns[n] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, stub_allowed[i],
			JUMP_TO(allow_at), 0);
		n++;
	}
	insns[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						SECCOMP_RET_KILL_PROCESS);
	n++;
	insns[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						SECCOMP_RET_ALLOW);
	n++;
#undef JUMP_TO
	return (int)n;
}

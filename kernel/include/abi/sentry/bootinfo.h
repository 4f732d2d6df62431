/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bootinfo.h: the boot info format, VMM -> sentry. Self-contained (C99).
 *
 * A flattened device tree (built by vmm/bootinfo.c with libfdt, read by
 * kernel/bootinfo.c). Integers are big-endian FDT cells; 64-bit values are
 * two cells (<hi lo>). Layout:
 *
 *   / { compatible = "sentry-vm,v1";
 *       memory@0 { device_type = "memory"; reg = <ram base (2 cells), size (2 cells)>; };
 *       chosen {
 *           sentry,flavour   = <u32 BOOT_FLAVOUR_*>;
 *           sentry,ncpus     = <u32>;
 *           sentry,flags     = <u32 BOOT_F_*>;
 *           sentry,loglevel  = <u32>;
 *           sentry,ram-free  = <u64 first free pa> (after kernel and boot data);
 *           sentry,image     = <u64 pa, u64 size>;
 *           sentry,tsc-khz   = <u64>;
 *           sentry,boot-time = <u64 tsc, u64 realtime ns, u64 monotonic ns>;
 *           sentry,argv      = "arg0", "arg1", ...;   (string list)
 *           sentry,envp      = "K=V", ...;
 *           sentry,cwd       = "/";
 *           sentry,hostname  = "sentry";
 *           sentry,user      = <u32 uid, u32 gid>;
 *       };
 *   };
 */
#ifndef ABI_SENTRY_BOOTINFO_H
#define ABI_SENTRY_BOOTINFO_H

#define BOOTINFO_COMPATIBLE	"sentry-vm,v1"
#define BOOTINFO_MAX_SIZE	(64 * 1024)	/* the VMM reserves this much for the FDT */

#define BI_CHOSEN	"/chosen"
#define BI_FLAVOUR	"sentry,flavour"
#define BI_NCPUS	"sentry,ncpus"
#define BI_FLAGS	"sentry,flags"
#define BI_LOGLEVEL	"sentry,loglevel"
#define BI_RAM_FREE	"sentry,ram-free"
#define BI_IMAGE	"sentry,image"
#define BI_TSC_KHZ	"sentry,tsc-khz"
#define BI_BOOT_TIME	"sentry,boot-time"
#define BI_ARGV		"sentry,argv"
#define BI_ENVP		"sentry,envp"
#define BI_CWD		"sentry,cwd"
#define BI_HOSTNAME	"sentry,hostname"
#define BI_USER		"sentry,user"

enum boot_flavour {
	BOOT_FLAVOUR_PTRACE	= 0,	/* sentry is a host process (vmm/ptrace) */
	BOOT_FLAVOUR_KVM_PVM	= 1,	/* x86_64 guest on this PVM (pvm.md) */
	BOOT_FLAVOUR_KVM_RING0	= 2,	/* x86_64 guest at CPL 0 on VMX/SVM */
	BOOT_FLAVOUR_KVM_ARM64	= 3,	/* arm64 guest at EL1 */
};

enum boot_flags {
	BOOT_F_STRACE	= 1u << 0,	/* --strace: log every syscall */
	BOOT_F_QUIET	= 1u << 1,	/* -q: no informational messages */
	BOOT_F_READONLY	= 1u << 2,	/* --read-only: the root is not writable (/tmp, /dev are) */
};

#endif /* ABI_SENTRY_BOOTINFO_H */

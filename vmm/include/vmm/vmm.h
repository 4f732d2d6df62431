/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vmm.h: the host side's internal API between main(), the image, the boot
 * info builder and the two platform runners. Host only.
 */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sentry-vm's own exit statuses (the app's own code passes through 0-255). */
enum vmm_exit {
	VMM_EXIT_GUEST_FAULT	= 123,	/* the guest misbehaved; VM stopped (vm_fatal) */
	VMM_EXIT_ERROR		= 125,	/* sentry-vm failed: bad flag, no KVM, bad image */
	VMM_EXIT_NOEXEC		= 126,	/* command found but cannot be executed */
	VMM_EXIT_NOTFOUND	= 127,	/* command not found in the image */
};

enum vmm_platform {
	VMM_PLATFORM_AUTO,
	VMM_PLATFORM_KVM,
	VMM_PLATFORM_PTRACE,
};

struct vmm_config {
	const char *image_path;
	char **argv;		/* the command and its arguments, NULL-terminated */
	int argc;
	char **envp;		/* the app's environment, NULL-terminated */
	const char *cwd;	/* working directory in the image */
	enum vmm_platform platform;
	bool strace;
	bool quiet;
	bool read_only;		/* --read-only: root not writable */
	int loglevel;
	uint64_t ram_size;
	unsigned int ncpus;
	uint32_t uid, gid;	/* numeric user of the app (-u) */
};

/* The image, mapped read-only for the whole run. */
struct image {
	int fd;
	const void *data;
	size_t size;
};

/** image_open() - open and map @path read-only. Return: 0 or -errno (logged). */
int image_open(const char *path, struct image *img);
void image_close(struct image *img);

/* Everything the boot info carries (abi/sentry/bootinfo.h). */
struct boot_params {
	uint32_t flavour;	/* BOOT_FLAVOUR_* */
	uint32_t ncpus;
	uint32_t flags;		/* BOOT_F_* */
	uint32_t loglevel;
	uint64_t ram_size;
	uint64_t ram_free;	/* first pa the sentry may allocate */
	uint64_t image_pa, image_size;
	uint64_t tsc_khz;
	uint64_t boot_tsc;
	int64_t boot_realtime_ns, boot_monotonic_ns;
	char *const *argv;
	char *const *envp;
	const char *cwd;
	const char *hostname;
	uint32_t uid, gid;
};

/** boot_params_from_config() - fill the platform-independent fields of @bp. */
void boot_params_from_config(const struct vmm_config *cfg, const struct image *img,
			     struct boot_params *bp);

/**
 * bootinfo_build() - write the FDT for @bp into @buf (@size bytes).
 * Return: 0 or -ENOSPC / -EINVAL.
 */
int bootinfo_build(void *buf, size_t size, const struct boot_params *bp);

/**
 * kvm_usable() - can this host run the KVM platform? Fills @why (a sentence
 * for the user) when not. Return: 0, or -errno.
 */
int kvm_usable(char *why, size_t whylen);

/** kvm_run() - boot the embedded sentry and run the command. Return: exit status. */
int kvm_run(const struct vmm_config *cfg, const struct image *img);

/**
 * ptrace_usable() - can this host run the ptrace platform? Fills @why when not.
 */
int ptrace_usable(char *why, size_t whylen);

/*
 * ptrace_clock_start() - first sample of the TSC's rate for the ptrace
 * platform's clocks (vmm/ptrace/clock.c), as early as possible: the rate is
 * measured from here to the first exec, and a short interval costs a wait.
 * Harmless when the platform ends up being KVM.
 */
void ptrace_clock_start(void);

/** ptrace_run() - run the sentry in this process, the app traced. Return: exit status. */
int ptrace_run(const struct vmm_config *cfg, const struct image *img);

/* Logging: "sentry-vm: " prefix, newline appended. vmm_info is silenced by -q. */
void vmm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vmm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool vmm_quiet;

/* The sentry guest image, embedded by the build (build/host/sentry_blob.o). */
extern const unsigned char sentry_elf_start[], sentry_elf_end[];

#endif /* VMM_VMM_H */

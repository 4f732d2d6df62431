// SPDX-License-Identifier: Apache-2.0
/*
 * main.c: sentry_main(), the core's boot sequence, written out in order
 * (xv6 main.c). The same on every platform: under KVM the arch boot code
 * calls it in the guest; under ptrace vmm/ptrace calls it in-process.
 */
#define pr_fmt(fmt) fmt

#include "sentry/bootinfo.h"
#include "sentry/exec.h"
#include "sentry/kmalloc.h"
#include "sentry/log.h"
#include "sentry/page_alloc.h"
#include "sentry/platform.h"
#include "sentry/string.h"
#include "sentry/syscall.h"
#include "sentry/task.h"
#include "sentry/vdso.h"
#include "sentry/vfs.h"

#include "abi/linux/errno.h"
#include "abi/linux/fcntl.h"
#include "abi/sentry/bootinfo.h"

enum {
	STATUS_SETUP_ERROR = 125,	/* matches vmm.h: VMM_EXIT_ERROR */
	STATUS_NOEXEC = 126,
	STATUS_NOTFOUND = 127,
};

static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static const char *env_lookup(const char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static int try_exec(struct task *t, const char *path, const char *const *argv,
		    const char *const *envp)
{
	return exec_load(t, path, (char *const *)argv, (char *const *)envp);
}

/*
 * Start argv[0] like a shell's execvp: a name with a '/' is a path, anything
 * else is searched in the app's PATH. Return 0 or the first meaningful error
 * (EACCES/ENOEXEC beat ENOENT, as in execvp).
 */
static int exec_command(struct task *t, const char *const *argv,
			const char *const *envp)
{
	const char *path = env_lookup(envp, "PATH");
	const char *name = argv[0];
	size_t nlen = strlen(name);
	int err, first = -ENOENT;
	char buf[LINUX_PATH_MAX];

	if (strchr(name, '/'))
		return try_exec(t, name, argv, envp);
	if (!path)
		path = default_path;
	while (*path) {
		const char *end = strchr(path, ':');
		size_t dlen = end ? (size_t)(end - path) : strlen(path);

		if (dlen + 1 + nlen + 1 <= sizeof(buf) && nlen) {
			memcpy(buf, path, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, name, nlen + 1);
			err = try_exec(t, dlen ? buf : name, argv, envp);
			if (err == 0)
				return 0;
			if (err != -ENOENT && err != -ENOTDIR && first == -ENOENT)
				first = err;
		}
		path += dlen;
		if (*path == ':')
			path++;
	}
	return first;
}

static int exec_status(const char *cmd, int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
		pr_err("%s: command not found in the image", cmd);
		return STATUS_NOTFOUND;
	case -EACCES:
		pr_err("%s: permission denied (not an executable file)", cmd);
		return STATUS_NOEXEC;
	case -ENOEXEC:
		pr_err("%s: cannot execute: not a supported executable (static x86_64 ELF)", cmd);
		return STATUS_NOEXEC;
	case -EISDIR:
		pr_err("%s: is a directory", cmd);
		return STATUS_NOEXEC;
	default:
		pr_err("%s: cannot execute: error %d", cmd, -err);
		return STATUS_SETUP_ERROR;
	}
}

int sentry_main(const void *fdt, size_t fdt_size)
{
	struct boot_info *bi = &boot_info;
	struct task *t;
	int err;

	/* 1. boot info: everything else is configured from it */
	if (bootinfo_parse(fdt, fdt_size, bi))
		return STATUS_SETUP_ERROR;
	log_level = bi->loglevel;
	syscall_trace_enable(bi->flags & BOOT_F_STRACE);

	/* 2. physical memory */
	err = page_alloc_init(bi->ram_start, bi->ram_end);
	if (err) {
		pr_err("cannot manage RAM 0x%lx-0x%lx: error %d",
		       (unsigned long)bi->ram_start, (unsigned long)bi->ram_end, -err);
		return STATUS_SETUP_ERROR;
	}

	/* 3. the root filesystem: index the image in place, writable unless --read-only */
	vfs_set_root_writable(!(bi->flags & BOOT_F_READONLY));
	err = vfs_init(plat_phys_to_virt(bi->image_pa), bi->image_size);
	if (err) {
		pr_err("the image is not a usable rootfs tar; rebuild it (e.g. tar -cf image.tar -C rootfs .)");
		return STATUS_SETUP_ERROR;
	}

	/* 4. the first task: stdio and working directory */
	err = task_create_init(bi->cwd, &t);
	if (err) {
		pr_err("cannot start in working directory %s: error %d", bi->cwd, -err);
		return STATUS_SETUP_ERROR;
	}

	/*
	 * 5. the vDSO, last of the boot: the ptrace platform measures the
	 * TSC's rate over the boot when the [vvar] page asks for it
	 */
	err = vdso_init();
	if (err)
		pr_warn("no vDSO (error %d): the clocks are syscalls", -err);

	/* 6. load the command, then run it until it exits */
	err = exec_command(t, bi->argv, bi->envp);
	if (err)
		return exec_status(bi->argv[0], err);
	return task_run(t);
}

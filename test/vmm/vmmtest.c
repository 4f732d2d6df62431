// SPDX-License-Identifier: Apache-2.0
/*
 * vmmtest.c: run a test guest ELF under the KVM VMM in place of the
 * embedded sentry (test/vmm/run.sh).
 *
 *   vmmtest GUEST.elf [IMAGE]  run it (IMAGE: any file, mapped read-only);
 *                              exit with kvm_run()'s status
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/kvm.h"
#include "vmm/vmm.h"

static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	void *p = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		goto out;
	p = mmap(NULL, (size_t)st.st_size ? (size_t)st.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		p = NULL;
	*size = (size_t)st.st_size;
out:
	if (fd >= 0)
		close(fd);
	if (!p)
		fprintf(stderr, "vmmtest: %s: %s\n", path, strerror(errno));
	return p;
}

int main(int argc, char **argv)
{
	char *args[] = { "test", NULL }, *env[] = { NULL };
	struct vmm_config cfg = {
		.argv = args, .argc = 1, .envp = env, .cwd = "/",
		.ram_size = 64UL << 20, .ncpus = 1, .loglevel = 4,
	};
	struct image img = { .fd = -1 };
	size_t elf_size;
	void *elf;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vmmtest GUEST.elf [IMAGE]\n");
		return 2;
	}
	elf = read_file(argv[1], &elf_size);
	if (!elf)
		return VMM_EXIT_ERROR;
	if (argc == 3) {
		img.data = read_file(argv[2], &img.size);
		if (!img.data)
			return VMM_EXIT_ERROR;
	}
	return kvm_run_elf(&cfg, &img, elf, elf_size);
}

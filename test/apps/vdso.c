// SPDX-License-Identifier: Apache-2.0
/*
 * vdso.c [exec-child]: the vDSO. AT_SYSINFO_EHDR names an ELF shared object
 * whose symbols this program finds itself (the hash table, the symbol and
 * version tables, as a C library does); each function agrees with the
 * syscall it replaces; [vdso] shows in /proc/self/maps; a forked child and
 * an exec'd program have it too. Natively this is Linux's vDSO.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define CLOSE_NS	(100 * 1000 * 1000LL)	/* "agree": within 100 ms */

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);
typedef time_t (*time_fn)(time_t *);
typedef long (*getcpu_fn)(unsigned int *, unsigned int *, void *);
typedef int (*clock_getres_fn)(clockid_t, struct timespec *);

/* What a dynamic linker takes from the image. */
struct image {
	uintptr_t bias;			/* run-time address - link-time address */
	const Elf64_Sym *sym;
	const char *str;
	const Elf64_Word *hash;		/* DT_HASH, or NULL */
	const uint32_t *gnu_hash;	/* DT_GNU_HASH, or NULL */
	const Elf64_Half *versym;
	const Elf64_Verdef *verdef;
	size_t nsym;
};

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "REALTIME" },
	{ CLOCK_MONOTONIC, "MONOTONIC" },
	{ CLOCK_BOOTTIME, "BOOTTIME" },
	{ CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
	{ CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
	{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
};

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long sys_clock(clockid_t id)
{
	struct timespec t;

	if (syscall(SYS_clock_gettime, id, &t))
		return -1;
	return ts_ns(&t);
}

/* Symbols in a GNU hash table: the highest index any chain reaches, plus one. */
static size_t gnu_hash_nsym(const uint32_t *h)
{
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	const uint32_t *buckets = h + 4 + 2 * bloom, *chain = buckets + nbuckets;
	uint32_t last = 0;

	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

/* Find the dynamic section and its tables; false if one is missing. */
static int parse(uintptr_t base, struct image *im)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	int load = 0;

	memset(im, 0, sizeof(*im));
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !load++)
			im->bias = base + ph[i].p_offset - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(base + ph[i].p_offset);
	}
	if (!load || !dyn)
		return 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = im->bias + dyn->d_un.d_ptr;

		switch (dyn->d_tag) {
		case DT_SYMTAB: im->sym = (const Elf64_Sym *)p; break;
		case DT_STRTAB: im->str = (const char *)p; break;
		case DT_HASH: im->hash = (const Elf64_Word *)p; break;
		case DT_GNU_HASH: im->gnu_hash = (const uint32_t *)p; break;
		case DT_VERSYM: im->versym = (const Elf64_Half *)p; break;
		case DT_VERDEF: im->verdef = (const Elf64_Verdef *)p; break;
		}
	}
	if (im->hash)
		im->nsym = im->hash[1];		/* nchain */
	else if (im->gnu_hash)
		im->nsym = gnu_hash_nsym(im->gnu_hash);
	return im->sym && im->str && im->nsym && im->versym && im->verdef;
}

/* Does version index @ndx name @version in the image's version definitions? */
static int version_is(const struct image *im, unsigned int ndx, const char *version)
{
	const Elf64_Verdef *vd = im->verdef;

	for (;;) {
		if ((vd->vd_ndx & 0x7fff) == ndx) {
			const Elf64_Verdaux *aux =
				(const Elf64_Verdaux *)((const char *)vd + vd->vd_aux);

			return strcmp(im->str + aux->vda_name, version) == 0;
		}
		if (!vd->vd_next)
			return 0;
		vd = (const Elf64_Verdef *)((const char *)vd + vd->vd_next);
	}
}

/* The address of the defined function @name@@LINUX_2.6, or NULL. */
static void *lookup(const struct image *im, const char *name)
{
	for (size_t i = 1; i < im->nsym; i++) {
		const Elf64_Sym *s = &im->sym[i];
		int bind = ELF64_ST_BIND(s->st_info);

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    (bind != STB_GLOBAL && bind != STB_WEAK) || strcmp(im->str + s->st_name, name))
			continue;
		if (version_is(im, im->versym[i] & 0x7fff, "LINUX_2.6"))
			return (void *)(im->bias + s->st_value);
	}
	return NULL;
}

/* The [vdso] line of /proc/self/maps: its start and permissions. */
static int maps_vdso(uintptr_t *start, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo;

		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%*x %4s", &lo, perms) == 2) {
			*start = lo;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* What a new process checks of its vDSO: 0 when it is there and works. */
static int quick_check(void)
{
	uintptr_t base = getauxval(AT_SYSINFO_EHDR), start;
	struct image im;
	clock_gettime_fn cg;
	struct timespec t;
	char perms[5];

	if (!base || memcmp((void *)base, ELFMAG, SELFMAG) || !parse(base, &im))
		return 1;
	cg = (clock_gettime_fn)lookup(&im, "__vdso_clock_gettime");
	if (!cg || cg(CLOCK_MONOTONIC, &t) || llabs(ts_ns(&t) - sys_clock(CLOCK_MONOTONIC)) > CLOSE_NS)
		return 2;
	if (!maps_vdso(&start, perms) || start != base)
		return 3;
	return 0;
}

static void check_clocks(clock_gettime_fn cg)
{
	for (size_t c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		struct timespec t = { -1, -1 };
		long long before = sys_clock(clocks[c].id), after;
		int r = cg(clocks[c].id, &t);

		after = sys_clock(clocks[c].id);
		if (!ok(r == 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000 &&
				ts_ns(&t) > before - CLOSE_NS && ts_ns(&t) < after + CLOSE_NS,
			"clock_gettime(%s) in the vDSO agrees with the syscall", clocks[c].name))
			diag("r=%d vdso=%lld sys %lld..%lld", r, ts_ns(&t), before, after);
	}
}

/* Alternate vDSO and syscall reads: a monotonic clock never goes back. */
static void check_monotonic(clock_gettime_fn cg, clockid_t id, const char *name)
{
	long long last = 0, now;
	struct timespec t;
	int good = 1;

	for (int i = 0; i < 2000 && good; i++) {
		if (i % 2) {
			cg(id, &t);
			now = ts_ns(&t);
		} else {
			now = sys_clock(id);
		}
		if (now < last) {
			diag("%s went back by %lld ns at read %d", name, last - now, i);
			good = 0;
		}
		last = now;
	}
	ok(good, "%s never goes back between vDSO and syscall reads", name);
}

static void check_others(const struct image *im)
{
	clock_gettime_fn cg = (clock_gettime_fn)lookup(im, "__vdso_clock_gettime");
	gettimeofday_fn gtod = (gettimeofday_fn)lookup(im, "__vdso_gettimeofday");
	time_fn tm = (time_fn)lookup(im, "__vdso_time");
	getcpu_fn gc = (getcpu_fn)lookup(im, "__vdso_getcpu");
	clock_getres_fn gr = (clock_getres_fn)lookup(im, "__vdso_clock_getres");
	struct timespec r1, r2, t;
	struct timeval tv;
	unsigned int cpu = ~0u, node = ~0u;
	long long real;
	time_t a, b, s;

	real = sys_clock(CLOCK_REALTIME);
	ok(gtod(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000 &&
		   llabs(tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL - real) < CLOSE_NS,
	   "gettimeofday in the vDSO agrees with CLOCK_REALTIME");
	a = syscall(SYS_time, NULL);
	s = tm(&b);
	ok(s == b && s >= a && s <= a + 1, "time in the vDSO agrees with the syscall");
	ok(gc(&cpu, &node, NULL) == 0 && cpu < 4096 && node < 4096,
	   "getcpu in the vDSO gives a cpu and a node");
	ok(syscall(SYS_getcpu, &cpu, &node, NULL) == 0, "the getcpu syscall works too");
	ok(gr(CLOCK_MONOTONIC, &r1) == 0 && syscall(SYS_clock_getres, CLOCK_MONOTONIC, &r2) == 0 &&
		   r1.tv_sec == r2.tv_sec && r1.tv_nsec == r2.tv_nsec,
	   "clock_getres(MONOTONIC) in the vDSO agrees with the syscall");
	ok(gr(CLOCK_MONOTONIC_COARSE, &r1) == 0 &&
		   syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, &r2) == 0 &&
		   r1.tv_sec == r2.tv_sec && r1.tv_nsec == r2.tv_nsec,
	   "clock_getres(MONOTONIC_COARSE) in the vDSO agrees with the syscall");
	ok(cg(CLOCK_PROCESS_CPUTIME_ID, &t) == 0 && t.tv_nsec >= 0 && t.tv_nsec < 1000000000,
	   "clock_gettime(PROCESS_CPUTIME_ID) in the vDSO works (by the syscall)");
	ok(cg(12345, &t) == -EINVAL, "clock_gettime in the vDSO of a bad clock is -EINVAL");
}

static int wait_status(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday",
					     "__vdso_time", "__vdso_getcpu",
					     "__vdso_clock_getres" };
	uintptr_t base, start = 0;
	const Elf64_Ehdr *eh;
	clock_gettime_fn cg;
	struct image im;
	char perms[5] = "";
	int found = 1;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return quick_check();

	base = getauxval(AT_SYSINFO_EHDR);
	if (!ok(base != 0, "AT_SYSINFO_EHDR is in the auxv"))
		return tap_done();
	eh = (const Elf64_Ehdr *)base;
	ok(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
		   eh->e_type == ET_DYN && eh->e_machine == EM_X86_64,
	   "it is an x86_64 ELF shared object");
	if (!ok(parse(base, &im), "it has PT_LOAD, PT_DYNAMIC, a hash table, symbols and versions"))
		return tap_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		found &= ok(lookup(&im, names[i]) != NULL, "%s@LINUX_2.6 resolves", names[i]);
	if (!found)
		return tap_done();

	cg = (clock_gettime_fn)lookup(&im, "__vdso_clock_gettime");
	check_clocks(cg);
	check_monotonic(cg, CLOCK_MONOTONIC, "MONOTONIC");
	check_monotonic(cg, CLOCK_BOOTTIME, "BOOTTIME");
	check_monotonic(cg, CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE");
	check_others(&im);

	ok(maps_vdso(&start, perms) && start == base && perms[0] == 'r' && perms[2] == 'x',
	   "/proc/self/maps shows [vdso] r-x at AT_SYSINFO_EHDR");

	pid = fork();
	if (pid == 0)
		_exit(quick_check());
	ok(wait_status(pid) == 0, "a forked child has the same working vDSO");

	pid = fork();
	if (pid == 0) {
		execl(argv[0], argv[0], "exec-child", (char *)NULL);
		_exit(99);
	}
	ok(wait_status(pid) == 0, "an exec'd program gets a working vDSO");
	return tap_done();
}

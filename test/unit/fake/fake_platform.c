// SPDX-License-Identifier: Apache-2.0
/*
 * fake_platform.c: plat_* for the unit tests. RAM is a lazily zeroed
 * anonymous mapping; an address space is a sorted array of page entries,
 * so tests can read back exactly what the core mapped, and how often it
 * asked. Contract violations by the core (unaligned or out-of-range
 * arguments, a physical address outside RAM) abort with a message: they
 * are bugs the tests must see.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "sentry/arch/layout.h"
#include "sentry/arch/vvar.h"

#include "sentry/page_alloc.h"

#include "fake/fake.h"

struct fake_pte {
	uaddr_t va;
	paddr_t pa;
	unsigned int prot;
};

struct plat_as {
	struct fake_pte *ptes;	/* sorted by va */
	size_t n, cap;
	unsigned long maps, unmaps;
};

static char *ram;
static const void *image;
static paddr_t image_pa;
static size_t image_len;
static struct plat_as *active_as;
static fake_run_fn run_fn;
static int map_fail_err;
static unsigned int map_fail_count;
static char console[64 << 10];
static size_t console_len;

static __attribute__((noreturn, format(printf, 1, 2))) void contract(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fake platform: contract violated: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void fake_boot(void)
{
	if (!ram) {
		ram = mmap(NULL, FAKE_RAM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (ram == MAP_FAILED)
			contract("cannot map %lu bytes of fake RAM", FAKE_RAM_SIZE);
	}
	image = NULL;
	image_len = 0;
	active_as = NULL;
	run_fn = NULL;
	map_fail_count = 0;
	console_len = 0;
	console[0] = '\0';
	fake_host_reset();
	if (page_alloc_init(FAKE_RAM_START, FAKE_RAM_SIZE))
		contract("page_alloc_init failed");
}

void fake_set_image(paddr_t pa, const void *buf, size_t len)
{
	image_pa = pa;
	image = buf;
	image_len = len;
}

void *plat_phys_to_virt(paddr_t pa)
{
	if (ram && pa < FAKE_RAM_SIZE)
		return ram + pa;
	if (image && pa >= image_pa && pa - image_pa < image_len)
		return (char *)image + (pa - image_pa);
	contract("plat_phys_to_virt(0x%lx): not RAM or image", (unsigned long)pa);
}

void plat_phys_populate(paddr_t pa, size_t len)
{
	if (!ram || pa >= FAKE_RAM_SIZE || len > FAKE_RAM_SIZE - pa)
		contract("plat_phys_populate(0x%lx, %zu): not RAM", (unsigned long)pa, len);
}

void plat_image_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

int plat_as_create(struct plat_as **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void plat_as_destroy(struct plat_as *as)
{
	if (!as)
		return;
	if (as == active_as)
		contract("plat_as_destroy() of the active address space");
	free(as->ptes);
	free(as);
}

/* Index of the first entry with va >= @va. */
static size_t pte_find(const struct plat_as *as, uaddr_t va)
{
	size_t lo = 0, hi = as->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (as->ptes[mid].va < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void check_range(const char *what, uaddr_t va, size_t len)
{
	if (!PAGE_ALIGNED(va) || !PAGE_ALIGNED(len) || !len || va < USER_VA_START ||
	    va >= USER_VA_END || len > USER_VA_END - va)
		contract("%s(0x%lx, 0x%zx): bad range", what, (unsigned long)va, len);
}

static void pte_remove(struct plat_as *as, uaddr_t va, size_t len)
{
	size_t i = pte_find(as, va), j = pte_find(as, va + len);

	if (i == j)
		return;
	memmove(as->ptes + i, as->ptes + j, (as->n - j) * sizeof(*as->ptes));
	as->n -= j - i;
}

int plat_as_map(struct plat_as *as, uaddr_t va, paddr_t pa, size_t len,
		unsigned int prot)
{
	size_t n = len / PAGE_SIZE, i;

	check_range("plat_as_map", va, len);
	if (!PAGE_ALIGNED(pa) || pa >= FAKE_RAM_SIZE || len > FAKE_RAM_SIZE - pa)
		contract("plat_as_map: physical 0x%lx+0x%zx outside RAM", (unsigned long)pa, len);
	prot &= ~PLAT_MAP_LAZY;	/* a hint; the fake fills nothing ahead */
	if (prot & ~(unsigned int)(PROT_READ | PROT_WRITE | PROT_EXEC))
		contract("plat_as_map: prot 0x%x", prot);
	as->maps++;
	if (map_fail_count) {
		map_fail_count--;
		return map_fail_err;
	}
	pte_remove(as, va, len);
	if (as->n + n > as->cap) {
		size_t cap = (as->n + n) * 2;
		struct fake_pte *p = realloc(as->ptes, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		as->ptes = p;
		as->cap = cap;
	}
	i = pte_find(as, va);
	memmove(as->ptes + i + n, as->ptes + i, (as->n - i) * sizeof(*as->ptes));
	for (size_t k = 0; k < n; k++)
		as->ptes[i + k] = (struct fake_pte){ va + k * PAGE_SIZE,
						     pa + k * PAGE_SIZE, prot };
	as->n += n;
	return 0;
}

int plat_as_unmap(struct plat_as *as, uaddr_t va, size_t len)
{
	check_range("plat_as_unmap", va, len);
	as->unmaps++;
	pte_remove(as, va, len);
	return 0;
}

void plat_as_activate(struct plat_as *as)
{
	active_as = as;
}

struct plat_as *fake_as_active(void)
{
	return active_as;
}

bool fake_as_lookup(const struct plat_as *as, uaddr_t va, paddr_t *pa,
		    unsigned int *prot)
{
	size_t i = pte_find(as, va & PAGE_MASK);

	if (i >= as->n || as->ptes[i].va != (va & PAGE_MASK))
		return false;
	if (pa)
		*pa = as->ptes[i].pa;
	if (prot)
		*prot = as->ptes[i].prot;
	return true;
}

size_t fake_as_pages(const struct plat_as *as)
{
	return as->n;
}

unsigned long fake_as_map_calls(const struct plat_as *as)
{
	return as->maps;
}

unsigned long fake_as_unmap_calls(const struct plat_as *as)
{
	return as->unmaps;
}

void fake_as_fail_maps(int err, unsigned int count)
{
	map_fail_err = err;
	map_fail_count = count;
}

static int app_access(struct plat_as *as, uaddr_t va, char *buf, size_t len,
		      bool write, struct fault_info *fault)
{
	unsigned int prot;
	paddr_t pa;
	size_t n;

	for (; len; va += n, buf += n, len -= n) {
		bool mapped = fake_as_lookup(as, va, &pa, &prot);

		n = MIN(len, PAGE_SIZE - (va & ~PAGE_MASK));
		if (!mapped || !(write ? prot & PROT_WRITE : prot)) {
			memset(fault, 0, sizeof(*fault));
			fault->addr = va;
			fault->trapno = 14;	/* #PF */
			fault->error = 4 | (mapped ? 1 : 0) | (write ? 2 : 0);
			fault->signo = SIGSEGV;
			fault->code = mapped ? SEGV_ACCERR : SEGV_MAPERR;
			fault->write = write;
			return -1;
		}
		pa += va & ~PAGE_MASK;
		if (write)
			memcpy(plat_phys_to_virt(pa), buf, n);
		else
			memcpy(buf, plat_phys_to_virt(pa), n);
	}
	return 0;
}

int fake_app_read(struct plat_as *as, uaddr_t va, void *buf, size_t len,
		  struct fault_info *fault)
{
	return app_access(as, va, buf, len, false, fault);
}

int fake_app_write(struct plat_as *as, uaddr_t va, const void *buf, size_t len,
		   struct fault_info *fault)
{
	return app_access(as, va, (char *)buf, len, true, fault);
}

void fake_set_run_user(fake_run_fn fn)
{
	run_fn = fn;
}

enum plat_stop plat_run_user(struct task *t, struct regs *regs,
			     struct fault_info *fault)
{
	if (run_fn)
		return run_fn(t, regs, fault);
	memset(fault, 0, sizeof(*fault));
	fault->signo = SIGKILL;
	return PLAT_STOP_DEAD;
}

void plat_console_write(const char *s, size_t len)
{
	fwrite(s, 1, len, stderr);
	if (len >= sizeof(console)) {
		s += len - (sizeof(console) - 1);
		len = sizeof(console) - 1;
	}
	if (console_len + len >= sizeof(console)) {
		size_t drop = console_len + len - (sizeof(console) - 1);

		memmove(console, console + drop, console_len - drop);
		console_len -= drop;
	}
	memcpy(console + console_len, s, len);
	console_len += len;
	console[console_len] = '\0';
}

const char *fake_console(void)
{
	return console;
}

int plat_clock_ns(int clockid, int64_t *ns)
{
	struct timespec ts;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	clock_gettime(clockid, &ts);
	/* host_nanosleep() sleeps virtually: its time passes on the clocks at once */
	*ns = ts.tv_sec * 1000000000LL + ts.tv_nsec + (int64_t)fake_host_slept_ns();
	return 0;
}

/* The fake's clocks are the host's plus virtual sleeps: no formula, apps make syscalls. */
bool plat_clock_vvar(struct vvar *v)
{
	memset(v, 0, sizeof(*v));
	return false;
}

int64_t plat_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__noreturn void plat_panic(void)
{
	abort();
}

void plat_set_timer(int64_t deadline_ns)
{
}

void plat_task_clone(struct task *parent, struct task *child)
{
}

void plat_task_release(struct task *t)
{
}

/* One FPU for every fake task: enough for signal frame round trips. */
static unsigned char fake_fpu[PLAT_FPU_LEGACY];

size_t plat_fpu_size(struct task *t)
{
	return sizeof(fake_fpu);
}

int plat_fpu_get(struct task *t, void *buf, size_t size)
{
	memcpy(buf, fake_fpu, size);
	return 0;
}

int plat_fpu_set(struct task *t, const void *buf, size_t size)
{
	memcpy(fake_fpu, buf, size);
	return 0;
}

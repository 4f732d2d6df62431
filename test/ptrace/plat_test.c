// SPDX-License-Identifier: Apache-2.0
/*
 * plat_test.c: the ptrace platform (vmm/ptrace/, arch/x86_64/ptrace/) on the
 * real host: stub processes, mapping app pages, syscall/fault/interrupt
 * stops, and the stub's seccomp backstop. Skips, saying why, where ptrace
 * is unusable.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/arch/layout.h"
#include "sentry/arch/regs.h"

#include "sentry/platform.h"

#include "vmm/vmm.h"

#include "../../vmm/ptrace/ptrace.h"

#define RAM_SIZE (16UL << 20)
#define CODE_PA	 0x100000UL
#define DATA_PA	 0x200000UL
#define CODE_VA	 0x400000UL
#define DATA_VA	 0x600000UL
#define HOLE_VA	 0x700000UL

extern const unsigned char snip_start[], snip_end[];
extern const unsigned char snip_syscalls[], snip_store[], snip_load[],
	snip_jump[], snip_host_syscall[], snip_int3[], snip_ud2[], snip_div[],
	snip_vsyscall[], snip_int80[];

static struct plat_as *as;
static bool skipped;
static char why[256];

/* App address of a snippet once the code page is mapped at CODE_VA. */
static uint64_t at(const unsigned char *snip)
{
	return CODE_VA + (uint64_t)(snip - snip_start);
}

static void setup(void)
{
	if (ptrace_usable(why, sizeof(why)) < 0) {
		fprintf(stderr, "skipped: %s\n", why);
		skipped = true;
		return;
	}
	cr_assert_eq(ptrace_mem_init(RAM_SIZE, NULL, 0, -1), 0);
	memcpy(ptrace_mem.ram + CODE_PA, snip_start,
	       (size_t)(snip_end - snip_start));
	cr_assert_eq(plat_as_create(&as), 0);
	cr_assert_eq(plat_as_map(as, CODE_VA, CODE_PA, PAGE_SIZE,
				 PROT_READ | PROT_EXEC),
		     0);
	plat_as_activate(as);
}

static void teardown(void)
{
	if (skipped)
		return;
	plat_as_destroy(as);
	ptrace_mem_fini();
}

#define SKIP_UNLESS_PTRACE()                                                   \
	do {                                                                   \
		if (skipped)                                                   \
			cr_skip_test("skipped: %s", why);                      \
	} while (0)

static struct regs regs_at(const unsigned char *snip)
{
	struct regs r;

	memset(&r, 0, sizeof(r));
	r.rip = at(snip);
	r.rflags = RFLAGS_IF | RFLAGS_RESERVED;
	return r;
}

TestSuite(ptrace_plat, .init = setup, .fini = teardown);

Test(ptrace_plat, syscall_stop_gives_number_and_args)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r.rax = 1234;
	r.rdi = 1, r.rsi = 2, r.rdx = 3, r.r10 = 4, r.r8 = 5, r.r9 = 6;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.orig_rax, 1234);
	cr_assert_eq(r.rdi, 1);
	cr_assert_eq(r.rsi, 2);
	cr_assert_eq(r.rdx, 3);
	cr_assert_eq(r.r10, 4);
	cr_assert_eq(r.r8, 5);
	cr_assert_eq(r.r9, 6);
	cr_assert_eq(r.rip, at(snip_syscalls) + 2, "rip past the syscall");
	cr_assert_eq(r.rcx, r.rip, "syscall put the return address in rcx");
}

Test(ptrace_plat, syscall_result_reaches_the_app)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r.rax = 1;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	r.rax = 42; /* only the result changes: the POKEUSER path */
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.rdi, 42);
	cr_assert_eq(r.orig_rax, 42);
}

Test(ptrace_plat, changed_registers_reach_the_app)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r.rax = 1;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	r.rax = 7;
	r.rsi = 0x5151; /* more than the result: the SETREGS path */
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.rdi, 7);
	cr_assert_eq(r.rsi, 0x5151);
}

Test(ptrace_plat, kernel_state_is_sanitized)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r.cs = 0x10; /* kernel code selector */
	r.ss = 0x18;
	r.rflags |= 0x3000 | 0x4000; /* IOPL 3, NT */
	r.fs_base = 0xffff888000000000UL;
	r.ds = 0x10;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.cs, USER_CS);
	cr_assert_eq(r.ss, USER_DS);
	cr_assert_eq(r.rflags & 0x7000, 0);
	cr_assert_eq(r.fs_base, 0);
	cr_assert_eq(r.ds, 0);
}

Test(ptrace_plat, write_to_read_only_page_is_a_write_fault)
{
	struct regs r = regs_at(snip_store);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, PROT_READ),
		     0);
	r.rbx = DATA_VA + 0x10;
	r.rcx = 0x1122334455667788UL;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGSEGV);
	cr_assert_eq(f.code, SEGV_ACCERR);
	cr_assert_eq(f.addr, DATA_VA + 0x10);
	cr_assert_eq(f.trapno, 14);
	cr_assert(f.write);
	cr_assert(!f.exec);
	cr_assert_eq(f.error & 0x3, 0x3, "present, write");
	cr_assert_eq(r.rip, at(snip_store),
		     "stopped at the faulting instruction");

	/* Make it writable and retry: the store lands in the memfd. */
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE,
				 PROT_READ | PROT_WRITE),
		     0);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(*(uint64_t *)plat_phys_to_virt(DATA_PA + 0x10),
		     0x1122334455667788UL);
}

Test(ptrace_plat, app_reads_what_the_sentry_wrote)
{
	struct regs r = regs_at(snip_load);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	*(uint64_t *)plat_phys_to_virt(DATA_PA + 8) = 0xfeedUL;
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, PROT_READ),
		     0);
	r.rbx = DATA_VA + 8;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.rdx, 0xfeedUL);
}

Test(ptrace_plat, read_of_unmapped_page_is_a_maperr)
{
	struct regs r = regs_at(snip_load);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r.rbx = HOLE_VA + 0x20;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGSEGV);
	cr_assert_eq(f.code, SEGV_MAPERR);
	cr_assert_eq(f.addr, HOLE_VA + 0x20);
	cr_assert(!f.write);
	cr_assert(!f.exec);
	cr_assert_eq(f.error & 0x1, 0, "not present");
}

Test(ptrace_plat, unmapped_page_faults_again)
{
	struct regs r = regs_at(snip_load);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, PROT_READ),
		     0);
	cr_assert_eq(plat_as_unmap(as, DATA_VA, PAGE_SIZE), 0);
	r.rbx = DATA_VA;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.code, SEGV_MAPERR);
}

Test(ptrace_plat, jump_to_non_exec_page_is_an_exec_fault)
{
	struct regs r = regs_at(snip_jump);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE,
				 PROT_READ | PROT_WRITE),
		     0);
	r.rbx = DATA_VA;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGSEGV);
	cr_assert_eq(f.addr, DATA_VA);
	cr_assert(f.exec);
	cr_assert(!f.write);
	cr_assert(f.error & 0x10);
}

Test(ptrace_plat, traps_map_to_their_vectors)
{
	struct regs r;
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	r = regs_at(snip_int3);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGTRAP);
	cr_assert_eq(f.trapno, 3);
	cr_assert_eq(r.rip, at(snip_int3) + 1, "rip past int3");
	/* Not delivered: the app goes on to its syscall. */
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);

	r = regs_at(snip_ud2);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGILL);
	cr_assert_eq(f.trapno, 6);
	cr_assert_eq(f.addr, at(snip_ud2));

	r = regs_at(snip_div);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGFPE);
	cr_assert_eq(f.code, FPE_INTDIV);
	cr_assert_eq(f.trapno, 0);
}

/* No ia32 emulation in the sentry: int $0x80 is a #GP, as on such a host. */
Test(ptrace_plat, int80_is_a_fault_not_a_syscall)
{
	struct regs r = regs_at(snip_int80);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT);
	cr_assert_eq(f.signo, SIGSEGV);
	cr_assert_eq(f.trapno, 13);
	cr_assert_eq(r.rip, at(snip_int80) + 5, "rip at the int $0x80");
	cr_assert_eq(f.addr, r.rip);
	cr_assert_eq(r.rax, 20, "rax as before the instruction");
}

Test(ptrace_plat, host_signals_only_interrupt)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	kill(as->pid, SIGWINCH);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_INTERRUPT);
	cr_assert_eq(r.rip, at(snip_syscalls));
	/* A SIGSEGV sent by a process is not a fault either. */
	kill(as->pid, SIGSEGV);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_INTERRUPT);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
}

Test(ptrace_plat, restart_codes_are_not_restarted_by_the_host)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;
	uint64_t rip;

	SKIP_UNLESS_PTRACE();
	r.rax = 1;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	rip = r.rip;
	r.rax = (uint64_t)-512; /* -ERESTARTSYS */
	kill(as->pid, SIGWINCH);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_INTERRUPT);
	cr_assert_eq(r.rip, rip, "the host rewound rip for a restart");
	cr_assert_eq(r.rax, (uint64_t)-512);
}

Test(ptrace_plat, killed_stub_is_dead)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	kill(as->pid, SIGKILL);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_DEAD);
	cr_assert_eq(f.signo, SIGKILL);
	cr_assert_eq(as->pid, -1);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_DEAD);
}

Test(ptrace_plat, map_rejects_bad_ranges)
{
	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_map(as, 0, DATA_PA, PAGE_SIZE, PROT_READ),
		     -EINVAL);
	cr_assert_eq(plat_as_map(as, USER_VA_START - PAGE_SIZE, DATA_PA,
				 PAGE_SIZE, PROT_READ),
		     -EINVAL);
	cr_assert_eq(
		plat_as_map(as, USER_VA_END, DATA_PA, PAGE_SIZE, PROT_READ),
		-EINVAL);
	cr_assert_eq(plat_as_map(as, USER_VA_END - PAGE_SIZE, DATA_PA,
				 2 * PAGE_SIZE, PROT_READ),
		     -EINVAL);
	cr_assert_eq(
		plat_as_map(as, PTRACE_STUB_VA, DATA_PA, PAGE_SIZE, PROT_READ),
		-EINVAL);
	cr_assert_eq(
		plat_as_map(as, DATA_VA + 1, DATA_PA, PAGE_SIZE, PROT_READ),
		-EINVAL);
	cr_assert_eq(
		plat_as_map(as, DATA_VA, DATA_PA + 1, PAGE_SIZE, PROT_READ),
		-EINVAL);
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, 0, PROT_READ), -EINVAL);
	cr_assert_eq(plat_as_map(as, DATA_VA, RAM_SIZE, PAGE_SIZE, PROT_READ),
		     -EINVAL, "past RAM");
	cr_assert_eq(plat_as_map(as, DATA_VA, RAM_SIZE - PAGE_SIZE,
				 2 * PAGE_SIZE, PROT_READ),
		     -EINVAL);
	cr_assert_eq(
		plat_as_map(as, DATA_VA, GUEST_IMAGE_GPA, PAGE_SIZE, PROT_READ),
		-EINVAL, "no image here");
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, 0x8),
		     -EINVAL);
	cr_assert_eq(plat_as_unmap(as, USER_VA_END, PAGE_SIZE), -EINVAL);
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, PROT_NONE),
		     0);
}

/* The stub holds only the stub page, app mappings and [vsyscall]. */
Test(ptrace_plat, stub_keeps_no_sentry_memory)
{
	char path[64], line[512];
	unsigned long lo, hi;
	int lines = 0;
	FILE *maps;

	SKIP_UNLESS_PTRACE();
	snprintf(path, sizeof(path), "/proc/%d/maps", as->pid);
	maps = fopen(path, "r");
	cr_assert_not_null(maps);
	while (fgets(line, sizeof(line), maps)) {
		cr_assert_eq(sscanf(line, "%lx-%lx", &lo, &hi), 2);
		lines++;
		if (lo == PTRACE_STUB_VA) {
			cr_assert_eq(hi, PTRACE_STUB_VA + PAGE_SIZE);
			cr_assert(strstr(line, " r-xp "), "stub page: %s",
				  line);
		} else if (lo == CODE_VA) {
			cr_assert_eq(hi, CODE_VA + PAGE_SIZE);
			cr_assert(strstr(line, "sentry-ram"), "app page: %s",
				  line);
		} else {
			cr_assert(strstr(line, "[vsyscall]"), "left over: %s",
				  line);
		}
	}
	fclose(maps);
	cr_assert_geq(lines, 2);
}

Test(ptrace_plat, stub_keeps_only_the_memory_fds)
{
	char path[64];
	struct dirent *de;
	int n = 0;
	DIR *dir;

	SKIP_UNLESS_PTRACE();
	snprintf(path, sizeof(path), "/proc/%d/fd", as->pid);
	dir = opendir(path);
	cr_assert_not_null(dir);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		cr_assert_eq(atoi(de->d_name), ptrace_mem.memfd,
			     "fd %s left open", de->d_name);
		n++;
	}
	closedir(dir);
	cr_assert_eq(n, 1);
}

Test(ptrace_plat, stub_is_filtered)
{
	char path[64], line[256];
	bool nnp = false, filter = false;
	FILE *st;

	SKIP_UNLESS_PTRACE();
	snprintf(path, sizeof(path), "/proc/%d/status", as->pid);
	st = fopen(path, "r");
	cr_assert_not_null(st);
	while (fgets(line, sizeof(line), st)) {
		nnp |= strcmp(line, "NoNewPrivs:\t1\n") == 0;
		filter |= strcmp(line, "Seccomp:\t2\n") == 0;
	}
	fclose(st);
	cr_assert(nnp, "no_new_privs not set");
	cr_assert(filter, "no seccomp filter");
}

/* The backstop: app code that reaches the host kernel dies by SIGSYS. */
static void expect_sigsys_under_cont(struct regs *r)
{
	int status;

	ptrace_arch_sanitize(r);
	cr_assert_eq(ptrace(PTRACE_SETREGS, as->pid, NULL, r), 0);
	cr_assert_eq(ptrace(PTRACE_CONT, as->pid, NULL, NULL), 0);
	cr_assert_eq(waitpid(as->pid, &status, __WALL), as->pid);
	as->pid = -1; /* reaped */
	cr_assert(WIFSIGNALED(status), "status %#x", status);
	cr_assert_eq(WTERMSIG(status), SIGSYS);
}

Test(ptrace_plat, host_syscall_from_app_code_dies_by_sigsys)
{
	struct regs r = regs_at(snip_host_syscall);

	SKIP_UNLESS_PTRACE();
	expect_sigsys_under_cont(&r);
}

Test(ptrace_plat, mmap_from_app_code_dies_by_sigsys)
{
	struct regs r = regs_at(snip_syscalls);

	SKIP_UNLESS_PTRACE();
	r.rax = SYS_mmap; /* mmap(0x800000, 4096, RW, PRIVATE|ANON) */
	r.rdi = 0x800000;
	r.rsi = PAGE_SIZE;
	r.rdx = PROT_READ | PROT_WRITE;
	r.r10 = MAP_PRIVATE | MAP_ANONYMOUS;
	r.r8 = (uint64_t)-1;
	expect_sigsys_under_cont(&r);
}

Test(ptrace_plat, other_syscalls_from_the_stub_page_die_by_sigsys)
{
	struct regs r = regs_at(snip_syscalls);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(ptrace_stub_syscall(as, SYS_getpid, 0, 0, 0, 0, 0, 0),
		     -ESRCH);
	cr_assert_eq(as->pid, -1);
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_DEAD);
}

Test(ptrace_plat, vsyscall_does_not_reach_the_host)
{
	struct regs r = regs_at(snip_vsyscall);
	enum plat_stop stop;
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE,
				 PROT_READ | PROT_WRITE),
		     0);
	r.rsp = DATA_VA + PAGE_SIZE; /* the call pushes its return address */
	stop = plat_run_user(NULL, &r, &f);
	/* vsyscall=emulate/xonly: seccomp kills; vsyscall=none: a fault. */
	cr_assert(stop == PLAT_STOP_DEAD || stop == PLAT_STOP_FAULT, "stop %d",
		  stop);
	if (stop == PLAT_STOP_DEAD)
		cr_assert_eq(f.signo, SIGSYS);
	else
		cr_assert_eq(f.signo, SIGSEGV);
}

Test(ptrace_plat, address_spaces_are_separate)
{
	struct plat_as *other;
	struct regs r = regs_at(snip_load);
	struct fault_info f;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_as_create(&other), 0);
	cr_assert_eq(plat_as_map(other, CODE_VA, CODE_PA, PAGE_SIZE,
				 PROT_READ | PROT_EXEC),
		     0);
	cr_assert_eq(plat_as_map(as, DATA_VA, DATA_PA, PAGE_SIZE, PROT_READ),
		     0);
	plat_as_activate(other);
	r.rbx = DATA_VA;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_FAULT,
		     "DATA_VA is mapped only in the first");
	plat_as_destroy(other);
	cr_assert_null(ptrace_current_as);
	plat_as_activate(as);
	r = regs_at(snip_load);
	r.rbx = DATA_VA;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
}

Test(ptrace_plat, clocks_and_cpu_time)
{
	int64_t a, b;

	SKIP_UNLESS_PTRACE();
	cr_assert_eq(plat_clock_ns(CLOCK_MONOTONIC, &a), 0);
	cr_assert_eq(plat_clock_ns(CLOCK_MONOTONIC, &b), 0);
	cr_assert_geq(b, a);
	cr_assert_eq(plat_clock_ns(CLOCK_REALTIME, &a), 0);
	cr_assert_gt(a, 1600000000LL * 1000000000LL);
	cr_assert_eq(plat_clock_ns(CLOCK_PROCESS_CPUTIME_ID, &a), -EINVAL);
	cr_assert_eq(plat_clock_ns(12345, &a), -EINVAL);
	cr_assert_gt(plat_cpu_ns(), 0);
}

Test(ptrace_mem, phys_to_virt_outside_ram_and_image_aborts, .signal = SIGABRT)
{
	cr_assert_eq(ptrace_mem_init(RAM_SIZE, NULL, 0, -1), 0);
	(void)plat_phys_to_virt(RAM_SIZE);
}

Test(ptrace_mem, phys_to_virt_covers_ram_and_image)
{
	static const char image[] = "image bytes";

	cr_assert_eq(ptrace_mem_init(RAM_SIZE, image, sizeof(image), -1), 0);
	cr_assert_eq(plat_phys_to_virt(0), (void *)ptrace_mem.ram);
	cr_assert_eq(plat_phys_to_virt(RAM_SIZE - 1),
		     (void *)(ptrace_mem.ram + RAM_SIZE - 1));
	cr_assert_eq(plat_phys_to_virt(GUEST_IMAGE_GPA + 6),
		     (void *)(image + 6));
	ptrace_mem_fini();
}

Test(ptrace_mem, image_pages_map_read_only)
{
	char path[] = "/tmp/sentry-ptrace-image-XXXXXX";
	static unsigned char page[2 * 4096];
	struct regs r = regs_at(snip_load);
	struct fault_info f;
	int fd, wfd;

	wfd = mkstemp(path);
	cr_assert_geq(wfd, 0);
	memset(page, 0, sizeof(page));
	page[4096 + 16] = 0x5a;
	cr_assert_eq(write(wfd, page, sizeof(page)), (ssize_t)sizeof(page));
	fd = open(path, O_RDONLY); /* as image_open() opens it */
	cr_assert_geq(fd, 0);
	close(wfd);
	unlink(path);
	cr_assert_eq(ptrace_mem_init(RAM_SIZE, page, sizeof(page), fd), 0);
	if (ptrace_usable(why, sizeof(why)) < 0)
		cr_skip_test("skipped: %s", why);
	memcpy(ptrace_mem.ram + CODE_PA, snip_start,
	       (size_t)(snip_end - snip_start));
	cr_assert_eq(plat_as_create(&as), 0);
	plat_as_activate(as);
	cr_assert_eq(plat_as_map(as, CODE_VA, CODE_PA, PAGE_SIZE,
				 PROT_READ | PROT_EXEC),
		     0);
	cr_assert_eq(plat_as_map(as, DATA_VA, GUEST_IMAGE_GPA + PAGE_SIZE,
				 PAGE_SIZE, PROT_READ),
		     0);
	cr_assert_eq(plat_as_map(as, DATA_VA, GUEST_IMAGE_GPA, PAGE_SIZE,
				 PROT_READ | PROT_WRITE),
		     -EACCES, "the image is read-only");
	r.rbx = DATA_VA + 16;
	cr_assert_eq(plat_run_user(NULL, &r, &f), PLAT_STOP_SYSCALL);
	cr_assert_eq(r.rdx & 0xff, 0x5a);
	plat_as_destroy(as);
	ptrace_mem_fini();
	close(fd);
}

Test(ptrace_usable, says_yes_or_why_not)
{
	int ret;

	why[0] = '\0';
	ret = ptrace_usable(why, sizeof(why));
	if (ret < 0) {
		cr_assert_neq(why[0], '\0');
		cr_skip_test("skipped: %s", why);
	}
}

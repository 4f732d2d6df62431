// SPDX-License-Identifier: Apache-2.0
/*
 * cow.c: fork's private memory is the child's own, however it is written:
 * by the app (stores), by the sentry on the app's behalf (read(2) into a
 * buffer), after mprotect, mremap or MADV_DONTNEED, across two forks, with
 * the parent writing first or the child. Under the sentry the pages are
 * shared copy-on-write; each write must see exactly the Linux result.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NPAGES	256	/* more than the sentry copies at a fork (MM_FORK_COPY_PAGES) */
#define PG	4096

static char *region(void)
{
	char *p = mmap(NULL, NPAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (int i = 0; i < NPAGES; i++)
		memset(p + i * PG, 'a' + i % 26, PG);
	return p;
}

/* Every page of @p holds its initial pattern, except those in @skip's step. */
static int intact(const char *p, int step)
{
	for (int i = 0; i < NPAGES; i++) {
		if (step && i % step == 0)
			continue;
		for (int k = 0; k < PG; k += 512)
			if (p[i * PG + k] != 'a' + i % 26)
				return 0;
	}
	return 1;
}

static int exit_code(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_child_writes(void)
{
	char *p = region();
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < NPAGES; i += 2)
			p[i * PG + 7] = 'X';
		_exit(intact(p, 2) && p[7] == 'X' && p[62 * PG + 7] == 'X' ? 0 : 1);
	}
	ok(exit_code(pid) == 0, "a child writes every other page and keeps the rest");
	ok(intact(p, 0), "the parent's pages are unchanged");
	p[3 * PG + 7] = 'Y';
	ok(p[3 * PG + 7] == 'Y' && intact(p, 0), "the parent writes its own after the child is gone");
	munmap(p, NPAGES * PG);
}

static void test_parent_writes_first(void)
{
	char *p = region(), c;
	int go[2], done[2];
	pid_t pid;

	if (pipe(go) || pipe(done))
		return;
	pid = fork();
	if (pid == 0) {
		read(go[0], &c, 1);	/* the parent has written by now */
		c = intact(p, 0) ? 'k' : 'x';
		p[5 * PG] = 'C';
		write(done[1], &c, 1);
		_exit(p[5 * PG] == 'C' ? 0 : 1);
	}
	memset(p, 'P', NPAGES * PG);
	write(go[1], "g", 1);
	read(done[0], &c, 1);
	ok(c == 'k', "the child sees the fork-time contents after the parent rewrote them");
	ok(exit_code(pid) == 0 && p[5 * PG] == 'P' && p[NPAGES * PG - 1] == 'P',
	   "the child's write does not reach the parent");
	close(go[0]), close(go[1]), close(done[0]), close(done[1]);
	munmap(p, NPAGES * PG);
}

/* The sentry writes app memory for read(2): that copy must be the child's too. */
static void test_syscall_writes(void)
{
	char *p = region();
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return;
	write(fds[1], "syscall wrote this", 18);
	pid = fork();
	if (pid == 0) {
		ssize_t n = read(fds[0], p + 10 * PG + 100, 18);

		_exit(n == 18 && memcmp(p + 10 * PG + 100, "syscall wrote this", 18) == 0 &&
		      intact(p, 10) ? 0 : 1);
	}
	ok(exit_code(pid) == 0, "read(2) into a forked buffer fills the child's copy");
	ok(intact(p, 0), "and not the parent's");
	close(fds[0]), close(fds[1]);
	munmap(p, NPAGES * PG);
}

static void test_twice(void)
{
	char *p = region();
	pid_t pid = fork();

	if (pid == 0) {
		pid_t gc;

		p[PG] = '1';
		gc = fork();
		if (gc == 0) {
			int ok1 = p[PG] == '1';

			p[PG] = '2';
			p[2 * PG] = '2';
			_exit(ok1 && p[PG] == '2' ? 0 : 1);
		}
		_exit(exit_code(gc) == 0 && p[PG] == '1' && p[2 * PG] == 'a' + 2 ? 0 : 1);
	}
	ok(exit_code(pid) == 0, "a grandchild sees its parent's write and keeps its own");
	ok(intact(p, 0), "the grandparent sees neither");
	munmap(p, NPAGES * PG);
}

static void test_after_mm_calls(void)
{
	char *p = region(), *q;
	pid_t pid = fork();

	if (pid == 0) {
		int good;

		mprotect(p, NPAGES * PG, PROT_READ);
		mprotect(p, NPAGES * PG, PROT_READ | PROT_WRITE);
		p[0] = 'M';
		good = p[0] == 'M' && intact(p, NPAGES);
		madvise(p + 8 * PG, PG, MADV_DONTNEED);
		good = good && p[8 * PG] == 0 && p[9 * PG] == 'a' + 9;
		q = mremap(p, NPAGES * PG, 2 * NPAGES * PG, MREMAP_MAYMOVE);
		good = good && q != MAP_FAILED && q[9 * PG] == 'a' + 9;
		if (q != MAP_FAILED) {
			q[9 * PG] = 'R';
			q[NPAGES * PG] = 'N';
		}
		_exit(good && q[9 * PG] == 'R' ? 0 : 1);
	}
	ok(exit_code(pid) == 0, "mprotect, MADV_DONTNEED and mremap on forked memory act on the child's");
	ok(intact(p, 0), "the parent keeps every page");
	munmap(p, NPAGES * PG);
}

/* A private file mapping written before the fork: the child gets the written data. */
static void test_file_private(void)
{
	int fd = open("/apps/cow", O_RDONLY);
	char *p = fd < 0 ? MAP_FAILED : mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	pid_t pid;

	if (p == MAP_FAILED) {
		ok(0, "map a file privately");
		return;
	}
	ok(memcmp(p, "\177ELF", 4) == 0, "a private file mapping reads the file");
	p[0] = 'p';
	pid = fork();
	if (pid == 0) {
		int good = p[0] == 'p';

		p[1] = 'c';
		_exit(good && p[1] == 'c' ? 0 : 1);
	}
	ok(exit_code(pid) == 0 && p[0] == 'p' && p[1] == 'E',
	   "a forked private file mapping is copy-on-write both ways");
	munmap(p, 2 * PG);
	close(fd);
}

/* A stack variable the child changes (the child's stack is copy-on-write too). */
static void test_stack(void)
{
	volatile int v = 1;
	pid_t pid = fork();

	if (pid == 0) {
		v = 2;
		_exit(v);
	}
	ok(exit_code(pid) == 2 && v == 1, "a child's stack writes stay the child's");
}

int main(void)
{
	test_child_writes();
	test_parent_writes_first();
	test_syscall_writes();
	test_twice();
	test_after_mm_calls();
	test_file_private();
	test_stack();
	return tap_done();
}

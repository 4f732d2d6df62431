// SPDX-License-Identifier: Apache-2.0
/*
 * shmap.c: MAP_SHARED file mappings: a store through the mapping is what
 * read(2) sees and the reverse, in every mapping of the file and in every
 * process (fork, a second open); memfd_create and /dev/shm (shm_open) files;
 * access rules (PROT_WRITE needs a writable fd, also for mprotect); a
 * page past EOF is SIGBUS, also after a truncate shrinks the file under a
 * mapping (here and in a child), and it reads zero when the file grows
 * back; msync and munmap keep the data.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define PG	4096

static int exit_code(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_file(void)
{
	int fd = open("/tmp/shmap.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char buf[16] = "", *p, *q;
	pid_t pid;

	if (fd < 0 || ftruncate(fd, 3 * PG)) {
		ok(0, "make a 3-page file in /tmp");
		return;
	}
	pwrite(fd, "from write", 10, PG);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(p != MAP_FAILED && memcmp(p + PG, "from write", 10) == 0,
	   "a shared mapping reads what write(2) wrote");
	memcpy(p + 2 * PG + 5, "from store", 10);
	ok(pread(fd, buf, 10, 2 * PG + 5) == 10 && memcmp(buf, "from store", 10) == 0,
	   "read(2) sees a store through the mapping");
	pwrite(fd, "later", 5, 100);
	ok(memcmp(p + 100, "later", 5) == 0, "the mapping sees a later write(2)");
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	q[0] = 'F';
	ok(q != MAP_FAILED && p[PG] == 'F', "two mappings of one file are the same memory");
	munmap(q, PG);

	pid = fork();
	if (pid == 0) {
		int good = p[PG] == 'F';

		p[7] = 'c';
		_exit(good ? 0 : 1);
	}
	ok(exit_code(pid) == 0 && p[7] == 'c', "a forked child's store reaches the parent");
	pid = fork();
	if (pid == 0) {
		int fd2 = open("/tmp/shmap.dat", O_RDWR);
		char *r = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);

		_exit(r != MAP_FAILED && r[7] == 'c' && (r[8] = 'o') ? 0 : 1);
	}
	ok(exit_code(pid) == 0 && p[8] == 'o', "so does a store through another open in a child");
	ok(msync(p, 3 * PG, MS_SYNC) == 0, "msync");
	munmap(p, 3 * PG);
	ok(pread(fd, buf, 2, 7) == 2 && memcmp(buf, "co", 2) == 0, "the file keeps the data after munmap");
	close(fd);
	unlink("/tmp/shmap.dat");
}

static void test_rules(void)
{
	int fd = open("/tmp/shmap.ro", O_RDWR | O_CREAT | O_TRUNC, 0600), rfd;
	char *p;

	ftruncate(fd, PG);
	rfd = open("/tmp/shmap.ro", O_RDONLY);
	errno = 0;
	ok(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0) == MAP_FAILED && errno == EACCES,
	   "PROT_WRITE|MAP_SHARED of a read-only fd: EACCES");
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, rfd, 0);
	ok(p != MAP_FAILED, "PROT_READ of it works");
	errno = 0;
	ok(mprotect(p, PG, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	   "mprotect(PROT_WRITE) of that: EACCES");
	pwrite(fd, "seen", 4, 0);
	ok(memcmp(p, "seen", 4) == 0, "the read-only mapping still sees writes");
	munmap(p, PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
	ok(p != MAP_FAILED && (p[0] = 'x') && pread(fd, p + 8, 1, 0) == 1 && p[8] == 's',
	   "a private writable mapping of a read-only fd stays private");
	munmap(p, PG);
	close(rfd);
	close(fd);
	unlink("/tmp/shmap.ro");

	rfd = open("/apps/shmap", O_RDONLY);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, rfd, 0);
	ok(p != MAP_FAILED && memcmp(p, "\177ELF", 4) == 0, "a shared read-only mapping of an image file");
	munmap(p, PG);
	close(rfd);
}

static sigjmp_buf jump;

static void on_bus(int sig)
{
	siglongjmp(jump, sig);
}

static void test_past_eof(void)
{
	int fd = memfd_create("eof", 0);
	volatile char *p;
	int sig;

	ftruncate(fd, 100);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(p != MAP_FAILED && p[99] == 0 && p[4000] == 0, "the last page reads zero past the size");
	signal(SIGBUS, on_bus);
	sig = sigsetjmp(jump, 1);
	if (!sig)
		(void)p[PG];
	ok(sig == SIGBUS, "a page wholly past EOF is SIGBUS");
	ftruncate(fd, 2 * PG);
	sig = sigsetjmp(jump, 1);
	if (!sig)
		p[PG] = 'g';
	ok(sig == 0 && p[PG] == 'g', "after the file grows it is there");
	signal(SIGBUS, SIG_DFL);
	munmap((void *)p, 2 * PG);
	close(fd);
}

/* A child that maps @fd's second page before the truncate and touches it after. */
static void test_truncate(void)
{
	int fd = memfd_create("shrink", 0), go[2], st = -1, sig;
	volatile char *p;
	pid_t pid;

	ftruncate(fd, 3 * PG);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p[0] = 'a';
	p[PG] = 'b';
	p[2 * PG] = 'c';
	pipe(go);
	pid = fork();
	if (pid == 0) {
		char c;

		signal(SIGBUS, SIG_DFL);
		read(go[0], &c, 1);
		(void)p[PG];	/* past the new end: SIGBUS */
		_exit(0);
	}
	ftruncate(fd, PG);
	write(go[1], "x", 1);
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
	   "after a truncate, a child's mapped page past the end is SIGBUS");
	signal(SIGBUS, on_bus);
	sig = sigsetjmp(jump, 1);
	if (!sig)
		(void)p[2 * PG];
	ok(sig == SIGBUS && p[0] == 'a', "and so is this process's; the first page stays");
	ftruncate(fd, 3 * PG);
	sig = sigsetjmp(jump, 1);
	ok(!sig && p[PG] == 0 && p[2 * PG] == 0, "grown back, the pages read zero, not the old data");
	signal(SIGBUS, SIG_DFL);
	munmap((void *)p, 3 * PG);
	close(fd);
	close(go[0]);
	close(go[1]);
}

static void test_memfd_shm(void)
{
	int fd = memfd_create("shared", MFD_CLOEXEC);
	int *n;
	pid_t pid;

	ftruncate(fd, PG);
	n = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	*n = 1;
	pid = fork();
	if (pid == 0) {
		int *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		*m += 10;	/* a second mapping, made after the fork */
		_exit(0);
	}
	ok(exit_code(pid) == 0 && *n == 11, "a memfd mapped after a fork is shared with the parent");
	munmap(n, PG);
	close(fd);

	fd = shm_open("/shmap-test", O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		ok(0, "shm_open: %s", strerror(errno));
		return;
	}
	ftruncate(fd, PG);
	pid = fork();
	if (pid == 0) {
		int f2 = shm_open("/shmap-test", O_RDWR, 0);
		char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f2, 0);

		memcpy(m, "posix shm", 9);
		_exit(0);
	}
	n = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	ok(exit_code(pid) == 0 && memcmp(n, "posix shm", 9) == 0,
	   "a POSIX shared memory object is shared between processes");
	munmap(n, PG);
	close(fd);
	shm_unlink("/shmap-test");
}

int main(void)
{
	test_file();
	test_rules();
	test_past_eof();
	test_truncate();
	test_memfd_shm();
	return tap_done();
}

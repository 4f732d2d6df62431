// SPDX-License-Identifier: Apache-2.0
/*
 * locks.c: advisory file locks between processes: fcntl record locks
 * (conflicts, F_GETLK, split and merged ranges, release on any close and at
 * exit, F_SETLKW waiting, EINTR, EDEADLK), OFD locks and flock(2), on a
 * file in /tmp and on a read-only file of the image.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define PATH "/tmp/locks.f"

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

/* fcntl lock command @cmd of @type over @start, @len on @fd: 0 or errno. */
static int lk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl) ? errno : 0;
}

/* F_GETLK (or F_OFD_GETLK) for a @type lock over @start, @len. */
static struct flock getlk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	if (fcntl(fd, cmd, &fl))
		fl.l_type = -errno;
	return fl;
}

static int fl_is(struct flock fl, int type, off_t start, off_t len, pid_t pid)
{
	if (fl.l_type == type && (type == F_UNLCK ||
	    (fl.l_start == start && fl.l_len == len && fl.l_pid == pid)))
		return 1;
	diag("got type %d start %ld len %ld pid %d", fl.l_type, (long)fl.l_start,
	     (long)fl.l_len, fl.l_pid);
	return 0;
}

static int open_file(void)
{
	return open(PATH, O_RDWR | O_CREAT, 0600);
}

/* Run @fn(@arg) in a child and return its exit status (or -1). */
static int in_child(int (*fn)(long), long arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Child checks, as bits of the exit status. */
static int child_conflicts(long parent)
{
	int fd = open_file(), r = 0;

	r |= (lk(fd, F_SETLK, F_WRLCK, 0, 10) != EAGAIN) << 0;
	r |= (lk(fd, F_SETLK, F_RDLCK, 9, 1) != EAGAIN) << 1;
	r |= !fl_is(getlk(fd, F_GETLK, F_WRLCK, 5, 20), F_WRLCK, 0, 10, (pid_t)parent) << 2;
	r |= (lk(fd, F_SETLK, F_WRLCK, 10, 10) != 0) << 3;
	r |= !fl_is(getlk(fd, F_GETLK, F_RDLCK, 100, 0), F_UNLCK, 0, 0, 0) << 4;
	return r;
}

static int child_readers(long parent)
{
	int fd = open_file(), r = 0;

	r |= (lk(fd, F_SETLK, F_RDLCK, 0, 10) != 0) << 0;
	r |= (lk(fd, F_SETLK, F_WRLCK, 0, 1) != EAGAIN) << 1;
	r |= !fl_is(getlk(fd, F_GETLK, F_WRLCK, 0, 0), F_RDLCK, 0, 10, (pid_t)parent) << 2;
	return r;
}

/* The parent holds [0,40) and [60,100) (a split write lock). */
static int child_split(long parent)
{
	int fd = open_file(), r = 0;

	r |= (lk(fd, F_SETLK, F_WRLCK, 40, 20) != 0) << 0;
	r |= (lk(fd, F_SETLK, F_WRLCK, 39, 1) != EAGAIN) << 1;
	r |= (lk(fd, F_SETLK, F_WRLCK, 60, 1) != EAGAIN) << 2;
	r |= !fl_is(getlk(fd, F_GETLK, F_RDLCK, 70, 5), F_WRLCK, 60, 40, (pid_t)parent) << 3;
	r |= !fl_is(getlk(fd, F_GETLK, F_RDLCK, 0, 1), F_WRLCK, 0, 40, (pid_t)parent) << 4;
	return r;
}

/* The parent holds [0,10) and [10,30) written separately: one lock. */
static int child_merged(long parent)
{
	int fd = open_file();

	return !fl_is(getlk(fd, F_GETLK, F_WRLCK, 0, 0), F_WRLCK, 0, 30, (pid_t)parent);
}

static int child_free(long type)
{
	int fd = open_file();

	return lk(fd, F_SETLK, (int)type, 0, 0) != 0;
}

static int child_ofd_busy(long unused)
{
	int fd = open_file(), r = 0;

	(void)unused;
	r |= (lk(fd, F_OFD_SETLK, F_RDLCK, 0, 1) != EAGAIN) << 0;
	r |= (lk(fd, F_SETLK, F_RDLCK, 0, 1) != EAGAIN) << 1;
	return r;
}

static int child_flock(long want)
{
	int fd = open_file();

	return flock(fd, (int)want | LOCK_NB) ? errno : 0;
}

static void posix_locks(void)
{
	int fd = open_file(), fd2;
	pid_t me = getpid();

	ok(fd >= 0 && write(fd, "0123456789", 10) == 10, "create %s", PATH);
	ok(lk(fd, F_SETLK, F_WRLCK, 0, 10) == 0, "F_SETLK write lock on bytes 0-9");
	ok(fl_is(getlk(fd, F_GETLK, F_WRLCK, 0, 0), F_UNLCK, 0, 0, 0),
	   "F_GETLK: the process's own lock does not conflict");
	ok(in_child(child_conflicts, me) == 0,
	   "child: overlapping locks are EAGAIN, F_GETLK names the parent, others are free");

	ok(lk(fd, F_SETLK, F_RDLCK, 0, 10) == 0, "downgrade to a read lock");
	ok(in_child(child_readers, me) == 0, "child: read locks share, a write lock is EAGAIN");

	ok(lk(fd, F_SETLK, F_WRLCK, 0, 100) == 0 && lk(fd, F_SETLK, F_UNLCK, 40, 20) == 0,
	   "write lock 0-99, unlock 40-59");
	ok(in_child(child_split, me) == 0, "child: the hole is free, both halves are held");

	ok(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0 && lk(fd, F_SETLK, F_WRLCK, 0, 10) == 0 &&
	   lk(fd, F_SETLK, F_WRLCK, 10, 20) == 0, "unlock all, lock 0-9 then 10-29");
	ok(in_child(child_merged, me) == 0, "child: F_GETLK sees one merged lock 0-29");

	fd2 = open(PATH, O_RDONLY);
	ok(in_child(child_free, F_RDLCK) == 1, "still held after opening a second fd");
	close(fd2);
	ok(in_child(child_free, F_WRLCK) == 0, "closing another fd of the file drops the locks");
	close(fd);
}

/* Child: take a write lock, tell the parent, then exit or wait. */
static int child_holder(long arg)
{
	int fd = open_file(), wfd = (int)(arg & 0xffff);
	long hold_ms = arg >> 16;

	if (lk(fd, F_SETLK, F_WRLCK, 0, 0))
		return 1;
	if (write(wfd, "l", 1) != 1)
		return 2;
	nap_ms(hold_ms);
	if (write(wfd, "u", 1) != 1)
		return 3;
	return 0;		/* exit drops the lock */
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void waiting(void)
{
	int p[2], fd = open_file(), st;
	char c = 0;
	pid_t pid;

	ok(pipe(p) == 0, "pipe");
	pid = fork();
	if (pid == 0)
		_exit(child_holder(p[1] | (100L << 16)));
	ok(read(p[0], &c, 1) == 1 && c == 'l', "child holds a write lock");
	ok(lk(fd, F_SETLK, F_WRLCK, 0, 1) == EAGAIN, "F_SETLK is EAGAIN");
	ok(lk(fd, F_SETLKW, F_WRLCK, 0, 1) == 0, "F_SETLKW waits and gets the lock");
	ok(read(p[0], &c, 1) == 1 && c == 'u', "... after the child let it go at exit");
	ok(waitpid(pid, &st, 0) == pid && st == 0, "child exited 0");
	lk(fd, F_SETLK, F_UNLCK, 0, 0);

	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0)
		_exit(child_holder(p[1] | (10000L << 16)));
	ok(read(p[0], &c, 1) == 1 && c == 'l', "child holds a write lock again");
	alarm(1);
	ok(lk(fd, F_SETLKW, F_WRLCK, 0, 1) == EINTR, "a signal interrupts F_SETLKW: EINTR");
	alarm(0);
	kill(pid, SIGKILL);
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st), "child killed");
	ok(lk(fd, F_SETLK, F_WRLCK, 0, 1) == 0, "a killed holder's locks are gone");
	lk(fd, F_SETLK, F_UNLCK, 0, 0);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* Child: hold byte 1, then wait for byte 0 (the parent's). */
static int child_deadlock(long wfd)
{
	int fd = open_file();

	if (lk(fd, F_SETLK, F_WRLCK, 1, 1) || write((int)wfd, "l", 1) != 1)
		return 1;
	return lk(fd, F_SETLKW, F_WRLCK, 0, 1) ? 2 : 0;
}

static void deadlock(void)
{
	int p[2], fd = open_file(), st;
	char c;
	pid_t pid;

	ok(pipe(p) == 0 && lk(fd, F_SETLK, F_WRLCK, 0, 1) == 0, "parent holds byte 0");
	pid = fork();
	if (pid == 0)
		_exit(child_deadlock(p[1]));
	ok(read(p[0], &c, 1) == 1, "child holds byte 1");
	nap_ms(100);	/* the child now waits for byte 0 */
	ok(lk(fd, F_SETLKW, F_WRLCK, 1, 1) == EDEADLK, "waiting for byte 1 is EDEADLK");
	ok(lk(fd, F_SETLK, F_UNLCK, 0, 1) == 0, "parent lets byte 0 go");
	ok(waitpid(pid, &st, 0) == pid && st == 0, "child got byte 0");
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void ofd_locks(void)
{
	int a = open_file(), b = open_file(), dup_a = dup(a);

	ok(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10) == 0, "OFD write lock on one description");
	ok(lk(b, F_OFD_SETLK, F_WRLCK, 0, 1) == EAGAIN,
	   "another description of the same process conflicts");
	ok(lk(b, F_SETLK, F_RDLCK, 5, 1) == EAGAIN, "so does the process's POSIX lock");
	ok(fl_is(getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0), F_WRLCK, 0, 10, -1),
	   "F_OFD_GETLK reports it with pid -1");
	ok(lk(dup_a, F_OFD_SETLK, F_WRLCK, 5, 10) == 0, "a dup shares the description's lock");
	ok(in_child(child_ofd_busy, 0) == 0, "child: OFD and POSIX locks are EAGAIN");
	close(dup_a);
	close(b);
	ok(in_child(child_ofd_busy, 0) == 0, "closing a dup and another file keeps it");
	close(a);
	ok(in_child(child_free, F_WRLCK) == 0, "the last close drops it");
}

static int flock_a = -1, flock_b = -1;	/* the parent's two descriptions */

/* Child: wait for LOCK_EX, tell when it has it. */
static int child_flock_wait(long wfd)
{
	int fd;

	close(flock_a);	/* the parent's close must be the last one */
	close(flock_b);
	fd = open_file();

	if (flock(fd, LOCK_EX))
		return 1;
	return write((int)wfd, "g", 1) != 1;
}

static void flock_locks(void)
{
	int a = open_file(), b = open_file(), p[2], st;
	char c;
	pid_t pid;

	flock_a = a;
	flock_b = b;
	ok(flock(a, LOCK_EX) == 0, "flock LOCK_EX");
	ok(flock(b, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK,
	   "another description of the same process: EWOULDBLOCK");
	ok(in_child(child_flock, LOCK_SH) == EWOULDBLOCK, "child: LOCK_SH is EWOULDBLOCK");
	ok(lk(b, F_SETLK, F_WRLCK, 0, 0) == 0 && lk(b, F_SETLK, F_UNLCK, 0, 0) == 0,
	   "flock and fcntl locks do not conflict");
	ok(flock(a, LOCK_SH) == 0 && flock(b, LOCK_SH | LOCK_NB) == 0, "both share LOCK_SH");
	ok(in_child(child_flock, LOCK_SH) == 0, "child: LOCK_SH too");
	ok(in_child(child_flock, LOCK_EX) == EWOULDBLOCK, "child: LOCK_EX is EWOULDBLOCK");
	ok(flock(a, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK,
	   "upgrade while another shares: EWOULDBLOCK");
	ok(flock(b, LOCK_UN) == 0 && in_child(child_flock, LOCK_EX) == 0,
	   "the failed upgrade let the shared lock go");
	ok(flock(a, LOCK_EX) == 0, "upgrade");
	ok(flock(a, 0) == -1 && errno == EINVAL, "flock with no operation: EINVAL");

	ok(pipe(p) == 0, "pipe");
	pid = fork();
	if (pid == 0)
		_exit(child_flock_wait(p[1]));
	nap_ms(50);
	ok(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 && read(p[0], &c, 1) == -1 && errno == EAGAIN,
	   "child waits for LOCK_EX");
	fcntl(p[0], F_SETFL, 0);
	close(a);
	ok(read(p[0], &c, 1) == 1 && c == 'g', "closing the last fd hands it over");
	ok(waitpid(pid, &st, 0) == pid && st == 0, "child exited 0");
	close(b);
	close(p[0]);
	close(p[1]);
}

static int child_image(long parent)
{
	int fd = open("/data/hello.txt", O_RDONLY), r = 0;

	r |= !fl_is(getlk(fd, F_GETLK, F_WRLCK, 0, 0), F_RDLCK, 0, 0, (pid_t)parent) << 0;
	r |= (lk(fd, F_SETLK, F_RDLCK, 0, 0) != 0) << 1;
	return r;
}

static void image_file(void)
{
	int fd = open("/data/hello.txt", O_RDONLY);

	ok(lk(fd, F_SETLK, F_RDLCK, 0, 0) == 0, "read lock on a read-only image file");
	ok(lk(fd, F_SETLK, F_WRLCK, 0, 0) == EBADF, "a write lock needs a writable fd: EBADF");
	ok(in_child(child_image, getpid()) == 0, "child: sees the read lock, shares it");
	close(fd);
}

int main(void)
{
	posix_locks();
	waiting();
	deadlock();
	ofd_locks();
	flock_locks();
	image_file();
	unlink(PATH);
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/*
 * threads.c: pthreads on clone(CLONE_THREAD...) and futexes: create and
 * join with results, a mutex shared by 4 threads, a condition variable
 * ping-pong, thread-local storage, a barrier, semaphores, detached threads,
 * gettid/getpid, and a thread that ends while the others go on; robust
 * mutexes whose owner thread, or owner process, dies holding them;
 * priority-inheritance mutexes (PI futexes): contended, trylock, timedlock.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NTHREADS	4
#define NLOOPS		20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long mine;

static void *add(void *arg)
{
	for (int i = 0; i < NLOOPS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		mine++;
		if (i % 1000 == 0)
			sched_yield();
	}
	return (void *)(intptr_t)(mine + (intptr_t)arg);
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn, rounds;

/* Two threads take turns 0 and 1, 200 times each. */
static void *pingpong(void *arg)
{
	int me = (int)(intptr_t)arg;

	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&lock);
		while (turn != me)
			pthread_cond_wait(&cond, &lock);
		rounds++;
		turn = !me;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static pid_t tid_seen;
static pid_t pid_seen;

static void *ids(void *arg)
{
	(void)arg;
	tid_seen = (pid_t)syscall(SYS_gettid);
	pid_seen = getpid();
	return NULL;
}

static pthread_barrier_t barrier;
static int arrived;

static void *at_barrier(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&barrier);
	return (void *)(intptr_t)__atomic_load_n(&arrived, __ATOMIC_SEQ_CST);
}

static sem_t sem_in, sem_out;

static void *sem_echo(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		sem_wait(&sem_in);
		sem_post(&sem_out);
	}
	return NULL;
}

/*
 * Floating point in registers across preemption: each thread keeps a
 * running sum in vector registers for long enough to be switched out
 * many times; another thread's values leaking in would change it.
 */
static void *fp_work(void *arg)
{
	double x = (double)(intptr_t)arg, sum = 0;

	for (long i = 0; i < 30000000; i++) {
		sum += x * 0.5;
		x = x * 1.0000001 + 0.25;
	}
	return (void *)(intptr_t)(long)sum;
}

static volatile int detached_ran;

static void *detached(void *arg)
{
	(void)arg;
	detached_ran = 1;
	return NULL;
}

static void *exec_ids(void *arg)
{
	char *argv[] = { "/apps/threads", "ids", NULL }, *env[] = { NULL };

	(void)arg;
	execve(argv[0], argv, env);
	_exit(99);
}

/* A thread other than the main one execs: the new program is the process's only thread, tid = pid. */
static void test_exec_from_thread(void)
{
	pid_t pid = fork();
	pthread_t th;
	int st = 0;

	if (pid == 0) {
		pthread_create(&th, NULL, exec_ids, NULL);
		for (;;)
			pause();
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	   "exec from a second thread: the program runs as the process, gettid() == getpid()");
}

static pthread_mutex_t *robust;

static void *lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(robust);
	return NULL;	/* ends holding it */
}

static void robust_init(pthread_mutex_t *m, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	pthread_mutex_init(m, &a);
}

/* The owner ends holding a robust mutex: the next lock says EOWNERDEAD. */
static void test_robust(void)
{
	static pthread_mutex_t m;
	pthread_t th;
	pid_t pid;
	int st = -1, r;
	void *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	robust = &m;
	robust_init(robust, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&th, NULL, lock_and_die, NULL);
	pthread_join(th, NULL);
	r = pthread_mutex_lock(robust);
	ok(r == EOWNERDEAD && pthread_mutex_consistent(robust) == 0 &&
	   pthread_mutex_unlock(robust) == 0 && pthread_mutex_lock(robust) == 0,
	   "a robust mutex whose thread died holding it: EOWNERDEAD, then usable again");
	pthread_mutex_unlock(robust);

	robust = shared;
	robust_init(robust, PTHREAD_PROCESS_SHARED);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(robust);
		_exit(0);	/* holding it */
	}
	waitpid(pid, &st, 0);
	r = pthread_mutex_lock(robust);
	ok(r == EOWNERDEAD && pthread_mutex_consistent(robust) == 0 &&
	   pthread_mutex_unlock(robust) == 0,
	   "a process-shared robust mutex whose process died holding it: EOWNERDEAD");

	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(robust);
		sleep(1);	/* the parent waits in the lock meanwhile */
		_exit(0);
	}
	usleep(100 * 1000);
	r = pthread_mutex_lock(robust);
	ok(r == EOWNERDEAD, "and one waiting for it is woken with EOWNERDEAD");
	pthread_mutex_consistent(robust);
	pthread_mutex_unlock(robust);
	waitpid(pid, &st, 0);

	pid = fork();
	if (pid == 0) {
		char *argv[] = { "/apps/threads", "ids", NULL }, *env[] = { NULL };

		pthread_mutex_lock(robust);
		execve(argv[0], argv, env);	/* holding it */
		_exit(99);
	}
	waitpid(pid, &st, 0);
	r = pthread_mutex_trylock(robust);
	ok(WIFEXITED(st) && r == EOWNERDEAD, "one whose holder called execve: EOWNERDEAD");
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(robust);
	pthread_mutex_unlock(robust);
	munmap(shared, 4096);
}

static pthread_mutex_t pi_lock;
static long pi_counter;

static void *pi_add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&pi_lock);
		pi_counter++;
		if (i % 100 == 0)
			sched_yield();	/* holding it: the others must wait in the kernel */
		pthread_mutex_unlock(&pi_lock);
	}
	return NULL;
}

static void *pi_try_other(void *arg)
{
	struct timespec ts;

	(void)arg;
	if (pthread_mutex_trylock(&pi_lock) != EBUSY)
		return (void *)1;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return (void *)(intptr_t)(pthread_mutex_timedlock(&pi_lock, &ts) == ETIMEDOUT ? 0 : 2);
}

static void test_pi(void)
{
	pthread_mutexattr_t a;
	pthread_t th[NTHREADS];
	void *ret;
	int good = 1;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&pi_lock, &a);
	for (int i = 0; i < NTHREADS; i++)
		good &= pthread_create(&th[i], NULL, pi_add, NULL) == 0;
	for (int i = 0; i < NTHREADS; i++)
		good &= pthread_join(th[i], NULL) == 0;
	ok(good && pi_counter == NTHREADS * 2000, "a priority-inheritance mutex shared by 4 threads");

	pthread_mutex_lock(&pi_lock);
	good = pthread_create(&th[0], NULL, pi_try_other, NULL) == 0 &&
	       pthread_join(th[0], &ret) == 0 && ret == NULL;
	ok(good, "held: trylock is EBUSY and timedlock times out");
	ok(pthread_mutex_unlock(&pi_lock) == 0 && pthread_mutex_trylock(&pi_lock) == 0 &&
	   pthread_mutex_unlock(&pi_lock) == 0, "released: it can be taken again");

	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&pi_lock, &a);
	robust = &pi_lock;
	pthread_create(&th[0], NULL, lock_and_die, NULL);
	pthread_join(th[0], NULL);
	ok(pthread_mutex_lock(&pi_lock) == EOWNERDEAD, "a robust PI mutex whose owner died: EOWNERDEAD");
	pthread_mutex_consistent(&pi_lock);
	pthread_mutex_unlock(&pi_lock);
}

int main(int argc, char **argv)
{
	pthread_t th[NTHREADS];
	void *ret;
	int good = 1;

	if (argc > 1 && strcmp(argv[1], "ids") == 0)
		return getpid() == (pid_t)syscall(SYS_gettid) ? 7 : 8;

	for (int i = 0; i < NTHREADS; i++)
		good &= pthread_create(&th[i], NULL, add, (void *)(intptr_t)i) == 0;
	for (int i = 0; i < NTHREADS; i++)
		good &= pthread_join(th[i], &ret) == 0 && (intptr_t)ret == NLOOPS + i;
	ok(good, "4 threads join with their own results (thread-local counters)");
	ok(counter == NTHREADS * NLOOPS, "a mutex keeps their shared counter exact");
	ok(mine == 0, "the main thread's thread-local copy is untouched");

	good = pthread_create(&th[0], NULL, pingpong, (void *)0) == 0 &&
	       pthread_create(&th[1], NULL, pingpong, (void *)1) == 0;
	good &= pthread_join(th[0], NULL) == 0 && pthread_join(th[1], NULL) == 0;
	ok(good && rounds == 400, "a condition variable passes the turn 400 times");

	good = pthread_create(&th[0], NULL, ids, NULL) == 0 && pthread_join(th[0], NULL) == 0;
	ok(good && pid_seen == getpid() && tid_seen != getpid() &&
	   tid_seen != (pid_t)syscall(SYS_gettid), "a thread shares the pid and has its own tid");

	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, at_barrier, NULL);
	good = 1;
	for (int i = 0; i < NTHREADS; i++)
		good &= pthread_join(th[i], &ret) == 0 && (intptr_t)ret == NTHREADS;
	ok(good, "nobody leaves the barrier before all arrive");

	sem_init(&sem_in, 0, 0);
	sem_init(&sem_out, 0, 0);
	pthread_create(&th[0], NULL, sem_echo, NULL);
	good = 1;
	for (int i = 0; i < 100; i++) {
		sem_post(&sem_in);
		good &= sem_wait(&sem_out) == 0;
	}
	ok(good && pthread_join(th[0], NULL) == 0, "semaphores echo 100 times");

	intptr_t alone[2];

	for (int i = 0; i < 2; i++)
		alone[i] = (intptr_t)fp_work((void *)(intptr_t)(i + 1));
	good = pthread_create(&th[0], NULL, fp_work, (void *)1) == 0 &&
	       pthread_create(&th[1], NULL, fp_work, (void *)2) == 0;
	for (int i = 0; i < 2; i++)
		good &= pthread_join(th[i], &ret) == 0 && (intptr_t)ret == alone[i];
	ok(good && alone[0] != alone[1], "floating point in two threads at once gives what it gives alone");

	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	good = pthread_create(&th[0], &attr, detached, NULL) == 0;
	/* up to 10 s: a loaded host may not run it for a while (not a speed test) */
	for (int i = 0; i < 10000 && !detached_ran; i++)
		usleep(1000);
	ok(good && detached_ran, "a detached thread runs");

	ok(pthread_join(pthread_self(), NULL) == EDEADLK, "joining yourself is EDEADLK");
	test_exec_from_thread();
	test_robust();
	test_pi();
	return tap_done();
}

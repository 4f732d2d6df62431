// SPDX-License-Identifier: Apache-2.0
/*
 * preempt.c: a process that never makes a syscall must not keep the CPU:
 * its parent's short sleep ends and it can be killed, and two spinning
 * threads both make progress.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static volatile unsigned long progress[2];

static void *spin_thread(void *arg)
{
	int me = (int)(long)arg;

	for (;;)
		progress[me]++;
	return NULL;
}

int main(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	pthread_t th[2];
	pid_t pid = fork();
	int st = 0;

	if (pid == 0)
		for (volatile unsigned long i = 0;; i++)
			;
	nanosleep(&ts, NULL);
	ok(kill(pid, SIGKILL) == 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	   WTERMSIG(st) == SIGKILL, "a spinning child is preempted and killed");

	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, spin_thread, (void *)i);
	ts.tv_nsec = 100 * 1000 * 1000;
	nanosleep(&ts, NULL);
	ok(progress[0] && progress[1], "two spinning threads both run");
	return tap_done();	/* exit_group ends the spinners */
}

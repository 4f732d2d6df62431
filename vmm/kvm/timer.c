// SPDX-License-Identifier: Apache-2.0
/*
 * timer.c: preemption for the KVM guest (HC_SET_TIMER), both flavours.
 *
 * The guest asks for an interrupt at a CLOCK_MONOTONIC deadline. A POSIX
 * timer sends SIGALRM to the vCPU thread; the handler sets immediate_exit
 * so that a KVM_RUN under way (or about to start) returns at once, and
 * the loop injects X86_TIMER_VECTOR as soon as the guest has interrupts
 * on (user mode: the sentry itself runs with them off). On PVM the same
 * KVM_INTERRUPT goes through the guest IDT like an exception from user
 * mode (pvm.md 3.10), with no in-kernel irqchip and no LAPIC exits.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi/sentry/hostcall.h"

#include "vmm/kvm.h"

static timer_t timer;
static struct kvm_run *volatile timer_run;	/* the run page the handler pokes */
static volatile sig_atomic_t fired;

static void on_timer(int sig)
{
	struct kvm_run *run = timer_run;

	(void)sig;
	fired = 1;
	if (run)
		run->immediate_exit = 1;
}

static int set_timer(struct vm *vm, uint64_t deadline_ns)
{
	struct itimerspec its;

	(void)vm;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(deadline_ns / 1000000000);
	its.it_value.tv_nsec = (long)(deadline_ns % 1000000000);
	return timer_settime(timer, TIMER_ABSTIME, &its, NULL) == 0 ? 0 : -errno;
}

int vm_timer_init(struct vm *vm)
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return -errno;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);	/* the vCPU thread */
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0)
		return -errno;
	timer_run = vm->run;
	vm->set_timer = set_timer;
	return 0;
}

void vm_timer_fini(struct vm *vm)
{
	struct itimerspec off;

	if (!vm->set_timer)
		return;
	timer_run = NULL;	/* the run page goes with the vCPU */
	memset(&off, 0, sizeof(off));
	timer_settime(timer, 0, &off, NULL);
	vm->set_timer = NULL;
}

void vm_timer_inject(struct vm *vm)
{
	if (!vm->set_timer)
		return;
	vm->run->immediate_exit = 0;	/* a signal from here on sets it again */
	if (fired && arch_vm_inject_irq(vm, X86_TIMER_VECTOR))
		fired = 0;	/* else KVM exits when the guest can take it */
}

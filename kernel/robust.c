// SPDX-License-Identifier: Apache-2.0
/*
 * robust.c: robust futexes (set_robust_list(2), get_robust_list(2)). When a
 * thread ends, each lock on its robust list that it still owns is marked
 * FUTEX_OWNER_DIED and one waiter is woken, so that the next
 * pthread_mutex_lock() of a robust mutex returns EOWNERDEAD instead of
 * waiting for ever. The list lives in the app's memory and is the app's:
 * every read is checked and the walk is bounded.
 */
#include "sentry/mm.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"

#include "futex.h"

#define ROBUST_LIST_LIMIT	2048	/* entries walked at most, as Linux */

/* struct robust_list_head: the list, where the lock word sits in each entry, the one being taken */
struct robust_head {
	uint64_t next;
	int64_t futex_offset;
	uint64_t pending;
};

/* The lock of robust list entry @entry: released if @t owns it. */
static void release(struct task *t, uaddr_t entry, int64_t offset)
{
	uaddr_t uaddr = entry + (uaddr_t)offset;
	uint32_t word;

	if ((uaddr & 3) || mm_copy_from(t->mm, &word, uaddr, sizeof(word)))
		return;
	if ((word & FUTEX_TID_MASK) != (uint32_t)t->tid)
		return;
	word = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (mm_copy_to(t->mm, uaddr, &word, sizeof(word)) == 0 && (word & FUTEX_WAITERS))
		futex_wake(t->mm, uaddr, 1);
}

void futex_exit_robust(struct task *t)
{
	struct robust_head head;
	uaddr_t entry, pending;
	uint64_t next;

	if (!t->robust_list || !t->mm ||
	    mm_copy_from(t->mm, &head, t->robust_list, sizeof(head)))
		return;
	entry = head.next & ~1UL;	/* bit 0: a PI lock; the word is the same */
	pending = head.pending & ~1UL;
	for (int n = 0; entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
		if (mm_copy_from(t->mm, &next, entry, sizeof(next)))
			break;
		if (entry != pending)	/* taken last, below */
			release(t, entry, head.futex_offset);
		entry = next & ~1UL;
	}
	if (pending)
		release(t, pending, head.futex_offset);
	t->robust_list = 0;
}

/* get_robust_list(pid, head_ptr, len_ptr) */
long sys_get_robust_list(struct task *t, const struct syscall_args *a)
{
	int pid = arg_int(a, 0);
	struct task *target = pid ? task_find(pid) : t;
	uint64_t head, len = sizeof(struct robust_head);

	if (!target)
		return -ESRCH;
	if (target->tgid != t->tgid && target->uid != t->euid && t->euid != 0)
		return -EPERM;
	head = target->robust_list;
	if (copy_to_user(arg_uaddr(a, 1), &head, sizeof(head)) ||
	    copy_to_user(arg_uaddr(a, 2), &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

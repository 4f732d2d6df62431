// SPDX-License-Identifier: Apache-2.0
/*
 * futex.c: futex(2) for threads of one sandbox: WAIT, WAKE, WAIT_BITSET,
 * WAKE_BITSET, REQUEUE, CMP_REQUEUE and WAKE_OP. A futex is its address in
 * an mm (its key), except a shared one (no FUTEX_PRIVATE_FLAG) in
 * MAP_SHARED memory: that is its physical address, so that processes
 * mapping the page at different addresses meet. PI futexes (LOCK_PI,
 * LOCK_PI2, TRYLOCK_PI, UNLOCK_PI): the owner protocol of the futex word
 * (owner TID, FUTEX_WAITERS, FUTEX_OWNER_DIED) with the lock handed to the
 * first waiter; one vCPU, so there is no priority to inherit.
 */
#include "sentry/mm.h"
#include "sentry/platform.h"
#include "sentry/syscall.h"
#include "sentry/task.h"

#include "abi/linux/errno.h"
#include "abi/linux/time.h"

#include "futex.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_BITSET_ANY	0xffffffffU

/* What identifies a futex: (mm, address), or (NULL, physical address). */
struct futex_key {
	const struct mm *mm;
	uint64_t addr;
};

struct futex_waiter {
	struct list_head node;	/* futex_waiters */
	struct futex_key key;
	uint32_t bitset;
	bool woken;
	struct task *pi;	/* a LOCK_PI waiter, or NULL */
	bool handed;		/* UNLOCK_PI made it the owner */
	struct waitq wq;	/* just this waiter */
};

static struct list_head futex_waiters = LIST_HEAD_INIT(futex_waiters);

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->addr == b->addr;
}

/* The key of the futex at @uaddr of @mm; @shared: the op lacks FUTEX_PRIVATE_FLAG. */
static struct futex_key key_of(struct mm *mm, uaddr_t uaddr, bool shared)
{
	paddr_t pa;

	if (shared && mm_shared_phys(mm, uaddr, &pa) == 0)
		return (struct futex_key){ NULL, pa };
	return (struct futex_key){ mm, uaddr };
}

static int wake_matching(const struct futex_key *key, int n, uint32_t bitset)
{
	struct list_head *e, *next;
	struct futex_waiter *w;
	int woken = 0;

	for (e = futex_waiters.next; e != &futex_waiters && woken < n; e = next) {
		next = e->next;
		w = list_entry(e, struct futex_waiter, node);
		if (!key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		list_del(&w->node);
		w->woken = true;
		waitq_wake_all(&w->wq);
		woken++;
	}
	return woken;
}

int futex_wake(struct mm *mm, uaddr_t uaddr, int n)
{
	struct futex_key key = key_of(mm, uaddr, true);

	return wake_matching(&key, n, FUTEX_BITSET_ANY);
}

/* Move up to @n waiters of @from to @to. Return: how many. */
static int requeue(const struct futex_key *from, const struct futex_key *to, int n)
{
	struct futex_waiter *w;
	int moved = 0;

	for (struct list_head *e = futex_waiters.next; e != &futex_waiters && moved < n;
	     e = e->next) {
		w = list_entry(e, struct futex_waiter, node);
		if (key_eq(&w->key, from)) {
			w->key = *to;
			moved++;
		}
	}
	return moved;
}

/* The absolute CLOCK_MONOTONIC deadline of a FUTEX_WAIT* timeout at @u. */
static int wait_deadline(int op, int cmd, uaddr_t u, int64_t *deadline)
{
	struct linux_timespec ts;
	int64_t now, ns;

	*deadline = SCHED_FOREVER;
	if (!u)
		return 0;
	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		return 0;
	ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	plat_clock_ns(CLOCK_MONOTONIC, &now);
	if (cmd == FUTEX_WAIT) {
		*deadline = now + ns;	/* relative */
		return 0;
	}
	if (op & FUTEX_CLOCK_REALTIME) {	/* absolute, on the realtime clock */
		int64_t real;

		plat_clock_ns(CLOCK_REALTIME, &real);
		ns -= real - now;
	}
	*deadline = ns;
	return 0;
}

static long futex_wait(struct task *t, uaddr_t uaddr, bool shared, uint32_t val,
		       int64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = { .key = key_of(t->mm, uaddr, shared), .bitset = bitset };
	uint32_t cur;
	int err;

	if (!bitset)
		return -EINVAL;
	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	waitq_init(&w.wq);
	list_add_tail(&w.node, &futex_waiters);
	do {
		err = sched_wait(&w.wq, deadline);
	} while (!err && !w.woken);
	if (!w.woken)
		list_del(&w.node);
	if (w.woken)
		return 0;
	return err == -EINTR ? -EINTR : err;
}

/* --- PI futexes ------------------------------------------------------------- */

/* The first LOCK_PI waiter of @key after @after (NULL: from the start), or NULL. */
static struct futex_waiter *pi_waiter(const struct futex_key *key, struct futex_waiter *after)
{
	struct list_head *e = after ? after->node.next : futex_waiters.next;

	for (; e != &futex_waiters; e = e->next) {
		struct futex_waiter *w = list_entry(e, struct futex_waiter, node);

		if (w->pi && key_eq(&w->key, key))
			return w;
	}
	return NULL;
}

/*
 * Take the PI futex at @uaddr for @t if it is free (or its owner is gone
 * with FUTEX_OWNER_DIED set). Else mark it FUTEX_WAITERS when @waiting.
 * Return: 0 taken, -EAGAIN owned by another, -EDEADLK, -ESRCH, -EFAULT.
 */
static int pi_take(struct task *t, uaddr_t uaddr, const struct futex_key *key, bool waiting)
{
	uint32_t cur, owner, new;
	struct task *o;

	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	owner = cur & FUTEX_TID_MASK;
	if (owner == (uint32_t)t->tid)
		return -EDEADLK;
	o = owner ? task_find((int)owner) : NULL;
	if (owner && !o && !(cur & FUTEX_OWNER_DIED))
		return -ESRCH;	/* as Linux: the word names no thread */
	if (owner && o) {
		new = cur | FUTEX_WAITERS;
		if (!waiting || new == cur)
			return -EAGAIN;
		return copy_to_user(uaddr, &new, sizeof(new)) ? -EFAULT : -EAGAIN;
	}
	new = (uint32_t)t->tid | (cur & FUTEX_OWNER_DIED) | (pi_waiter(key, NULL) ? FUTEX_WAITERS : 0);
	return copy_to_user(uaddr, &new, sizeof(new)) ? -EFAULT : 0;
}

static long futex_lock_pi(struct task *t, uaddr_t uaddr, bool shared, int64_t deadline,
			  bool try)
{
	struct futex_waiter w = { .key = key_of(t->mm, uaddr, shared), .pi = t,
				  .bitset = FUTEX_BITSET_ANY };
	int err;

	for (;;) {
		err = pi_take(t, uaddr, &w.key, !try);
		if (err != -EAGAIN || try)
			return err == -EAGAIN ? -EWOULDBLOCK : err;
		w.woken = w.handed = false;
		waitq_init(&w.wq);
		list_add_tail(&w.node, &futex_waiters);
		do {
			err = sched_wait(&w.wq, deadline);
		} while (!err && !w.woken);
		if (w.handed)
			return 0;
		if (!w.woken)
			list_del(&w.node);
		if (err == -EINTR)
			return -ERESTARTNOINTR;	/* as Linux: a lock is taken again, not EINTR */
		if (err)
			return err;
		/* woken otherwise (the owner died): look again */
	}
}

static long futex_unlock_pi(struct task *t, uaddr_t uaddr, bool shared)
{
	struct futex_key key = key_of(t->mm, uaddr, shared);
	struct futex_waiter *w;
	uint32_t cur, new = 0;

	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	if ((cur & FUTEX_TID_MASK) != (uint32_t)t->tid)
		return -EPERM;
	w = pi_waiter(&key, NULL);
	if (w)	/* hand it over: the waiter returns owning it */
		new = (uint32_t)w->pi->tid | (pi_waiter(&key, w) ? FUTEX_WAITERS : 0);
	if (copy_to_user(uaddr, &new, sizeof(new)))
		return -EFAULT;
	if (w) {
		list_del(&w->node);
		w->woken = w->handed = true;
		waitq_wake_all(&w->wq);
	}
	return 0;
}

/* FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2, oparg); compare the old value. */
static long futex_wake_op(struct task *t, bool shared, uaddr_t uaddr, int n,
			  uaddr_t uaddr2, int n2, uint32_t encoded)
{
	struct futex_key k1, k2;
	unsigned int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)((encoded << 8) >> 20), cmparg = (int)((encoded << 20) >> 20);
	int old, new, woken;
	bool cond;

	if (encoded & (8U << 28))
		oparg = 1 << (oparg & 31);
	if (copy_from_user(&old, uaddr2, sizeof(old)))
		return -EFAULT;
	switch (op) {
	case 0: new = oparg; break;
	case 1: new = old + oparg; break;
	case 2: new = old | oparg; break;
	case 3: new = old & ~oparg; break;
	case 4: new = old ^ oparg; break;
	default: return -ENOSYS;
	}
	if (copy_to_user(uaddr2, &new, sizeof(new)))
		return -EFAULT;
	switch (cmp) {
	case 0: cond = old == cmparg; break;
	case 1: cond = old != cmparg; break;
	case 2: cond = old < cmparg; break;
	case 3: cond = old <= cmparg; break;
	case 4: cond = old > cmparg; break;
	case 5: cond = old >= cmparg; break;
	default: return -ENOSYS;
	}
	k1 = key_of(t->mm, uaddr, shared);
	k2 = key_of(t->mm, uaddr2, shared);
	woken = wake_matching(&k1, n, FUTEX_BITSET_ANY);
	if (cond)
		woken += wake_matching(&k2, n2, FUTEX_BITSET_ANY);
	return woken;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
long sys_futex(struct task *t, const struct syscall_args *a)
{
	uaddr_t uaddr = arg_uaddr(a, 0), uaddr2 = arg_uaddr(a, 4);
	int op = arg_int(a, 1), cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint32_t val = arg_uint(a, 2), val3 = arg_uint(a, 5), cur;
	int n2 = (int)MIN(arg_u64(a, 3), (uint64_t)INT32_MAX);
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	struct futex_key key, key2;
	int64_t deadline;
	int err, woken;

	if (uaddr & 3)
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		err = wait_deadline(op, cmd, arg_uaddr(a, 3), &deadline);
		if (err)
			return err;
		return futex_wait(t, uaddr, shared, val, deadline,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : val3);
	case FUTEX_WAKE:
		key = key_of(t->mm, uaddr, shared);
		return wake_matching(&key, (int)MIN(val, (uint32_t)INT32_MAX), FUTEX_BITSET_ANY);
	case FUTEX_WAKE_BITSET:
		if (!val3)
			return -EINVAL;
		key = key_of(t->mm, uaddr, shared);
		return wake_matching(&key, (int)MIN(val, (uint32_t)INT32_MAX), val3);
	case FUTEX_CMP_REQUEUE:
		if (copy_from_user(&cur, uaddr, sizeof(cur)))
			return -EFAULT;
		if (cur != val3)
			return -EAGAIN;
		/* fall through */
	case FUTEX_REQUEUE:
		if (uaddr2 & 3)
			return -EINVAL;
		key = key_of(t->mm, uaddr, shared);
		key2 = key_of(t->mm, uaddr2, shared);
		woken = wake_matching(&key, (int)MIN(val, (uint32_t)INT32_MAX), FUTEX_BITSET_ANY);
		return woken + requeue(&key, &key2, n2);
	case FUTEX_WAKE_OP:
		return futex_wake_op(t, shared, uaddr, (int)MIN(val, (uint32_t)INT32_MAX),
				     uaddr2, n2, val3);
	case FUTEX_LOCK_PI:	/* an absolute timeout on CLOCK_REALTIME */
	case FUTEX_LOCK_PI2:	/* on CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME */
		err = wait_deadline(cmd == FUTEX_LOCK_PI ? op | FUTEX_CLOCK_REALTIME : op, cmd,
				    arg_uaddr(a, 3), &deadline);
		return err ? err : futex_lock_pi(t, uaddr, shared, deadline, false);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(t, uaddr, shared, SCHED_FOREVER, true);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(t, uaddr, shared);
	default:
		return -ENOSYS;
	}
}

// SPDX-License-Identifier: Apache-2.0
/*
 * fake_task.c: tasks for tests that need a current task (user copies,
 * syscall handlers, exec). Kept apart from fake_platform.c: task.h brings
 * the Linux signal ABI, which must not meet libc's <signal.h>.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sentry/kmalloc.h"
#include "sentry/mm.h"
#include "sentry/page_alloc.h"
#include "sentry/task.h"

#include "fake/fake.h"

struct task *fake_task_new(void)
{
	struct task *t = kzalloc(sizeof(*t));
	struct process *p = kzalloc(sizeof(*p));

	if (!t || !p || mm_create(&t->mm)) {
		fprintf(stderr, "fake_task_new: out of memory\n");
		abort();
	}
	/* a process of its own, outside the process table */
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	list_init(&p->all_node);
	waitq_init(&p->child_wait);
	sigpending_init(&p->pending);
	waitq_init(&p->signal_wq);
	list_init(&p->timers);
	sigpending_init(&t->pending);
	p->pid = p->pgid = p->sid = 1;
	task_rlimit_defaults(p);
	list_add_tail(&t->thread_node, &p->threads);
	t->proc = p;
	t->tid = t->tgid = 1;
	task_set_current(t);
	return t;
}

void fake_task_free(struct task *t)
{
	if (task_current() == t)
		task_set_current(NULL);
	if (t->mm && fake_as_active() == t->mm->as)
		plat_as_activate(NULL);
	mm_destroy(t->mm);
	kfree(t->exe_path);
	kfree(t->proc);
	kfree(t);
}

size_t fake_free_pages(void)
{
	size_t used, total;

	page_alloc_stats(&used, &total);
	return total - used;
}

size_t fake_vma_count(const struct mm *mm)
{
	size_t n = 0;

	for (const struct vma *v = mm->vmas; v; v = v->next)
		n++;
	return n;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * gen.c: /proc files generated as text at open into a kmalloc'd buffer
 * that later reads copy from (so a read sees one consistent snapshot).
 */
#include "sentry/kmalloc.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"

#include "procfs.h"

#define PROC_BUF_MAX	(1U << 20)	/* largest generated file */

void pb_printf(struct pbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (b->len < b->cap)
		n = kvsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	else
		n = kvsnprintf(b->buf, 0, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int proc_gen_open(struct file *f, proc_gen_t gen, struct process *p, struct task *t)
{
	struct pbuf *pb = kzalloc(sizeof(*pb));

	if (!pb)
		return -ENOMEM;
	for (pb->cap = 4096; pb->cap <= PROC_BUF_MAX; pb->cap *= 2) {
		pb->buf = kmalloc(pb->cap);
		if (!pb->buf)
			break;
		pb->len = 0;
		gen(p, t, pb);
		if (pb->len < pb->cap)
			break;
		kfree(pb->buf);
		pb->buf = NULL;
	}
	if (!pb->buf) {
		kfree(pb);
		return -ENOMEM;
	}
	f->priv = pb;
	return 0;
}

static ssize_t gen_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pbuf *pb = f->priv;
	size_t n;

	if (*pos >= (loff_t)pb->len)
		return 0;
	n = MIN(b->count, pb->len - (size_t)*pos);
	if (copy_to_iobuf(b, pb->buf + *pos, n))
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static loff_t gen_llseek(struct file *f, loff_t off, int whence)
{
	return generic_llseek(f, off, whence, (loff_t)((struct pbuf *)f->priv)->len);
}

static void gen_release(struct file *f)
{
	struct pbuf *pb = f->priv;

	if (pb)
		kfree(pb->buf);
	kfree(pb);
}

const struct file_ops proc_gen_fops = {
	.read = gen_read, .llseek = gen_llseek, .release = gen_release,
};

ssize_t proc_dir_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	return -EISDIR;
}

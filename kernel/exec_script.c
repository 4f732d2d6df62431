// SPDX-License-Identifier: Apache-2.0
/*
 * exec_script.c: the "#!" line of a script, parsed with the rules of Linux's
 * binfmt_script: an interpreter path and at most one argument, which is the
 * whole rest of the line (blanks inside it included).
 */
#include "sentry/exec.h"
#include "sentry/string.h"

#include "abi/linux/errno.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

int exec_parse_shebang(char *buf, size_t len, const char **interp,
		       const char **arg)
{
	char *nl, *p, *q, *e;
	bool cut;

	if (len < 2 || len > EXEC_SHEBANG_MAX || buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	buf[len] = '\0';
	/* the line: up to '\n'; without one in a full buffer it was cut */
	nl = memchr(buf, '\n', len);
	cut = !nl && len == EXEC_SHEBANG_MAX;
	if (nl)
		*nl = '\0';

	p = buf + 2;
	while (blank(*p))
		p++;
	if (!*p)
		return -ENOEXEC;	/* no interpreter */
	for (q = p; *q && !blank(*q); q++)
		;
	if (cut && q == buf + len)
		return -ENOEXEC;	/* the path does not end inside the buffer */

	e = q + strlen(q);
	while (e > q && blank(e[-1]))
		*--e = '\0';
	*arg = NULL;
	if (*q) {
		*q++ = '\0';
		while (blank(*q))
			q++;
		if (*q)
			*arg = q;
	}
	*interp = p;
	return 0;
}

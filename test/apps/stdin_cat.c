// SPDX-License-Identifier: Apache-2.0
/* stdin_cat.c: copy stdin to stdout with read(2)/write(2); exit 1 on error. */
#include <unistd.h>

int main(void)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);

			if (w <= 0)
				return 1;
			off += w;
		}
	}
	return n < 0;
}

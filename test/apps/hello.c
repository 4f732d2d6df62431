// SPDX-License-Identifier: Apache-2.0
/* hello.c: the smallest app: one write(2) to stdout, then exit 0. */
#include <unistd.h>

#include "tap.h"

int main(void)
{
	static const char msg[] = "hello\n";

	ok(write(1, msg, sizeof(msg) - 1) == sizeof(msg) - 1,
	   "write to stdout returns its length");
	return tap_done();
}

// SPDX-License-Identifier: Apache-2.0
/* exit_code.c: exit with argv[1] as the status (the shell sees it & 0xff). */
#include <stdlib.h>

int main(int argc, char **argv)
{
	return argc > 1 ? atoi(argv[1]) : 0;
}

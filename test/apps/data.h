/* SPDX-License-Identifier: Apache-2.0 */
/*
 * data.h: the files tools/mkimage-apps.sh puts under /data in the apps
 * image; the script reads HELLO_TEXT, LONG_NAME and DATA_MTIME from here,
 * and writes pattern.bin with the same formula as pattern_byte().
 *
 *   /data/hello.txt          HELLO_TEXT, 0644
 *   /data/hardlink           hard link to hello.txt
 *   /data/pattern.bin        PATTERN_SIZE bytes of pattern_byte(i)
 *   /data/link-rel           -> hello.txt
 *   /data/link-abs           -> /data/hello.txt
 *   /data/link-dir           -> subdir
 *   /data/dangling           -> missing
 *   /data/subdir/nested/deeper/file.txt   "deep\n"
 *   /data/longname/LONG_NAME "long\n" (a GNU tar long name)
 *   /data/longname/link      -> LONG_NAME (a GNU tar long link)
 * Every entry's mtime is DATA_MTIME, owner and group 0.
 */
#ifndef APPS_DATA_H
#define APPS_DATA_H

#include <stddef.h>

/* tools/mkimage-apps.sh reads the next three lines as they are. */
/* clang-format off */
#define HELLO_TEXT "hello from the image\n"
#define LONG_NAME "a-file-name-longer-than-one-hundred-characters-so-that-tar-needs-a-gnu-long-name-entry-for-it-0123456789abcdef.txt"
#define DATA_MTIME 1600000000
/* clang-format on */
#define PATTERN_SIZE (200 * 1024)

static inline unsigned char pattern_byte(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

#endif /* APPS_DATA_H */

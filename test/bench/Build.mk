# SPDX-License-Identifier: Apache-2.0
# test/bench (`make bench`, test/bench/run.sh): not tests, nothing asserts a
# timing. syscall_lat is an app (static, it rides in build/apps.tar as
# /bench/syscall_lat); measure and sysemu_floor are host tools.

BENCH_APP_BINS := $(B)/bench/syscall_lat
BENCH_HOST_BINS := $(B)/bench/measure $(B)/bench/sysemu_floor

$(B)/bench/syscall_lat: test/bench/syscall_lat.c
	@mkdir -p $(dir $@)
	@echo "  CC [A]  $<"
	$(Q)$(CC) $(APPS_CFLAGS) -o $@ $<

$(B)/bench/%: test/bench/%.c
	@mkdir -p $(dir $@)
	@echo "  CC [B]  $<"
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -o $@ $<

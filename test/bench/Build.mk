# SPDX-License-Identifier: Apache-2.0
# test/bench (`make bench`, test/bench/run.sh): not tests, nothing asserts a
# timing. syscall_lat is an app: static, it rides in build/apps.tar as
# /bench/syscall_lat. measure is a host tool that run.sh builds itself
# (make build/bench/measure), as it does build/ptrace-bench (test/ptrace).

BENCH_APP_BINS := $(B)/bench/syscall_lat

$(B)/bench/syscall_lat: test/bench/syscall_lat.c
	@mkdir -p $(dir $@)
	@echo "  CC [A]  $<"
	$(Q)$(CC) $(APPS_CFLAGS) -o $@ $<

$(B)/bench/measure: test/bench/measure.c
	@mkdir -p $(dir $@)
	@echo "  CC [B]  $<"
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -o $@ $<

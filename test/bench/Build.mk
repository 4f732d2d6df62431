# SPDX-License-Identifier: Apache-2.0
# test/bench (`make bench`, test/bench/run.sh): not tests, nothing asserts a
# timing. syscall_lat and proc_lat are apps: static, they ride in
# build/apps.tar as /bench/syscall_lat and /bench/proc_lat. measure is a host
# tool that run.sh builds itself
# (make build/bench/measure), as it does build/ptrace-bench (test/ptrace).

BENCH_APP_BINS := $(B)/bench/syscall_lat $(B)/bench/proc_lat

$(B)/bench/%: test/bench/%.c
	@mkdir -p $(dir $@)
	@echo "  CC [A]  $<"
	$(Q)$(CC) $(APPS_CFLAGS) -pthread -o $@ $<

$(B)/bench/measure: test/bench/measure.c
	@mkdir -p $(dir $@)
	@echo "  CC [B]  $<"
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -o $@ $<

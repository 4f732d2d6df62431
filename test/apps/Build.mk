# SPDX-License-Identifier: Apache-2.0
# test/apps: static Linux programs, one per syscall area, printing TAP. The
# same binaries run natively (the oracle), under ptrace and under KVM
# (test/run-apps.sh). `make apps` builds them into build/apps/ and packs
# build/apps.tar (tools/mkimage-apps.sh), which also carries the bench's
# static programs (test/bench/Build.mk).

apps-y += $(patsubst test/apps/%.c,%,$(wildcard test/apps/*.c))
APPS_CFLAGS := -static -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
APP_BINS := $(addprefix $(B)/apps/,$(apps-y))

include test/bench/Build.mk

.PHONY: apps
apps: $(B)/apps.tar

$(B)/apps/%: test/apps/%.c $(wildcard test/apps/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC [A]  $<"
	$(Q)$(CC) $(APPS_CFLAGS) -o $@ $< -lm

$(B)/apps.tar: $(APP_BINS) $(BENCH_APP_BINS) tools/mkimage-apps.sh test/apps/data.h
	@echo "  IMAGE   $@"
	$(Q)tools/mkimage-apps.sh $@ $(APP_BINS) $(BENCH_APP_BINS)

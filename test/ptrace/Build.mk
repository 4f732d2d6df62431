# SPDX-License-Identifier: Apache-2.0
# test/ptrace: the ptrace platform and the host services, against the real
# host (fork, ptrace, seccomp, ttys). Their own criterion binary: the unit
# test binary links the fake platform and fake host_*, these the real ones.
# Where ptrace is unusable the platform tests skip, saying why.
#
#   test/ptrace/run.sh       build and run build/ptrace-tests (ASan+UBSan),
#                            end with "ptrace: N passed, N failed, N skipped"
#   make check-ptrace        the same, criterion's output only
#   make bench-ptrace        bare PTRACE_SYSEMU round trip vs plat_run_user

ifndef PTRACE_TEST_MK
PTRACE_TEST_MK := 1

ptrace-test-y := test/ptrace/plat_test.o test/ptrace/host_test.o test/ptrace/seccomp_test.o \
		 test/ptrace/snippets.o \
		 $(ptrace-plat-y) $(ptrace-arch-y) $(sandbox-y) $(host-svc-y)
# C under test with the sanitizers ([UH]); assembly as plain host objects.
ptrace_test_obj = $(if $(wildcard $(1:.o=.S)),$(B)/host/$(1),$(B)/unit-host/$(1))
PTRACE_TEST_OBJS := $(foreach o,$(ptrace-test-y),$(call ptrace_test_obj,$(o)))

ptrace-bench-y := test/ptrace/bench.o $(ptrace-plat-y) $(ptrace-arch-y) $(sandbox-y)
PTRACE_BENCH_OBJS := $(addprefix $(B)/host/,$(ptrace-bench-y))

$(B)/ptrace-tests: $(PTRACE_TEST_OBJS)
	@echo "  LD [U]  $@"
	$(Q)$(CC) $(SAN) -o $@ $(PTRACE_TEST_OBJS) -lcriterion -lseccomp

$(B)/ptrace-bench: $(PTRACE_BENCH_OBJS)
	@echo "  LD [H]  $@"
	$(Q)$(CC) -o $@ $(PTRACE_BENCH_OBJS) -lseccomp

.PHONY: check-ptrace bench-ptrace
check-ptrace: $(B)/ptrace-tests
	$(Q)$(B)/ptrace-tests --jobs 2

bench-ptrace: $(B)/ptrace-bench
	$(Q)$(B)/ptrace-bench

endif # PTRACE_TEST_MK

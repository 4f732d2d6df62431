# SPDX-License-Identifier: Apache-2.0
# host, ptrace platform: register sanitizing, fault decoding, the stub code
ptrace-arch-y := arch/x86_64/ptrace/regs.o arch/x86_64/ptrace/stub.o
hostcore-y += $(ptrace-arch-y)

# SPDX-License-Identifier: Apache-2.0
#
# sentry-vm: one non-recursive Makefile. Each directory's Build.mk appends
# object lists; this file holds the compile recipes, one per environment:
#
#   [G] guest  build/guest/  core + guest-only code, linked into build/sentry.elf
#   [C] core   build/core/   core compiled for hosted use (ptrace platform)
#   [H] host   build/host/   VMM, host services, tools (libc, libfdt, libseccomp)
#   [U] unit   build/unit/   core + units under test, ASan+UBSan, criterion
#
# Lists (paths of .o relative to the source tree):
#   core-y     portable core: kernel/ fs/ net/ (never libc)
#   guest-y    guest-only: arch/$(ARCH)/kernel, kernel/plat_kvm.o, kernel/hostcall.o, kernel/lib
#   host-y     the sentry-vm binary's own code
#   hostcore-y host files linked only when the core is linked in (ptrace platform)
#   unit-y     test/unit sources; unit-host-y host units the tests link
#   blob-y     built objects (paths under $(B)) that every build of the core
#              links: data such as the vDSO image

ARCH	?= x86_64
export ARCH
B	:= build
.DEFAULT_GOAL := all
V	?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

PYTHON_KCONFIG := /usr/bin/python3 -m

-include .config

CC		?= gcc
CC_INCLUDE	:= $(shell $(CC) -print-file-name=include)
INCLUDES	:= -Ikernel/include -Iarch/$(ARCH)/include
WARN		:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wvla \
		   -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
		   -Wno-missing-field-initializers
COMMON		:= -std=gnu11 -g -O2 -fno-strict-aliasing -fno-common -MMD -MP \
		   -include $(B)/autoconf.h
CORE_CFLAGS	:= $(COMMON) $(WARN) -ffreestanding -nostdinc -isystem $(CC_INCLUDE) \
		   $(INCLUDES) -I$(B)/gen -fno-stack-protector
GUEST_CFLAGS	:= $(CORE_CFLAGS) -DSENTRY_GUEST -fno-pic -fno-pie -mcmodel=kernel \
		   -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
		   -fno-omit-frame-pointer
HOSTED_CFLAGS	:= $(CORE_CFLAGS) -DSENTRY_HOSTED
HOST_CFLAGS	:= $(COMMON) $(WARN) -D_GNU_SOURCE -fstack-protector-strong \
		   -Ivmm/include $(INCLUDES)
SAN		:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
UNIT_CORE_CFLAGS := $(HOSTED_CFLAGS) -O1 $(SAN) -DSENTRY_UNIT
UNIT_HOST_CFLAGS := $(HOST_CFLAGS) -O1 $(SAN) -DSENTRY_UNIT -Itest/unit
HOST_LIBS	:= -lfdt -lseccomp
LDFLAGS_HOST	:=

core-y :=
guest-y :=
host-y :=
hostcore-y :=
unit-y :=
unit-host-y :=
apps-y :=
blob-y :=

include arch/$(ARCH)/Build.mk
include kernel/Build.mk
include fs/Build.mk
include net/Build.mk
include vmm/Build.mk
include test/Build.mk

GUEST_OBJS	:= $(addprefix $(B)/guest/,$(core-y) $(guest-y)) $(blob-y)
CORE_OBJS	:= $(addprefix $(B)/core/,$(core-y)) $(blob-y)
HOST_OBJS	:= $(addprefix $(B)/host/,$(host-y))
HOSTCORE_OBJS	:= $(addprefix $(B)/host/,$(hostcore-y))
UNIT_OBJS	:= $(addprefix $(B)/unit/,$(core-y) $(unit-y)) \
		   $(addprefix $(B)/unit-host/,$(unit-host-y)) $(blob-y)

ifeq ($(CONFIG_PLATFORM_KVM),y)
HOST_OBJS	+= $(B)/host/sentry_blob.o
endif
ifeq ($(CONFIG_PLATFORM_PTRACE),y)
HOST_OBJS	+= $(CORE_OBJS) $(HOSTCORE_OBJS)
endif

.PHONY: all defconfig menuconfig olddefconfig savedefconfig clean check check-unit \
	check-apps check-vmm check-e2e demo bench images checkstyle
all: $(B)/sentry-vm

# --- configuration -----------------------------------------------------------
.config:
	$(Q)$(PYTHON_KCONFIG) defconfig --kconfig Kconfig arch/$(ARCH)/configs/defconfig >/dev/null

defconfig:
	$(PYTHON_KCONFIG) defconfig --kconfig Kconfig arch/$(ARCH)/configs/defconfig
menuconfig olddefconfig savedefconfig:
	$(PYTHON_KCONFIG) $@ Kconfig

# Generated: syscall names from the arch's unistd.h (for --strace and logs).
GEN := $(B)/autoconf.h $(B)/gen/syscall_names.h
$(B)/gen/syscall_names.h: arch/$(ARCH)/include/abi/linux/arch/unistd.h
	@mkdir -p $(dir $@)
	$(Q)sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/[\2] = "\1",/p' $< > $@

$(B)/autoconf.h: .config Kconfig $(wildcard */Kconfig arch/*/Kconfig)
	@mkdir -p $(B)
	$(Q)$(PYTHON_KCONFIG) genconfig --header-path $@ Kconfig

# --- compile recipes ---------------------------------------------------------
$(B)/guest/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC [G]  $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@
$(B)/guest/%.o: %.S $(GEN)
	@mkdir -p $(dir $@)
	@echo "  AS [G]  $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(B)/core/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC [C]  $<"
	$(Q)$(CC) $(HOSTED_CFLAGS) -c $< -o $@
$(B)/host/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC [H]  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@
$(B)/host/%.o: %.S $(GEN)
	@mkdir -p $(dir $@)
	@echo "  AS [H]  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(B)/unit/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC [U]  $<"
	$(Q)$(CC) $(if $(filter test/%,$<),$(UNIT_HOST_CFLAGS),$(UNIT_CORE_CFLAGS)) -c $< -o $@
$(B)/unit-host/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC [UH] $<"
	$(Q)$(CC) $(UNIT_HOST_CFLAGS) -c $< -o $@

# --- artifacts ---------------------------------------------------------------
$(B)/sentry.elf: $(GUEST_OBJS) arch/$(ARCH)/kernel/sentry.lds
	@echo "  LD [G]  $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack \
		-T arch/$(ARCH)/kernel/sentry.lds -o $@ $(GUEST_OBJS)

$(B)/host/sentry_blob.o: $(B)/sentry.elf
	@mkdir -p $(dir $@)
	@echo "  EMBED   $<"
	$(Q)printf '\t.section .rodata\n\t.balign 4096\n\t.globl sentry_elf_start, sentry_elf_end\nsentry_elf_start:\n\t.incbin "%s"\nsentry_elf_end:\n\t.section .note.GNU-stack,"",@progbits\n' $< \
		| $(CC) -c -x assembler - -o $@

$(B)/sentry-vm: $(HOST_OBJS)
	@echo "  LD [H]  $@"
	$(Q)$(CC) $(LDFLAGS_HOST) -o $@ $(HOST_OBJS) $(HOST_LIBS)

$(B)/unit-tests: $(UNIT_OBJS)
	@echo "  LD [U]  $@"
	$(Q)$(CC) $(SAN) -o $@ $(UNIT_OBJS) -lcriterion $(HOST_LIBS)

# --- tests, demo, bench ------------------------------------------------------
# check and demo install what they need first (tools/setup.sh), so they must
# not depend on targets that need those packages to be parsed or built.
check:
	$(Q)tools/setup.sh
	$(Q)$(MAKE) --no-print-directory all apps vmm-tests $(B)/unit-tests
	$(Q)tools/check.sh

check-unit: $(B)/unit-tests
	$(Q)$(B)/unit-tests

check-apps: all apps
	$(Q)test/run-apps.sh $(or $(PLATFORM),all)

demo:
	$(Q)tools/setup.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh

# issue 4's Debian suite alone (also a layer of `make check`)
check-e2e: all
	$(Q)tools/setup.sh
	$(Q)test/dyn/run.sh --e2e

# The ring-0 KVM flavour for real: Debian's kernel with kvm_amd in QEMU (nested
# SVM, ~1 min). Opt-in: it downloads a kernel package and QEMU on first use.
check-kvm-qemu: all apps
	$(Q)tools/qemu-kvm/run.sh --vmm-tests
	$(Q)tools/qemu-kvm/run.sh --apps

bench: all apps
	$(Q)test/bench/run.sh

checkstyle:
	$(Q)tools/checkstyle.sh

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: Apache-2.0
# test/vmm: tiny and deliberately broken guests, and vmmtest, which runs one
# under the KVM VMM instead of the sentry. Built by `make vmm-tests`;
# run by test/vmm/run.sh (skips without a usable /dev/kvm).
VMMTEST_GUESTS := exit42 console badnr badptr badargs misaligned triple hlt pio rowrite
VMMTEST_OBJS := $(addprefix $(B)/host/,test/vmm/vmmtest.o vmm/kvm/run.o vmm/kvm/memory.o vmm/kvm/timer.o \
	vmm/kvm/loader.o vmm/kvm/hostcall.o vmm/kvm/fatal.o arch/$(ARCH)/vmm/boot.o \
	arch/$(ARCH)/vmm/vcpu.o vmm/bootinfo.o vmm/log.o vmm/sandbox/seccomp.o $(host-svc-y))
VMMTEST_ELFS := $(patsubst %,$(B)/test/vmm/%.elf,$(VMMTEST_GUESTS))

.PHONY: vmm-tests
vmm-tests: $(B)/test/vmm/vmmtest $(VMMTEST_ELFS)

$(B)/test/vmm/vmmtest: $(VMMTEST_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD [H]  $@"
	$(Q)$(CC) $(LDFLAGS_HOST) -o $@ $(VMMTEST_OBJS) $(HOST_LIBS)

$(B)/test/vmm/%.elf: $(B)/guest/test/vmm/guests/%.o test/vmm/guest.lds
	@mkdir -p $(dir $@)
	@echo "  LD [G]  $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack \
		-T test/vmm/guest.lds -o $@ $<

# SPDX-License-Identifier: Apache-2.0
# arch/x86_64/vdso: the vDSO, a small shared object of its own (vdso.c,
# position independent, no libc, laid out by vdso.lds). The link is checked:
# no relocations (nothing may patch the pages every process shares) and no
# writable segment. The image is embedded as data (vdso_image ..
# vdso_image_end) into every build of the core: blob-y joins sentry.elf,
# the ptrace core of sentry-vm and the unit tests. The image is stripped
# (one page); $(B)/vdso/vdso.dbg keeps the symbols and debug info.
VDSO_CFLAGS := -std=gnu11 -g -O2 -MMD -MP $(WARN) -fPIC -ffreestanding -nostdinc \
	       -isystem $(CC_INCLUDE) $(INCLUDES) -fno-stack-protector -fvisibility=hidden \
	       -mgeneral-regs-only -fno-plt
VDSO_LDFLAGS := -nostdlib -shared -Wl,-T,arch/$(ARCH)/vdso/vdso.lds -Wl,--hash-style=both \
		-Wl,-soname=linux-vdso.so.1 -Wl,--no-undefined -Wl,--eh-frame-hdr \
		-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none

$(B)/vdso/vdso.o: arch/$(ARCH)/vdso/vdso.c
	@mkdir -p $(dir $@)
	@echo "  CC [V]  $<"
	$(Q)$(CC) $(VDSO_CFLAGS) -c $< -o $@

$(B)/vdso/vdso.so: $(B)/vdso/vdso.o arch/$(ARCH)/vdso/vdso.lds
	@echo "  LD [V]  $@"
	$(Q)$(CC) $(VDSO_LDFLAGS) -o $(B)/vdso/vdso.dbg $<
	$(Q)if readelf -rW $(B)/vdso/vdso.dbg | grep -q 'R_X86_64'; then \
		echo "$@: the vDSO must not need relocations:"; readelf -rW $(B)/vdso/vdso.dbg; exit 1; fi
	$(Q)if readelf -lW $(B)/vdso/vdso.dbg | grep -E '^ +LOAD' | grep -q ' RW'; then \
		echo "$@: the vDSO must have no writable segment"; exit 1; fi
	$(Q)objcopy --strip-all $(B)/vdso/vdso.dbg $@

$(B)/vdso/image.o: $(B)/vdso/vdso.so
	@echo "  EMBED   $<"
	$(Q)printf '\t.section .rodata\n\t.balign 4096\n\t.globl vdso_image, vdso_image_end\nvdso_image:\n\t.incbin "%s"\nvdso_image_end:\n\t.section .note.GNU-stack,"",@progbits\n' $< \
		| $(CC) -c -x assembler - -o $@

blob-y += $(B)/vdso/image.o

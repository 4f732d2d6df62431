# SPDX-License-Identifier: Apache-2.0
# memory management, ELF loading and exec (core)
core-y += kernel/mm/page_alloc.o kernel/mm/vma.o kernel/mm/populate.o kernel/mm/mmap.o \
	  kernel/mm/brk.o kernel/mm/fault.o kernel/mm/usercopy.o kernel/mm/sys_mmap.o kernel/mm/mremap.o kernel/mm/fork.o \
	  kernel/elf.o kernel/exec.o kernel/exec_stack.o kernel/exec_script.o

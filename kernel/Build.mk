# SPDX-License-Identifier: Apache-2.0
core-y += kernel/main.o kernel/bootinfo.o kernel/fdt.o kernel/printf.o kernel/log.o \
	  kernel/task.o kernel/syscall.o kernel/syscall_table.o kernel/sys_info.o \
	  kernel/sys_time.o kernel/cputime.o kernel/itimer.o kernel/ktimer.o kernel/posix_timer.o kernel/sys_signal.o kernel/sys_exit.o kernel/sys_xattr.o \
	  kernel/sched.o kernel/process.o kernel/clone.o kernel/wait.o kernel/signal.o kernel/jobctl.o \
	  kernel/signal_frame.o kernel/siginfo.o kernel/futex.o kernel/robust.o kernel/sys_exec.o kernel/sys_pgrp.o kernel/vdso.o
include kernel/mm/Build.mk
# guest-only pieces: the KVM platform, hostcall stubs, freestanding libc bits
guest-y += kernel/plat_kvm.o kernel/hostcall.o kernel/lib/string.o kernel/lib/kmalloc.o

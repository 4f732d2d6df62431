# SPDX-License-Identifier: Apache-2.0
core-y += fs/vfs.o fs/namei.o fs/file.o fs/fdtable.o fs/stdio.o fs/sys_rw.o fs/sys_file.o \
	  fs/sys_stat.o fs/namei_ops.o fs/sys_namei.o fs/sys_attr.o fs/pipe.o fs/eventfd.o \
	  fs/timerfd.o fs/signalfd.o fs/sys_poll.o fs/devfs.o fs/procfs/root.o fs/procfs/pid.o \
	  fs/procfs/gen.o fs/rootfs.o fs/tmpfs/node.o fs/tmpfs/data.o
core-$(CONFIG_FS_TARFS) += fs/tarfs/index.o fs/tarfs/pax.o fs/tarfs/tree.o fs/tarfs/tarfs.o
core-y += fs/epoll.o fs/lock.o

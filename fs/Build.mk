# SPDX-License-Identifier: Apache-2.0
core-y += fs/vfs.o fs/namei.o fs/file.o fs/fdtable.o fs/stdio.o fs/sys_rw.o fs/sys_file.o \
	  fs/sys_stat.o
core-$(CONFIG_FS_TARFS) += fs/tarfs/index.o fs/tarfs/pax.o fs/tarfs/tree.o fs/tarfs/tarfs.o

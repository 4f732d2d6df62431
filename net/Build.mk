# SPDX-License-Identifier: Apache-2.0
# net/: sockets (core). AF_UNIX sockets; no networking yet.
core-y += net/socket.o net/unix.o

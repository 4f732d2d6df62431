# SPDX-License-Identifier: Apache-2.0
# net/: sockets (core). No networking yet: the socket calls say so.
core-y += net/socket.o

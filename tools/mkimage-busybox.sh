#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# mkimage-busybox.sh OUT.tar: the demo image, from Debian's busybox-static.
#   /bin/busybox, /bin/sh -> busybox, /etc/passwd (root, nobody), /etc/group,
#   /tmp, empty /dev and /proc (mount points, as in any rootfs), /README
# Reproducible: GNU tar, sorted, owner 0, mtime 0. Entry names carry no "./"
# prefix (the apps image has one, so both forms stay exercised).
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 OUT.tar" >&2; exit 2; }
out=$(realpath -m "$1")
bb=${BUSYBOX:-/bin/busybox}

if [[ ! -x $bb ]]; then
	echo "$0: $bb is missing: apt-get install busybox-static (or run tools/setup.sh)" >&2
	exit 1
fi
# The sentry runs static programs only: the busybox package is dynamic.
if command -v readelf >/dev/null && readelf -l "$bb" | grep -q 'program interpreter'; then
	echo "$0: $bb is dynamically linked: install busybox-static, not busybox" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
umask 022
chmod 0755 "$root"
mkdir -p "$root"/{bin,etc,tmp,dev,proc}
chmod 1777 "$root/tmp"
install -m 0755 "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PW
cat >"$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR
cat >"$root/README" <<RM
A demo image for sentry-vm, made by tools/mkimage-busybox.sh from
$(dpkg-query -W -f='${Package} ${Version}' busybox-static 2>/dev/null || echo "$bb").
Try: sentry-vm run busybox.tar /bin/busybox ls -l /bin
RM

mkdir -p "$(dirname "$out")"
tar -C "$root" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
	-cf "$out.tmp" README bin dev etc proc tmp
mv "$out.tmp" "$out"

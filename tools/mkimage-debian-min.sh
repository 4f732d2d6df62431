#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# mkimage-debian-min.sh OUT.tar [PATH...]: a small rootfs of dynamically
# linked programs, from this machine's own (Debian 12, usrmerge) files:
#   /bin -> usr/bin, /lib -> usr/lib, /lib64 -> usr/lib64, /sbin -> usr/sbin
#   usr/bin/{ls,cat,echo,env,true,dash}, usr/bin/sh -> dash,
#   the shared libraries ldd lists for them (with their soname symlinks),
#   the dynamic linker, /etc/passwd, /etc/group, /tmp, empty /dev and /proc (the
#   sandbox mounts its own there, as a container runtime does);
#   and each extra PATH: a program (with the libraries it needs) or a
#   directory copied whole (Python's test suites and caches left out)
# Reproducible for a given machine: GNU tar, sorted, owner 0, mtime 0.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 OUT.tar [PATH...]" >&2; exit 2; }
out=$(realpath -m "$1")
shift
progs=(/bin/ls /bin/cat /bin/echo /usr/bin/env /bin/true /bin/sh)
trees=()
for p in "$@"; do
	if [[ -d $p ]]; then
		trees+=("$p")
	elif [[ -e $p ]]; then
		progs+=("$p")
	else
		echo "$0: $p is not on this machine (install its package)" >&2
		exit 1
	fi
done

command -v ldd >/dev/null || { echo "$0: ldd is missing (libc-bin)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
umask 022
chmod 0755 "$root"
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,tmp,dev,proc}
chmod 1777 "$root/tmp"
for d in bin lib lib64 sbin; do
	ln -s "usr/$d" "$root/$d"
done

# Copy @1 (an absolute path on this machine) to the same path in the tree,
# recreating every symlink met on the way (as in the source), usrmerge-folded.
copy_path() {
	local p=$1 real dst link
	# fold the top-level usrmerge links: /bin/x is /usr/bin/x
	case $p in
	/bin/* | /lib/* | /lib64/* | /sbin/*) p=/usr$p ;;
	esac
	dst=$root$p
	[[ -e $dst || -L $dst ]] && return 0
	mkdir -p "$(dirname "$dst")"
	if [[ -L $p ]]; then
		link=$(readlink "$p")
		ln -s "$link" "$dst"
		if [[ $link == /* ]]; then
			copy_path "$link"
		else
			copy_path "$(dirname "$p")/$link"
		fi
	else
		real=$(realpath "$p")
		cp --preserve=mode "$real" "$dst"
	fi
}

for prog in "${progs[@]}"; do
	copy_path "$prog"
	# "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
	while read -r lib; do
		copy_path "$lib"
	done < <(ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
done

for t in "${trees[@]}"; do
	case $t in
	/lib/* | /lib64/* | /bin/* | /sbin/*) dst=$root/usr$t ;;
	*) dst=$root$t ;;
	esac
	mkdir -p "$(dirname "$dst")"
	tar -C "$(dirname "$t")" --exclude=__pycache__ --exclude=test --exclude=tests \
		--exclude=idlelib --exclude=tkinter --exclude=turtledemo --exclude=ensurepip \
		-cf - "$(basename "$t")" | tar -C "$(dirname "$dst")" -xf -
	# the extension modules' libraries
	while read -r lib; do
		copy_path "$lib"
	done < <(find "$t" -name '*.so' -exec ldd {} + 2>/dev/null |
		 awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u)
done

cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PW
cat >"$root/etc/group" <<'GR'
root:x:0:
nogroup:x:65534:
GR

mkdir -p "$(dirname "$out")"
tar -C "$root" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
	-cf "$out.tmp" .
mv "$out.tmp" "$out"

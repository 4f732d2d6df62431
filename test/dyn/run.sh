#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# dyn/run.sh [CASE...]: dynamically linked programs end to end.
#
# Builds the debian-min image (tools/mkimage-debian-min.sh, cached as
# build/debian-min.tar, rebuilt when the script is newer) plus one "#!"
# script, and runs each case under `build/sentry-vm run --platform=ptrace`
# and natively, chrooted into the unpacked image (the oracle): stdout and
# the exit status must be identical. Without a native run (chroot needs
# root) the expected status alone decides, said once. The last line is
# "N passed, N failed, N skipped"; the exit status is 1 if anything failed.
# Environment: SENTRY (build/sentry-vm), DYN_TIMEOUT (seconds per run, 60).
set -uo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/../.."

SENTRY=${SENTRY:-build/sentry-vm}
IMAGE=build/debian-min.tar
TIMEOUT=${DYN_TIMEOUT:-60}
# sentry-vm's default environment (vmm/config.c), for the native runs
NATIVE_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	    HOSTNAME=sentry HOME=/root)
SCRIPT=$'#!/bin/sh -e\necho "script: $0 $*"\nexit 7\n'

# NAME STATUS ARGV...: STATUS is what native Linux gives.
cases() {
	c echo		0	/bin/echo hi
	c ls		0	/bin/ls /
	c ls-usr-bin	0	/bin/ls /usr/bin /lib64
	c cat		0	/bin/cat /etc/passwd
	c cat-missing	1	/bin/cat /nope
	c env		0	/usr/bin/env
	c true		0	/bin/true
	c dash		3	/bin/sh -c 'echo "dash: $0"; exit 3'
	c script	7	/script.sh a 'b c'
	c script-nointerp 127	/nointerp.sh
	c dyn-nointerp	127	/nold
}

pass=0 fail=0 skip=0
only=("$@")
work=
root=
no_native=

ok()      { pass=$((pass + 1)); echo "ok: $1"; }
failed()  { fail=$((fail + 1)); echo "FAILED: $1: $2"; }
skipped() { skip=$((skip + 1)); echo "skipped: $1: $2"; }

cleanup() {
	[[ -n $work ]] && rm -rf "$work"
}
trap cleanup EXIT

wanted() {
	local n
	((${#only[@]} == 0)) && return 0
	for n in "${only[@]}"; do
		[[ $n == "$1" ]] && return 0
	done
	return 1
}

# The image, cached; then a copy with the script for this run.
prepare() {
	if [[ ! -s $IMAGE || tools/mkimage-debian-min.sh -nt $IMAGE ]]; then
		tools/mkimage-debian-min.sh "$IMAGE" || return 1
	fi
	work=$(mktemp -d)
	mkdir "$work/add"
	printf '%s' "$SCRIPT" >"$work/add/script.sh"
	printf '#!/no/such/interpreter\n' >"$work/add/nointerp.sh"
	# /bin/true asking for a dynamic linker the image lacks (same length)
	LC_ALL=C sed 's|/lib64/ld-linux-x86-64.so.2|/lib64/ld-nolib-x86-64.so.2|' \
		/usr/bin/true >"$work/add/nold"
	chmod 0755 "$work/add/script.sh" "$work/add/nointerp.sh" "$work/add/nold"
	cp "$IMAGE" "$work/image.tar"
	tar -C "$work/add" --owner=0 --group=0 --numeric-owner --mtime=@0 \
		-rf "$work/image.tar" script.sh nointerp.sh nold || return 1

	if [[ $(id -u) != 0 ]]; then
		no_native="chroot needs root"
	elif ! command -v chroot >/dev/null; then
		no_native="no chroot command"
	else
		root=$work/root
		mkdir "$root"
		if ! tar -C "$root" --numeric-owner -xpf "$work/image.tar" 2>"$work/tar.err" ||
		   ! chroot "$root" /bin/true 2>>"$work/tar.err"; then
			no_native="cannot chroot into the image: $(head -c 200 "$work/tar.err")"
			root=
		fi
	fi
	[[ -n $no_native ]] && echo "note: no native oracle ($no_native): expected statuses decide"
	return 0
}

c() {
	local name=$1 want=$2 got_n got_s
	shift 2
	wanted "$name" || return 0
	if [[ ! -x $SENTRY ]]; then
		skipped "$name" "$SENTRY is not built"
		return
	fi
	timeout "$TIMEOUT" "$SENTRY" run -q --platform=ptrace "$work/image.tar" "$@" \
		</dev/null >"$work/out.s" 2>"$work/err.s"
	got_s=$?
	if [[ -n $root ]]; then
		env -i "${NATIVE_ENV[@]}" timeout "$TIMEOUT" chroot "$root" "$@" \
			</dev/null >"$work/out.n" 2>"$work/err.n"
		got_n=$?
		if [[ $got_n != "$want" ]]; then
			failed "$name" "native exit status $got_n, expected $want (the case is wrong)"
		elif [[ $got_s != "$got_n" ]]; then
			failed "$name" "ptrace exit status $got_s, native $got_n; stderr: $(head -c 300 "$work/err.s")"
		elif ! cmp -s "$work/out.s" "$work/out.n"; then
			failed "$name" "stdout differs: $(diff "$work/out.n" "$work/out.s" | head -5 | tr '\n' '|')"
		else
			ok "$name"
		fi
	elif [[ $got_s != "$want" ]]; then
		failed "$name" "ptrace exit status $got_s, expected $want; stderr: $(head -c 300 "$work/err.s")"
	else
		ok "$name (no oracle)"
	fi
}

if prepare; then
	cases
else
	failed image "cannot build $IMAGE"
fi
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))

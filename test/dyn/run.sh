#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# dyn/run.sh [--e2e] [CASE...]: dynamically linked programs end to end.
#
# --e2e (`make check-e2e`): the Debian suite of issue 4 instead: a bigger
# image of this machine's Debian programs (bash, coreutils, sed, awk, grep,
# find, tar, gzip, python3 with its standard library, sqlite3; cached as
# build/debian-e2e.tar, ~65 MiB, 5 s to build) and shell pipelines, round
# trips through /tmp, python3 (json, 4 threads, subprocess, os, time) and
# sqlite3 with 1000 inserts in a transaction, compared with the same
# commands chrooted natively.
#
# Builds the debian-min image (tools/mkimage-debian-min.sh, cached as
# build/debian-min.tar, rebuilt when the script is newer) plus one "#!"
# script, and runs each case under `build/sentry-vm run --platform=P` for P
# in ptrace and kvm, and natively, chrooted into the unpacked image (the
# oracle): stdout and the exit status must be identical. A platform that
# cannot run here is "skipped: P: CASE: reason" for each case. Without a native run (chroot needs
# root) the expected status alone decides, said once. The last line is
# "N passed, N failed, N skipped"; the exit status is 1 if anything failed.
# Environment: SENTRY (build/sentry-vm), DYN_TIMEOUT (seconds per run, 60).
set -uo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/../.."

SENTRY=${SENTRY:-build/sentry-vm}
IMAGE=build/debian-min.tar
EXTRA=()	# what the image has beyond mkimage-debian-min.sh's defaults
E2E=0
if [[ ${1:-} == --e2e ]]; then
	shift
	E2E=1
	IMAGE=build/debian-e2e.tar
	EXTRA=(/usr/bin/bash /usr/bin/python3 /usr/bin/python3.11 /usr/bin/sqlite3
	       /usr/bin/seq /usr/bin/sort /usr/bin/head /usr/bin/tail /usr/bin/tr /usr/bin/wc
	       /usr/bin/cut /usr/bin/uniq /usr/bin/mkdir /usr/bin/rm /usr/bin/sleep
	       /usr/bin/cp /usr/bin/mv /usr/bin/cmp
	       /usr/bin/sed /usr/bin/grep /usr/bin/awk /usr/bin/find /usr/bin/xargs
	       /usr/bin/tar /usr/bin/gzip /usr/lib/python3.11)
fi
TIMEOUT=${DYN_TIMEOUT:-60}
PLATFORMS=(ptrace kvm)
declare -A unusable=()	# platform -> why it cannot run here
# sentry-vm's default environment (vmm/config.c), for the native runs
NATIVE_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	    HOSTNAME=sentry HOME=/root)
SCRIPT=$'#!/bin/sh -e\necho "script: $0 $*"\nexit 7\n'

# NAME STATUS ARGV...: STATUS is what native Linux gives.
# (ci NAME STATUS INPUT ARGV...: the same with INPUT on stdin.)
cases() {
	((E2E)) && { e2e_cases; return; }
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

PY_PROG='
import json, os, subprocess, threading, time
out = []
def work(i):
    out.append(sum(range(i * 100000)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(out))
print(json.dumps({"a": [1, 2, {"b": None}]}, sort_keys=True))
print(json.loads("[1, 2.5, \"x\"]"))
print(subprocess.run(["/usr/bin/echo", "from a child"], capture_output=True, text=True).stdout, end="")
print(subprocess.check_output("seq 3 | sort -r", shell=True, text=True), end="")
print(os.getcwd(), os.path.exists("/etc/passwd"), time.time() > 1e9)
'
# multiprocessing: a Pool, and shared memory and a lock (POSIX semaphores
# in /dev/shm, MAP_SHARED) between 3 processes
MP_PROG='
import multiprocessing as mp
def sq(x): return x * x
def inc(v, lock):
    for _ in range(100):
        with lock: v.value += 1
if __name__ == "__main__":
    with mp.Pool(2) as p: print(p.map(sq, range(8)))
    v, lock = mp.Value("i", 0), mp.Lock()
    ps = [mp.Process(target=inc, args=(v, lock)) for _ in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(v.value, [p.exitcode for p in ps])
'
SQL_WAL='sqlite3 /tmp/w.db "pragma journal_mode=wal; create table t(x); insert into t values(1),(2);" &&
sqlite3 /tmp/w.db "insert into t select x + 2 from t; select count(*), sum(x) from t;"'
SQL_PROG='sqlite3 /tmp/t.db "create table t(x integer);" &&
(echo "begin;"; for i in $(seq 1000); do echo "insert into t values($i);"; done; echo "commit;") |
sqlite3 /tmp/t.db && sqlite3 /tmp/t.db "select count(*), sum(x) from t;"'
ROUNDTRIP='cd /tmp && seq 2000 > a && gzip -k a && gzip -dc a.gz | cmp - a && mkdir d && cp a d/ 2>/dev/null;
mv a.gz d/ && tar -cf x.tar d && rm -r d && tar -xf x.tar && find d -type f | sort &&
sed -n "5,7p" a | awk "{ s += \$1 } END { print s }" && grep -c 7 a && cut -c1 a | sort | uniq -c | head -3'

# The issue-4 suite: bash, coreutils, text tools, python3, sqlite3.
e2e_cases() {
	c bash-pipeline	0	/bin/bash -c 'for i in $(seq 5); do echo $i; done | sort -r | head -2'
	c bash-subst	0	/bin/bash -c 'x=$(echo a; echo b); echo "${x//$'"'"'\n'"'"'/,}" $((6 * 7))'
	c bash-wait	143	/bin/bash -c 'sleep 0.1 & wait; kill -TERM $$'
	c bash-exit	3	/bin/bash -c 'false || exit 3'
	ci tr-stdin	0	hi	/usr/bin/tr a-z A-Z
	c roundtrip	0	/bin/bash -c "$ROUNDTRIP"
	c xargs		0	/bin/bash -c 'seq 10 | xargs -n 3 echo | tail -2'
	c python-hello	0	/usr/bin/python3 -c 'print(1 + 1)'
	c python-mix	0	/usr/bin/python3 -c "$PY_PROG"
	c python-exit	4	/usr/bin/python3 -c 'import sys; sys.exit(4)'
	c sqlite-memory	0	/usr/bin/sqlite3 :memory: 'select 1 + 1;'
	c sqlite-1000	0	/bin/bash -c "$SQL_PROG"
	c python-mp	0	/usr/bin/python3 -c "$MP_PROG"
	c sqlite-wal	0	/bin/bash -c "$SQL_WAL"
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
	[[ -n $root ]] && umount "$root/dev/shm" 2>/dev/null
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
	if [[ ! -s $IMAGE || tools/mkimage-debian-min.sh -nt $IMAGE || $self -nt $IMAGE ]]; then
		tools/mkimage-debian-min.sh "$IMAGE" "${EXTRA[@]}" || return 1
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
		else
			# POSIX shared memory, as the sentry's /dev/shm (python-mp)
			mkdir -p "$root/dev/shm" && mount -t tmpfs -o size=64m tmpfs "$root/dev/shm" ||
				echo "note: no /dev/shm in the native root: python-mp will fail there"
		fi
	fi
	[[ -n $no_native ]] && echo "note: no native oracle ($no_native): expected statuses decide"
	for p in "${PLATFORMS[@]}"; do
		if ! "$SENTRY" run -q --platform="$p" "$work/image.tar" /bin/true \
			</dev/null >/dev/null 2>"$work/probe"; then
			unusable[$p]=$(sed -n '1s/^sentry-vm: error: //p' "$work/probe")
			unusable[$p]=${unusable[$p]:-sentry-vm run failed}
		fi
	done
	return 0
}

c() {
	local name=$1 want=$2
	shift 2
	run_case "$name" "$want" /dev/null "$@"
}

ci() {
	local name=$1 want=$2
	printf '%s\n' "$3" >"$work/in"
	shift 3
	run_case "$name" "$want" "$work/in" "$@"
}

run_case() {
	local name=$1 want=$2 in=$3 got_n got_s p
	shift 3
	wanted "$name" || return 0
	if [[ ! -x $SENTRY ]]; then
		skipped "$name" "$SENTRY is not built"
		return
	fi
	if [[ -n $root ]]; then
		# the subshell keeps bash's "Terminated" report of a killed case to itself
		(env -i "${NATIVE_ENV[@]}" timeout "$TIMEOUT" chroot "$root" "$@" \
			<"$in" >"$work/out.n" 2>"$work/err.n"; r=$?; exit $r) 2>/dev/null
		got_n=$?
		if [[ $got_n != "$want" ]]; then
			failed "$name" "native exit status $got_n, expected $want (the case is wrong)"
			return
		fi
	fi
	for p in "${PLATFORMS[@]}"; do
		if [[ -n ${unusable[$p]:-} ]]; then
			skipped "$p: $name" "${unusable[$p]}"
			continue
		fi
		timeout "$TIMEOUT" "$SENTRY" run -q --platform="$p" "$work/image.tar" "$@" \
			<"$in" >"$work/out.s" 2>"$work/err.s"
		got_s=$?
		if [[ -z $root ]]; then
			if [[ $got_s != "$want" ]]; then
				failed "$p: $name" "exit status $got_s, expected $want; stderr: $(head -c 300 "$work/err.s")"
			else
				ok "$p: $name (no oracle)"
			fi
		elif [[ $got_s != "$got_n" ]]; then
			failed "$p: $name" "exit status $got_s, native $got_n; stderr: $(head -c 300 "$work/err.s")"
		elif ! cmp -s "$work/out.s" "$work/out.n"; then
			failed "$p: $name" "stdout differs: $(diff "$work/out.n" "$work/out.s" | head -5 | tr '\n' '|')"
		else
			ok "$p: $name"
		fi
	done
}

if prepare; then
	cases
else
	failed image "cannot build $IMAGE"
fi
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))

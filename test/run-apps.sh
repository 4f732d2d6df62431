#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run-apps.sh native|ptrace|kvm|all [CASE...]: the app matrix (style.md §3.13).
#
#   native   the oracle: each case runs natively, chrooted into build/apps.tar
#            unpacked and mounted read-only (the same paths and the same
#            EROFS as in the sentry), and must give its expected status and
#            no "not ok" line.
#   ptrace, kvm
#            each case runs under `build/sentry-vm run --platform=P` and must
#            print the same stdout and exit with the same status as its
#            native run. Where there is no native run (chroot needs root),
#            the expected status and TAP alone decide, said once. Then the
#            cases only the sentry has: /nope is 127, not executable is 126,
#            a missing image is 125, each with a message on stderr.
#   all      native, then ptrace, then kvm.
#
# A platform that cannot run here is "skipped: P: CASE: reason" for each case,
# never a pass. The last line is "N passed, N failed, N skipped"; the exit
# status is 1 if anything failed. Environment: SENTRY (build/sentry-vm),
# IMAGE (build/apps.tar), APPS_TIMEOUT (seconds per run, 60).
set -uo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

SENTRY=${SENTRY:-build/sentry-vm}
IMAGE=${IMAGE:-build/apps.tar}
TIMEOUT=${APPS_TIMEOUT:-60}
APPS_TEST='a=b c'	# args_env prints it back
# sentry-vm's default environment (vmm/config.c) plus -e APPS_TEST, so
# that native runs see what the sentry gives the app.
NATIVE_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	    HOSTNAME=sentry "APPS_TEST=$APPS_TEST" HOME=/root)

# Every case: NAME STATUS STDIN ARGV... (STDIN: a file in $work/in, or -).
# The expected STATUS is what native Linux gives; the oracle checks it.
cases() {
	c hello			0	-	/apps/hello
	c args_env		0	-	/apps/args_env one 'two words' '' --flag=x
	c mem			0	-	/apps/mem
	c files			0	-	/apps/files
	c time			0	-	/apps/time
	c vdso			0	-	/apps/vdso
	c misc			0	-	/apps/misc
	c unimpl		0	-	/apps/unimpl
	c stdin_cat		0	abc	/apps/stdin_cat
	c stdin_cat-empty	0	-	/apps/stdin_cat
	c stdin_cat-big		0	big	/apps/stdin_cat
	c exit_code-0		0	-	/apps/exit_code 0
	c exit_code-3		3	-	/apps/exit_code 3
	c exit_code-255		255	-	/apps/exit_code 255
	c exit_code-256		0	-	/apps/exit_code 256
	c fsw_tmp		0	-	/apps/fsw_tmp
	c fsw_dev		0	-	/apps/fsw_dev
	c poll			0	-	/apps/poll
	c procs			0	-	/apps/procs
	c threads		0	-	/apps/threads
	c preempt		0	-	/apps/preempt
	c epoll			0	-	/apps/epoll
	c unix			0	-	/apps/unix
	c locks			0	-	/apps/locks
	c procfs		0	-	/apps/procfs arg1
	c cow			0	-	/apps/cow
	c shmap			0	-	/apps/shmap
	c timers		0	-	/apps/timers
	c signals		0	-	/apps/signals
	c signalfd		0	-	/apps/signalfd
	c sigfpu		0	-	/apps/sigfpu
	c posix_timers		0	-	/apps/posix_timers
	c cputime		0	-	/apps/cputime
	c jobctl			0	-	/apps/jobctl
	c segv			139	-	/apps/segv
	c isolation-kernel	139	-	/apps/isolation kernel
	c isolation-directmap	139	-	/apps/isolation directmap
	c isolation-noncanonical 139	-	/apps/isolation noncanonical
	c isolation-above	139	-	/apps/isolation above
	c isolation-stub-write	139	-	/apps/isolation stub-write
}

# Cases of sentry-vm itself, without a native twin: NAME STATUS IMAGE ARGV...
sentry_cases() {
	s notfound		127	"$IMAGE"		/nope
	s notelf		126	"$IMAGE"		/apps/notelf
	s directory		126	"$IMAGE"		/data
	s noexec		126	"$IMAGE"		/data/hello.txt
	s noimage		125	"$work/missing.tar"	/apps/hello
}

pass=0 fail=0 skip=0
only=()		# case names given on the command line
work=
root=		# the unpacked image, when a native run is possible
mounted=0	# whether $root is bind-mounted (to be made read-only)
root_ro=0	# whether $root is mounted read-only
no_native=	# why there is no native run
no_oracle=	# why the case at hand has none (has_oracle)

ok()      { pass=$((pass + 1)); echo "ok: $1"; }
skipped() { skip=$((skip + 1)); echo "skipped: $1: $2"; }
failed() {
	fail=$((fail + 1))
	echo "FAIL: $1: $2"
	[[ -z ${3:-} ]] || sed 's/^/    /' "$3" | head -n 30
}

selected() {
	((${#only[@]} == 0)) && return 0
	local n
	for n in "${only[@]}"; do [[ $n == "$1" ]] && return 0; done
	return 1
}

# run OUT STDIN CMD...: run CMD with stdin, stdout to OUT.out and stderr to
# OUT.err; the status (as a shell reports it: 128+N for signal N) to OUT.rc.
# The subshell absorbs bash's "Segmentation fault" report into OUT.err.
run() {
	local out=$1 in=$2; shift 2
	[[ $in == - ]] && in=/dev/null || in=$work/in/$in
	(timeout -k 5 "$TIMEOUT" "$@" <"$in" >"$out.out"; r=$?; exit $r) 2>"$out.err"
	echo $? >"$out.rc"
}

# The status in OUT.rc, in words where it is a timeout.
status_of() {
	local rc
	rc=$(<"$1.rc")
	[[ $rc -eq 124 || $rc -eq 137 ]] && echo "$rc (timed out after ${TIMEOUT}s)" || echo "$rc"
}

# --- native: the oracle -----------------------------------------------------
setup_native() {
	local chroot_bin
	if [[ $(id -u) -ne 0 ]]; then
		no_native="chroot needs root"
		return
	fi
	chroot_bin=$(command -v chroot) || { no_native="no chroot command"; return; }
	root=$work/root
	mkdir -p "$root" "$work/native"
	if ! tar -xf "$IMAGE" -C "$root"; then
		no_native="cannot unpack $IMAGE"; root=; return
	fi
	mkdir -p "$root/tmp" "$root/dev" "$root/proc"
	# Read-only like the root under --read-only (files.c expects EROFS), with
	# a writable /tmp, a /dev of the same devices as the sentry's and /proc.
	if mount --bind "$root" "$root" 2>/dev/null; then
		mounted=1
		mount -o remount,bind,ro "$root" 2>/dev/null && root_ro=1
		mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
		mount -t tmpfs -o mode=755 tmpfs "$root/dev"
		for d in null zero full random urandom tty; do
			touch "$root/dev/$d" && mount --bind "/dev/$d" "$root/dev/$d"
		done
		mkdir -m 1777 "$root/dev/shm"
		mount -t proc proc "$root/proc"
	fi
	NATIVE=(env -i "${NATIVE_ENV[@]}" "$chroot_bin" "$root")
	run "$work/probe" - "${NATIVE[@]}" /apps/exit_code 0
	if [[ $(<"$work/probe.rc") -ne 0 ]]; then
		no_native="chroot failed: $(head -n 1 "$work/probe.err")"
		root=
	fi
}

# Whether CASE has a native run to compare with; else why not, in $no_oracle.
has_oracle() {
	no_oracle=$no_native
	[[ -z $no_oracle && $1 == files && $root_ro -eq 0 ]] &&
		no_oracle="cannot mount the native root read-only (files.c expects EROFS)"
	[[ -z $no_oracle ]]
}

# TAP and status check of one run: OUT STATUS.
as_expected() {
	[[ $(<"$1.rc") -eq $2 ]] && ! grep -q '^not ok' "$1.out"
}

native_case() {
	local name=$1 status=$2 in=$3; shift 3
	local out=$work/native/$name
	has_oracle "$name" || { skipped "native: $name" "$no_oracle"; return; }
	run "$out" "$in" "${NATIVE[@]}" "$@"
	if as_expected "$out" "$status"; then
		ok "native: $name"
	else
		cat "$out.out" "$out.err" >"$out.log"
		failed "native: $name" "status $(status_of "$out"), expected $status" "$out.log"
	fi
}

# --- the sentry platforms ----------------------------------------------------
# Why PLATFORM cannot run here (empty if it can).
platform_unusable() {
	local p=$1
	if [[ ! -x $SENTRY ]]; then
		echo "$SENTRY is not built (run make)"
		return
	fi
	if [[ $p == kvm ]]; then
		[[ -e /dev/kvm ]] || { echo "no /dev/kvm"; return; }
		[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "/dev/kvm is not readable and writable"; return; }
	fi
	run "$work/probe-$p" - "$SENTRY" run --platform="$p" "$IMAGE" /apps/exit_code 0
	if [[ $(<"$work/probe-$p.rc") -eq 125 ]] &&
	   grep -qiE 'unusable|not (built|compiled|configured)' "$work/probe-$p.err"; then
		sed -n '1s/^sentry-vm: error: //p' "$work/probe-$p.err"
	fi
}

sentry_run() {
	local p=$1 out=$2 in=$3 image=$4; shift 4
	# --read-only: the oracle's root is a read-only mount (files.c expects EROFS)
	run "$out" "$in" "$SENTRY" run --platform="$p" --read-only -e "APPS_TEST=$APPS_TEST" "$image" -- "$@"
}

platform_case() {
	local p=$1 name=$2 status=$3 in=$4; shift 4
	local out=$work/$p/$name nat=$work/native/$name
	sentry_run "$p" "$out" "$in" "$IMAGE" "$@"
	if has_oracle "$name"; then
		[[ -e $nat.rc ]] || run "$nat" "$in" "${NATIVE[@]}" "$@"
		if [[ $(<"$out.rc") -ne $(<"$nat.rc") ]]; then
			cat "$out.out" "$out.err" >"$out.log"
			failed "$p: $name" "status $(status_of "$out"), native $(<"$nat.rc")" "$out.log"
		elif ! cmp -s "$nat.out" "$out.out"; then
			{ diff -u --label native --label "$p" "$nat.out" "$out.out"
			  cat "$out.err"; } >"$out.log"
			failed "$p: $name" "stdout differs from native" "$out.log"
		elif ! as_expected "$out" "$status"; then
			# agreeing with a broken oracle is no pass
			cat "$out.out" "$out.err" >"$out.log"
			failed "$p: $name" "status $(status_of "$out") (as native), expected $status" "$out.log"
		else
			ok "$p: $name"
		fi
	elif as_expected "$out" "$status"; then
		ok "$p: $name"
	else
		cat "$out.out" "$out.err" >"$out.log"
		failed "$p: $name" "status $(status_of "$out"), expected $status" "$out.log"
	fi
}

sentry_case() {
	local p=$1 name=$2 status=$3 image=$4; shift 4
	local out=$work/$p/$name
	sentry_run "$p" "$out" - "$image" "$@"
	if [[ $(<"$out.rc") -ne $status ]]; then
		cat "$out.out" "$out.err" >"$out.log"
		failed "$p: $name" "status $(status_of "$out"), expected $status" "$out.log"
	elif [[ ! -s $out.err ]]; then
		failed "$p: $name" "status $status but nothing on stderr"
	else
		ok "$p: $name"
	fi
}

# Cases a platform cannot run yet, and why: PLATFORM:CASE -> reason.
declare -A NOT_YET=()

run_platform() {
	local p=$1 why
	why=$(platform_unusable "$p")
	mkdir -p "$work/$p"
	if [[ -z $why && -n $no_native ]]; then
		echo "note: $p: no native oracle ($no_native): checking statuses and TAP only"
	fi
	c() { selected "$1" || return 0
	      if [[ -n $why ]]; then skipped "$p: $1" "$why"
	      elif [[ -n ${NOT_YET[$p:$1]:-} ]]; then skipped "$p: $1" "${NOT_YET[$p:$1]}"
	      else platform_case "$p" "$@"; fi; }
	s() { selected "$1" || return 0
	      if [[ -n $why ]]; then skipped "$p: $1" "$why"; else sentry_case "$p" "$@"; fi; }
	cases
	sentry_cases
}

run_native() {
	c() { selected "$1" || return 0; native_case "$@"; }
	cases
}

cleanup() {
	if [[ $mounted -eq 1 ]] && ! umount -R "$root" 2>/dev/null; then
		# busybox umount has no -R (the QEMU harness): innermost first
		for d in null zero full random urandom tty; do
			umount "$root/dev/$d" 2>/dev/null
		done
		umount "$root/proc" "$root/dev" "$root/tmp" "$root" 2>/dev/null
	fi
	[[ -n $work ]] && rm -rf "$work"
}

main() {
	local mode=${1:-}
	case $mode in
	native|ptrace|kvm|all) shift ;;
	*) echo "usage: $0 native|ptrace|kvm|all [CASE...]" >&2; exit 2 ;;
	esac
	only=("$@")
	if [[ ! -r $IMAGE ]]; then
		echo "$0: $IMAGE is missing (run make apps)" >&2
		exit 2
	fi
	work=$(mktemp -d)
	trap cleanup EXIT
	mkdir -p "$work/in"
	printf 'abc\n' >"$work/in/abc"
	seq 1 30000 >"$work/in/big"	# 169 KiB: many reads and writes

	setup_native
	case $mode in
	native) run_native ;;
	all) run_native; run_platform ptrace; run_platform kvm ;;
	*) run_platform "$mode" ;;
	esac
	echo "$pass passed, $fail failed, $skip skipped"
	[[ $fail -eq 0 ]]
}

# A private mount namespace, so that the read-only bind mount of the native
# root goes away with us however we end.
if [[ -z ${RUN_APPS_NS:-} && $(id -u) -eq 0 ]] && unshare --mount true 2>/dev/null; then
	RUN_APPS_NS=1 exec unshare --mount --propagation private "$self" "$@"
fi
main "$@"

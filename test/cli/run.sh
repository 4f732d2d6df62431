#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cli/run.sh: sentry-vm's own behaviour seen from the command line: platform
# choice and fallback, --platform errors, bad flags, bad images. Each case
# checks the exit status and a phrase of the message. Needs build/sentry-vm
# and images/busybox.tar (made here if missing).
set -uo pipefail
cd "$(dirname "$0")/../.."
SENTRY=${SENTRY:-build/sentry-vm}
IMAGE=images/busybox.tar
[[ -e $IMAGE ]] || tools/mkimage-busybox.sh "$IMAGE" >/dev/null || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0

# expect NAME STATUS STDERR_PHRASE CMD...: run CMD, compare status, grep stderr.
expect() {
	local name=$1 want=$2 phrase=$3 rc; shift 3
	"$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	if [[ $rc -ne $want ]]; then
		echo "not ok: $name: exit $rc, want $want; stderr: $(head -c 300 "$work/err")"
		fail=$((fail + 1))
	elif [[ -n $phrase ]] && ! grep -qF -- "$phrase" "$work/err"; then
		echo "not ok: $name: stderr lacks '$phrase': $(head -c 300 "$work/err")"
		fail=$((fail + 1))
	else
		echo "ok: $name"
		pass=$((pass + 1))
	fi
}

skip() {
	echo "skipped: $1: $2"
	skip=$((skip + 1))
}

kvm_ok=false
if [[ -r /dev/kvm && -w /dev/kvm ]]; then kvm_ok=true; fi

# Platform choice.
if $kvm_ok; then
	skip kvm-refused "/dev/kvm is usable here"
	skip auto-falls-back "/dev/kvm is usable here"
	skip quiet-fallback "/dev/kvm is usable here"
else
	expect kvm-refused 125 "KVM is unusable" $SENTRY run --platform=kvm $IMAGE /bin/busybox true
	expect auto-falls-back 0 "using the ptrace platform" $SENTRY run $IMAGE /bin/busybox true
	$SENTRY run -q $IMAGE /bin/busybox true 2>"$work/qerr"
	if [[ $? -eq 0 && ! -s $work/qerr ]]; then
		echo "ok: quiet-fallback"; pass=$((pass + 1))
	else
		echo "not ok: quiet-fallback: -q still printed: $(cat "$work/qerr")"; fail=$((fail + 1))
	fi
fi
expect ptrace-explicit 0 "" $SENTRY run --platform=ptrace $IMAGE /bin/busybox true

# Bad command lines.
expect bad-platform 125 "--platform must be" $SENTRY run --platform=xen $IMAGE /bin/busybox true
expect bad-flag 125 "unknown option" $SENTRY run --frobnicate $IMAGE /bin/busybox true
expect cpus-1 0 "" $SENTRY run -q --cpus 1 $IMAGE /bin/busybox true
expect cpus-2 125 "only 1 vCPU" $SENTRY run --cpus 2 $IMAGE /bin/busybox true
expect no-command 125 "no command given" $SENTRY run $IMAGE
expect bad-verb 125 "unknown command" $SENTRY launch $IMAGE /bin/busybox true
expect help 0 "" $SENTRY --help

# Bad images: nothing is written, the message names the problem.
expect missing-image 125 "cannot open image" $SENTRY run -q $work/nope.tar /bin/busybox true
: >"$work/empty.tar"
expect empty-image 125 "too small" $SENTRY run -q "$work/empty.tar" /bin/busybox true
gzip -c $IMAGE >"$work/bb.tar.gz"
expect gzip-image 125 "gzip-compressed" $SENTRY run -q "$work/bb.tar.gz" /bin/busybox true
mkdir -p "$work/h/etc"
echo x >"$work/h/etc/x"
tar -C "$work/h" -cf "$work/hostile.tar" --transform 's|etc/x|etc/../../x|' etc/x 2>/dev/null
expect hostile-dotdot 125 "etc/../../x" $SENTRY run -q --platform=ptrace "$work/hostile.tar" /bin/busybox true
head -c 1000 $IMAGE >"$work/truncated.tar"
expect truncated-image 125 "truncated" $SENTRY run -q --platform=ptrace "$work/truncated.tar" /bin/busybox true
expect bad-workdir 125 "working directory" $SENTRY run -q --platform=ptrace -w /nope $IMAGE /bin/busybox true

# stdout on a terminal: TCGETS must fill the kernel's 36-byte termios, not
# glibc's 60 (that smashed busybox's stack).
if command -v script >/dev/null; then
	script -qec "$SENTRY run -q --platform=ptrace $IMAGE /bin/busybox ls /" /dev/null >"$work/tty" 2>&1
	if [[ $? -eq 0 ]] && grep -q bin "$work/tty" && ! grep -q smashing "$work/tty"; then
		echo "ok: tty-stdout"; pass=$((pass + 1))
	else
		echo "not ok: tty-stdout: $(head -c 300 "$work/tty")"; fail=$((fail + 1))
	fi
else
	skip tty-stdout "no script(1) to make a terminal"
fi

# An app doing nonsense (garbage arguments to every syscall number) must
# end normally: nothing it passes may crash or stop the sentry.
if [[ -e build/apps.tar ]]; then
	expect nonsense 0 "survived" timeout 300 $SENTRY run -q --platform=ptrace build/apps.tar /apps/nonsense
else
	skip nonsense "build/apps.tar not built (make apps)"
fi

# The root is writable by default (in memory: the image is never written),
# read-only with --read-only; /tmp stays writable either way. Builtins only:
# busybox sh would fork for anything else (no fork yet); the contents are
# checked by test/unit/fs/overlay_test.c and /apps/fsw_tmp.
sum_before=$(md5sum <$IMAGE)
expect writable-root 0 "" $SENTRY run -q --platform=ptrace $IMAGE /bin/busybox sh -c \
	'echo new >/etc/new && test -s /etc/new && echo more >>/etc/passwd && test -w /etc/passwd'
# an image file written: copied up whole, the old lines kept (both platforms copy it)
for p in ptrace kvm; do
	if [[ $p == kvm ]] && ! $kvm_ok; then
		skip copy-up-kvm "/dev/kvm is not usable here"
		continue
	fi
	expect copy-up-$p 0 "" $SENTRY run -q --platform=$p $IMAGE /bin/busybox sh -c \
		'echo more >>/etc/passwd && /bin/busybox grep -q "^root:" /etc/passwd &&
		 test "$(/bin/busybox tail -n 1 /etc/passwd)" = more'
done
expect read-only-root 1 "Read-only file system" $SENTRY run -q --platform=ptrace --read-only $IMAGE \
	/bin/busybox sh -c 'echo new >/etc/new'
expect read-only-tmp 0 "" $SENTRY run -q --platform=ptrace --read-only $IMAGE \
	/bin/busybox sh -c 'echo new >/tmp/new && test -s /tmp/new'
if [[ $(md5sum <$IMAGE) == "$sum_before" ]]; then
	echo "ok: image-untouched"; pass=$((pass + 1))
else
	echo "not ok: image-untouched: the image changed"; fail=$((fail + 1))
fi

# Diagnostics.
expect strace 0 "write(1," $SENTRY run -q --platform=ptrace --strace $IMAGE /bin/busybox echo hi

echo "cli: $pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]

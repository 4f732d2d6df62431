#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# demo.sh (`make demo`): make images/busybox.tar if missing, then run a few
# busybox commands in it with build/sentry-vm, showing each command line and
# its exit status. Exit status: 1 if a command did not end as shown.
set -uo pipefail
cd "$(dirname "$0")/.."

SENTRY=${SENTRY:-build/sentry-vm}
IMAGE=images/busybox.tar
[[ -x $SENTRY ]] || { echo "demo.sh: $SENTRY is not built (run make)" >&2; exit 1; }
if [[ ! -e $IMAGE ]]; then
	echo "demo.sh: making $IMAGE"
	tools/mkimage-busybox.sh "$IMAGE" || exit 1
fi

bad=0
opts=()		# the first run says which platform it picked; then -q

# Words as a shell would need them typed.
shell_words() {
	local w out=
	for w in "$@"; do
		[[ $w =~ ^[A-Za-z0-9_./=:-]+$ ]] || w="'${w//\'/\'\\\'\'}'"
		out+=" $w"
	done
	echo "${out# }"
}

# demo WANT_STATUS INPUT ARGS...: show and run one command (INPUT: text for
# its stdin, or "" for none).
demo() {
	local want=$1 input=$2 rc; shift 2
	echo
	if [[ -n $input ]]; then
		echo "\$ printf $(shell_words "$input") | $SENTRY run $IMAGE $(shell_words "$@")"
		printf '%b' "$input" | "$SENTRY" run "${opts[@]}" "$IMAGE" "$@"
	else
		echo "\$ $SENTRY run $IMAGE $(shell_words "$@")"
		"$SENTRY" run "${opts[@]}" "$IMAGE" "$@" </dev/null
	fi
	rc=$?
	opts=(-q)
	echo "[exit status $rc]"
	[[ $rc -eq $want ]] || { echo "demo.sh: expected exit status $want"; bad=1; }
}

demo 0 '' /bin/busybox echo hello from sentry-vm
demo 0 '' /bin/busybox cat /etc/passwd
demo 0 '' /bin/busybox ls -l /bin
demo 3 '' /bin/busybox sh -c 'exit 3'
demo 0 'abc\n' /bin/busybox cat
exit $bad

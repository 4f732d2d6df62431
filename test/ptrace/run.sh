#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh: the ptrace platform and host service tests (test/ptrace/*.c) on
# this host. Builds build/ptrace-tests, runs it, and ends with the line
# tools/check.sh counts: "ptrace: N passed, N failed, N skipped". Where
# ptrace is unusable the platform tests skip and say why.
set -uo pipefail
cd "$(dirname "$0")/../.."

# The top-level build includes test/ptrace/Build.mk once test/Build.mk does.
if grep -q 'test/ptrace/Build.mk' test/Build.mk; then
	mk=(make --no-print-directory)
else
	mk=(make --no-print-directory -f Makefile -f test/ptrace/Build.mk)
fi
if ! "${mk[@]}" build/ptrace-tests; then
	echo "ptrace: build/ptrace-tests does not build"
	echo "ptrace: 0 passed, 1 failed, 0 skipped"
	exit 1
fi

# LeakSanitizer itself needs ptrace: where ptrace is refused it dies at
# exit, taking stdout with it. Then run without leak checks, and say so.
list=$(build/ptrace-tests --list 2>&1)
if [[ $list == *"LeakSanitizer has encountered a fatal error"* ]]; then
	echo "ptrace: leak checks off: LeakSanitizer needs ptrace, which this host refuses"
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
fi
total=$(build/ptrace-tests --list 2>&1 | grep -cE '(├|└)── ')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
build/ptrace-tests --jobs 2 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

s=$(grep -E 'Synthesis: Tested' "$log" | tail -n 1)
if [[ $s =~ Tested:\ ([0-9]+)\ \|\ Passing:\ ([0-9]+)\ \|\ Failing:\ ([0-9]+)\ \|\ Crashing:\ ([0-9]+) ]]; then
	tested=${BASH_REMATCH[1]}
	passed=${BASH_REMATCH[2]}
	failed=$((BASH_REMATCH[3] + BASH_REMATCH[4]))
	skipped=$((total - tested))
else
	passed=0 failed=1 skipped=0
fi
((rc == 0 || failed > 0)) || failed=1
echo "ptrace: $passed passed, $failed failed, $skipped skipped"
((failed == 0))

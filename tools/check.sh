#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check.sh: every test layer in order (unit, VMM/platform, app matrix), one
# total at the end. A layer whose platform is unusable here reports
# "skipped: <reason>" and counts as skipped, never as passed.
set -uo pipefail
cd "$(dirname "$0")/.."

pass=0 fail=0 skip=0
declare -a failed_layers=()

# Add the counts of the last "N passed, N failed[, N skipped]" line of $1.
add_counts() {
	local line
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	[[ -n $line ]] || return 1
	[[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]] || return 1
	pass=$((pass + BASH_REMATCH[1]))
	fail=$((fail + BASH_REMATCH[2]))
	skip=$((skip + ${BASH_REMATCH[4]:-0}))
}

layer() {
	local name=$1; shift
	local log
	log=$(mktemp)
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	if [[ $name == unit ]]; then
		# criterion: "Synthesis: Tested: N | Passing: N | Failing: N | Crashing: N"
		local s
		s=$(grep -E 'Synthesis: Tested' "$log" | tail -n 1)
		if [[ $s =~ Passing:\ ([0-9]+)\ \|\ Failing:\ ([0-9]+)\ \|\ Crashing:\ ([0-9]+) ]]; then
			pass=$((pass + BASH_REMATCH[1]))
			fail=$((fail + BASH_REMATCH[2] + BASH_REMATCH[3]))
		else
			fail=$((fail + 1))
		fi
	elif ! add_counts "$log"; then
		echo "$name: no result line"
		fail=$((fail + 1))
	fi
	[[ $rc -eq 0 ]] || failed_layers+=("$name")
	rm -f "$log"
}

layer unit build/unit-tests
for t in test/cli/run.sh test/ptrace/run.sh test/vmm/run.sh test/dyn/run.sh; do
	[[ -x $t ]] && layer "$(basename "$(dirname "$t")")" "$t"
done
layer apps test/run-apps.sh all
layer e2e test/dyn/run.sh --e2e

echo
if ((${#failed_layers[@]})); then
	echo "failed layers: ${failed_layers[*]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 && ${#failed_layers[@]} -eq 0 ]]

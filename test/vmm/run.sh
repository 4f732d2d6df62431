#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh: the VMM against tiny and deliberately broken guests (test/vmm/guests).
# Each must end with the expected exit status and, for the broken ones, the
# "sentry-vm: guest stopped: <what>" line naming what the guest did.
# Without a usable /dev/kvm: "skipped: <reason>" and every case counts as skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=build/test/vmm

# name | expected status | expected text on stderr (grep -F), "" for none
cases=(
	"exit42|42|"
	"console|0|hello from the test guest"
	"badnr|123|guest stopped: unknown hostcall 200"
	"badptr|123|guest stopped: write hostcall: buffer at gpa 0x7000000000"
	"badargs|123|argument block at gpa 0xfffffffff000 is outside guest RAM"
	"misaligned|123|bad hostcall doorbell access"
	"triple|123|guest stopped: triple fault"
	"hlt|123|guest stopped: halted"
	"pio|123|guest stopped: port I/O"
	"rowrite|123|guest stopped: MMIO write of 8 bytes at gpa 0x8000000000"
	"badelf|125|guest kernel image is broken"
)

pass=0 fail=0 skip=0
if [[ ! -e /dev/kvm ]]; then
	why="no /dev/kvm on this host"
elif ! (exec 3<>/dev/kvm) 2>/dev/null; then
	why="no permission to open /dev/kvm"
else
	why=
fi
if [[ -n $why ]]; then
	echo "skipped: $why"
	echo "vmm: 0 passed, 0 failed, ${#cases[@]} skipped"
	exit 0
fi

# test/vmm/Build.mk is included by test/Build.mk; name it here only if not.
# VMMTEST_PREBUILT=1: already built (tools/qemu-kvm runs this in a VM without make).
mk=()
grep -qs 'test/vmm/Build.mk' test/Build.mk || mk=(-f Makefile -f test/vmm/Build.mk)
if [[ -z ${VMMTEST_PREBUILT:-} ]] && ! log=$(make --no-print-directory -s "${mk[@]}" vmm-tests 2>&1); then
	echo "$log"
	echo "vmm: could not build the test guests"
	echo "vmm: 0 passed, 1 failed"
	exit 1
fi

printf 'not an ELF file\n' > "$B/badelf.elf"
for c in "${cases[@]}"; do
	IFS='|' read -r name want text <<<"$c"
	err=$(timeout 60 "$B/vmmtest" "$B/$name.elf" "$B/exit42.elf" 2>&1 >/dev/null)
	got=$?
	if [[ $got -eq $want ]] && { [[ -z $text ]] || grep -qF -- "$text" <<<"$err"; }; then
		echo "ok   $name (status $got)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: status $got (want $want), stderr: $err"
		fail=$((fail + 1))
	fi
done
echo "vmm: $pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh (`make bench`): what the sandbox costs, in one run, against native.
# Not a test: it asserts no timing, and a platform that cannot run here is
# "skipped: reason".
#
#   1. syscall round trip: /bench/syscall_lat (test/bench/syscall_lat.c),
#      and libc's clock_gettime, which the vDSO serves without a syscall,
#      natively, under --platform=ptrace and --platform=kvm, and under
#      gVisor's `runsc --platform=ptrace do` when runsc is installed
#      (Debian: apt-get install runsc). BENCH_REPS repetitions, interleaved
#      across platforms, of 5 batches each; the median of all batches.
#   2. cold start: `sentry-vm run images/busybox.tar /bin/busybox true`,
#      BENCH_COLD_RUNS runs (test/bench/measure.c): median wall time and
#      the peak RSS wait4 reports; `/bin/busybox true` natively as baseline.
#   3. the ptrace floor: build/ptrace-bench (test/ptrace/bench.c), the bare
#      PTRACE_SYSEMU round trip that the ptrace platform is built on, and
#      the sentry's ptrace getppid against it. BENCH_FLOOR=0 leaves it out.
#   4. the process model: /bench/proc_lat (test/bench/proc_lat.c), fork,
#      exec, pipe and futex round trips, page faults, threads, on the same
#      platforms as 1 (exec'ing /apps/exit_code), BENCH_REPS runs each.
#
# Tables of medians and ratios on stdout; the numbers also go to
# build/bench.json. BENCH_CPU=N runs everything pinned to CPU N (taskset):
# steadier on a busy host, and tracer and tracee then share that CPU.
set -uo pipefail
cd "$(dirname "$0")/../.."

SENTRY=build/sentry-vm
APPS=build/apps.tar
BB=images/busybox.tar
REPS=${BENCH_REPS:-3}
COLD=${BENCH_COLD_RUNS:-20}
RUNSC_COLD=$((COLD < 5 ? COLD : 5))	# runsc starts take about a second each
FLOOR=${BENCH_FLOOR:-1}
JSON=build/bench.json
PLATFORMS=(native ptrace kvm runsc)
RUNSC=(runsc --platform=ptrace --network=none do)
PIN=()
[[ -n ${BENCH_CPU:-} ]] && PIN=(taskset -c "$BENCH_CPU")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results	# "SECTION KEY PLATFORM VALUE" lines, for the JSON
: >"$results"
declare -A why		# platform -> why it is skipped

make --no-print-directory -s build/bench/measure >/dev/null || exit 1
[[ -e $BB ]] || tools/mkimage-busybox.sh "$BB" || exit 1

# --- which platforms can run ---------------------------------------------------
for p in ptrace kvm; do
	if ! "$SENTRY" run --platform=$p -q "$APPS" /apps/exit_code 0 2>"$work/probe" </dev/null; then
		why[$p]=$(sed -n '1s/^sentry-vm: error: //p' "$work/probe")
		why[$p]=${why[$p]:-sentry-vm run failed}
	fi
done
if ! command -v runsc >/dev/null; then
	why[runsc]="runsc is not installed (apt-get install runsc)"
elif ! "${RUNSC[@]}" /bin/true >/dev/null 2>"$work/probe" </dev/null; then
	why[runsc]="runsc do failed: $(tail -n 1 "$work/probe")"
fi

label() { [[ $1 == runsc ]] && echo "runsc-ptrace" || echo "$1"; }

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# "VALUE (RATIOx)" of a platform's VALUE against native's, or its skip.
cell() {
	local v=$1 base=$2 fmt=$3
	if [[ -z $v ]]; then
		echo "-"
	elif [[ -z $base || $base == 0 ]]; then
		printf "$fmt" "$v"
	else
		printf "$fmt (%.1fx)" "$v" "$(awk -v a="$v" -v b="$base" 'BEGIN { print a / b }')"
	fi
}

# table TITLE SECTION FILE OP:LABEL...: a row per OP, the median of the
# "OP NS" lines in $work/FILE.PLATFORM for each platform, with its ratio to
# native's; the medians go to $results as "SECTION OP PLATFORM NS", and each
# platform's "OP skipped: why" lines follow the table.
table() {
	local title=$1 sec=$2 file=$3 row op base p v
	shift 3
	echo
	printf '%-30s' "$title"
	for p in "${PLATFORMS[@]}"; do printf '%22s' "$(label "$p")"; done
	echo
	for row in "$@"; do
		op=${row%%:*}
		printf '%-30s' "${row#*:}"
		base=
		for p in "${PLATFORMS[@]}"; do
			v=
			if [[ -z ${why[$p]:-} ]]; then
				v=$(awk -v op="$op" '$1 == op && $2 ~ /^[0-9.]+$/ { print $2 }' \
					"$work/$file.$p" 2>/dev/null | median)
			fi
			[[ $p == native ]] && base=$v
			[[ -n $v ]] && echo "$sec $op $p $v" >>"$results"
			printf '%22s' "$(cell "$v" "$([[ $p == native ]] || echo "$base")" '%.0f')"
		done
		echo
	done
	for p in "${PLATFORMS[@]}"; do
		grep 'skipped' "$work/$file.$p" 2>/dev/null | sort -u | sed "s/^/  ($(label "$p")) /"
	done
}

pinned="not pinned (BENCH_CPU=N pins)"
[[ -n ${BENCH_CPU:-} ]] && pinned="pinned to CPU $BENCH_CPU"
echo "sentry-vm bench: $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $pinned"
for p in "${PLATFORMS[@]}"; do
	[[ -n ${why[$p]:-} ]] && echo "skipped: $(label "$p"): ${why[$p]}"
done

# --- 1. syscall round trip -----------------------------------------------------
lat_cmd() {
	case $1 in
	native) "${PIN[@]}" build/bench/syscall_lat 5 ;;
	runsc) "${PIN[@]}" "${RUNSC[@]}" "$PWD/build/bench/syscall_lat" 5 ;;
	*) "${PIN[@]}" "$SENTRY" run --platform="$1" -q "$APPS" /bench/syscall_lat 5 ;;
	esac
}
for ((rep = 0; rep < REPS; rep++)); do
	for p in "${PLATFORMS[@]}"; do
		[[ -n ${why[$p]:-} ]] || lat_cmd "$p" </dev/null >>"$work/lat.$p" 2>/dev/null
	done
done

table "syscall round trip, ns/op" lat lat \
	"getppid:getppid (bare syscall)" "clock_gettime:clock_gettime(MONOTONIC), vDSO" \
	"read_zero:read 1 byte of /dev/zero"
echo "  (median of $REPS x 5 batches of ~20 ms; '-': skipped or not measured)"
[[ -z ${why[runsc]:-} ]] &&
	echo "  (runsc-ptrace: gVisor's \`${RUNSC[*]}\`, the program from the host's filesystem)"

# --- 2. cold start ---------------------------------------------------------------
cold_cmd() {
	case $1 in
	native) "${PIN[@]}" build/bench/measure "$COLD" /bin/busybox true ;;
	runsc) "${PIN[@]}" build/bench/measure "$RUNSC_COLD" "${RUNSC[@]}" /bin/busybox true ;;
	*) "${PIN[@]}" build/bench/measure "$COLD" "$SENTRY" run --platform="$1" -q "$BB" /bin/busybox true ;;
	esac
}
echo
printf '%-30s%16s%10s%16s%8s\n' "cold start: busybox true" "median ms" "ratio" "peak RSS KiB" "runs"
base=
for p in "${PLATFORMS[@]}"; do
	printf '%-30s' "$(label "$p")"
	if [[ -n ${why[$p]:-} ]]; then
		echo "skipped"
		continue
	fi
	cold_cmd "$p" >"$work/cold.$p"
	get() { awk -v k="$1" '$1 == k { print $2 }' "$work/cold.$p"; }
	ms=$(awk -v n="$(get median_ns)" 'BEGIN { printf "%.1f", n / 1e6 }')
	[[ $p == native ]] && base=$ms
	printf '%16s%10s%16s%8s' "$ms" "$(awk -v a="$ms" -v b="$base" 'BEGIN { printf "%.1fx", a / b }')" \
		"$(get maxrss_kb)" "$(get runs)"
	[[ $(get failed) -eq 0 ]] || printf '  (%s failed)' "$(get failed)"
	echo
	echo "cold median_ms $p $ms" >>"$results"
	echo "cold maxrss_kb $p $(get maxrss_kb)" >>"$results"
done
echo "  (peak RSS: the largest ru_maxrss wait4 gave for the command or a process it reaped)"

# --- 3. the ptrace floor ----------------------------------------------------------
echo
if [[ $FLOOR != 1 ]]; then
	echo "ptrace floor: skipped: BENCH_FLOOR=$FLOOR"
elif ! make --no-print-directory -s build/ptrace-bench >/dev/null 2>&1; then
	echo "ptrace floor: skipped: build/ptrace-bench does not build"
else
	echo "ptrace floor (build/ptrace-bench, test/ptrace/bench.c):"
	"${PIN[@]}" build/ptrace-bench | tee "$work/floor" | sed 's/^/  /'
	regs=$(awk '/^sysemu \+ getregs \+ setregs/ { print $(NF - 1) }' "$work/floor")
	floor=$(awk '/^sysemu \+ waitpid/ { print $(NF - 1) }' "$work/floor")
	[[ -n $floor ]] && echo "floor sysemu_ns ptrace $floor" >>"$results"
	[[ -n $regs ]] && echo "floor sysemu_regs_ns ptrace $regs" >>"$results"
	sentry=$(awk '$1 == "lat" && $2 == "getppid" && $3 == "ptrace" { print $4 }' "$results")
	if [[ -n $floor && -n $regs && -n $sentry ]]; then
		awk -v s="$sentry" -v f="$floor" -v r="$regs" 'BEGIN {
			printf "  sentry-vm --platform=ptrace getppid (table above): %.0f ns = %.2fx sysemu + waitpid, %.2fx sysemu + getregs + setregs\n", s, s / f, s / r }'
		echo "  (two programs run at different moments: on a busy host, a ratio near 1 means at the floor)"
	fi
fi

# --- 4. the process model -------------------------------------------------------
proc_cmd() {
	case $1 in
	native) "${PIN[@]}" build/bench/proc_lat build/apps/exit_code 3 ;;
	runsc) "${PIN[@]}" "${RUNSC[@]}" "$PWD/build/bench/proc_lat" "$PWD/build/apps/exit_code" 3 ;;
	*) "${PIN[@]}" "$SENTRY" run --platform="$1" -q "$APPS" /bench/proc_lat /apps/exit_code 3 ;;
	esac
}
for ((rep = 0; rep < REPS; rep++)); do
	for p in "${PLATFORMS[@]}"; do
		[[ -n ${why[$p]:-} ]] || proc_cmd "$p" </dev/null >>"$work/proc.$p" 2>/dev/null
	done
done
table "process model, ns/op" proc proc \
	"fork_wait:fork + exit + wait" "fork_exec:fork + execve + wait" \
	"fork_big:fork + exit + wait, 32 MiB heap" \
	"pipe_pingpong:pipe ping-pong round trip" "fault_demand:page fault (demand, per page)" \
	"fault_eager:mmap + touch (eager, per page)" "thread:pthread create + join" \
	"futex_pingpong:futex wake round trip" \
	"switch:process switch (sched_yield)" "cpuid:cpuid instruction"
echo "  (/bench/proc_lat, test/bench/proc_lat.c: median of $REPS x 3 batches of ~20 ms)"

# --- JSON ------------------------------------------------------------------------
for p in "${PLATFORMS[@]}"; do
	[[ -n ${why[$p]:-} ]] && printf 'skipped - %s %s\n' "$p" "${why[$p]}" >>"$results"
done
python3 - "$results" "$JSON" "$REPS" "$COLD" "${BENCH_CPU:-}" <<'PY'
import json, sys
out = {"reps": int(sys.argv[3]), "cold_runs": int(sys.argv[4]),
       "pinned_cpu": int(sys.argv[5]) if sys.argv[5] else None, "syscall_ns": {},
       "cold_start": {}, "ptrace_floor_ns": {}, "proc_ns": {}, "skipped": {}}
for line in open(sys.argv[1]):
    sec, key, plat, val = line.rstrip("\n").split(" ", 3)
    if sec == "skipped":
        out["skipped"][plat] = val
    elif sec == "lat":
        out["syscall_ns"].setdefault(key, {})[plat] = float(val)
    elif sec == "proc":
        out["proc_ns"].setdefault(key, {})[plat] = float(val)
    elif sec == "cold":
        out["cold_start"].setdefault(plat, {})[key] = float(val)
    elif sec == "floor":
        out["ptrace_floor_ns"][key.removesuffix("_ns")] = float(val)
json.dump(out, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
echo
echo "wrote $JSON"

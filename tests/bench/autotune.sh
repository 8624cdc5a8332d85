#!/bin/bash
# autotune.sh - how fast --autotune finds the right worker count, the
# targets of issue 11: CPU-bound jobs of 0.6 s started at -j 8 on this
# machine should come down to at most cores + 1 within 40 s and stay
# there; sleeping jobs of 0.3 s started at -j 1 should reach 16 within 20 s.
#
# The worker count is read twice a second from the control socket's
# `status` JSON ("target").  Each run is bounded: BENCH_AUTOTUNE_SECONDS
# (default 60); a goal not met by then is reported "not reached".  The
# sleep-bound run stops 10 s after it reaches its goal.

. "$(dirname "$0")/bench_lib.sh"

window=${BENCH_AUTOTUNE_SECONDS:-60}
cores=$(bench_cores)
hold=10

bench_need "$POOLTOP" "$BUSY_JOB" sleep

bench_machine
echo "runs:    pooltop --batch --autotune, worker count read every 0.5 s, at most $window s each"
echo

pooltop_pid=
trap '[ -n "$pooltop_pid" ] && kill -KILL "$pooltop_pid" 2> /dev/null; rm -rf "$BENCH_DIR"' EXIT

# Items the jobs ignore: busy_job skips its arguments, sleep adds 0 s.
yes 0 | head -n 100000 > "$BENCH_DIR/zeros"

# elapsed: seconds since run_start, one decimal.
elapsed() {
	awk -v a="$run_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# run_case NAME START OP GOAL COMMAND...: runs COMMAND over the zeros with
# --autotune from -j START and appends "NAME SECONDS COUNT" samples to
# BENCH_DIR/trace until the window ends (or, for OP ">=", $hold seconds
# after COUNT first reached GOAL).
run_case() {
	local name=$1 start=$2 op=$3 goal=$4 socket=$BENCH_DIR/control.$1 reply count
	local reached_at=
	shift 4
	run_start=$EPOCHREALTIME
	"$POOLTOP" --batch --autotune -j "$start" --control="$socket" -a "$BENCH_DIR/zeros" -- "$@" \
		> /dev/null 2> "$BENCH_DIR/stderr.$name" &
	pooltop_pid=$!
	while :; do
		now=$(elapsed)
		awk -v t="$now" -v w="$window" 'BEGIN { exit !(t >= w) }' && break
		if reply=$("$POOLTOP" ctl "$socket" status 2> /dev/null); then
			count=$(printf '%s' "$reply" | sed -n 's/.*"target": *\([0-9][0-9]*\).*/\1/p')
			if [ -n "$count" ]; then
				printf '%s\t%s\t%s\n' "$name" "$now" "$count" >> "$BENCH_DIR/trace"
				if [ "$op" = ">=" ] && [ -z "$reached_at" ] && [ "$count" -ge "$goal" ]; then
					reached_at=$now
				fi
			fi
		fi
		kill -0 "$pooltop_pid" 2> /dev/null || bench_fail "$name: pooltop ended early: $(head -c 300 "$BENCH_DIR/stderr.$name")"
		if [ -n "$reached_at" ] && awk -v t="$now" -v r="$reached_at" -v h="$hold" 'BEGIN { exit !(t >= r + h) }'; then
			break
		fi
		sleep 0.5
	done
	"$POOLTOP" ctl "$socket" quit kill > /dev/null 2>&1 || kill -TERM "$pooltop_pid" 2> /dev/null
	local deadline=$((SECONDS + 15))
	while kill -0 "$pooltop_pid" 2> /dev/null && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	kill -KILL "$pooltop_pid" 2> /dev/null
	wait "$pooltop_pid" 2> /dev/null
	pooltop_pid=
}

# converged NAME OP GOAL: the time from which every later sample meets the
# goal ("<=": stays at or below it), or the first sample that meets it
# (">="); "not reached" when none does.  Also the last count and, for ">=",
# whether it stayed at the goal to the end.
converged() {
	awk -F '\t' -v name="$1" -v op="$2" -v goal="$3" '
	$1 != name { next }
	{
		meets = (op == "<=") ? ($3 <= goal) : ($3 >= goal)
		if (meets && since == "") since = $2
		if (!meets) { if (op == "<=") since = ""; else if (since != "") left = 1 }
		last = $3
	}
	END {
		if (since == "") since = "not reached"
		printf "%s\t%s\t%s\n", since, last, (left ? "no" : "yes")
	}' "$BENCH_DIR/trace"
}

: > "$BENCH_DIR/trace"
cpu_goal=$((cores + 1))
echo "cpu:     busy_job 600 ms of CPU per item, from -j 8 ..."
run_case cpu 8 "<=" "$cpu_goal" "$BUSY_JOB" 600
echo "sleep:   sleep 0.3 per item, from -j 1 ..."
run_case sleep 1 ">=" 16 sleep 0.3
echo

IFS=$'\t' read -r cpu_time cpu_last _ <<< "$(converged cpu "<=" "$cpu_goal")"
IFS=$'\t' read -r sleep_time sleep_last sleep_stayed <<< "$(converged sleep ">=" 16)"

ratio_to() {            # ratio_to SECONDS TARGET: SECONDS / TARGET, or "-"
	case $1 in
	"not reached") echo "-" ;;
	*) bench_ratio "$1" "$2" ;;
	esac
}

bench_results autotune workload start goal seconds target_seconds last_count
{
	printf 'workload\tstart\tgoal\treached after (s)\ttarget (s)\tx target\tcount at end\n'
	printf 'CPU-bound, 0.6 s jobs\t-j 8\t<= %s workers, stays\t%s\t40\t%s\t%s\n' \
		"$cpu_goal" "$cpu_time" "$(ratio_to "$cpu_time" 40)" "$cpu_last"
	printf 'sleep-bound, 0.3 s jobs\t-j 1\t>= 16 workers\t%s\t20\t%s\t%s\n' \
		"$sleep_time" "$(ratio_to "$sleep_time" 20)" "$sleep_last"
} | bench_table
bench_record cpu 8 "$cpu_goal" "${cpu_time// /_}" 40 "$cpu_last"
bench_record sleep 1 16 "${sleep_time// /_}" 20 "$sleep_last"
[ "$sleep_time" != "not reached" ] && [ "$sleep_stayed" = no ] &&
	echo "(the sleep-bound count fell below 16 again after reaching it)"

# The counts over time, for the chart.
bench_results autotune_trace workload seconds workers
cat "$BENCH_DIR/trace" >> "$bench_results_file"
echo

echo "targets:"
bench_target "CPU-bound: seconds to <= cores + 1 ($cpu_goal) and staying" "$cpu_time" "<" 40
bench_target "sleep-bound: seconds to >= 16 workers" "$sleep_time" "<" 20
bench_finish

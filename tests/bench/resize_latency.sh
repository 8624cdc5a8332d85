#!/bin/bash
# resize_latency.sh - how fast a resize shows: from SIGUSR1, and from
# connecting to the control socket to send `jobs +1`, until the new job
# runs its first instruction, next to the anchor: a bare posix_spawn of the
# same job, with nothing in between.  Median, 90th percentile and worst of
# BENCH_RESIZE_ROUNDS rounds (default 100) each, the three paths in turn.
# Between rounds the new job is killed again (--shrink=kill), so the pool
# always grows from one.

. "$(dirname "$0")/bench_lib.sh"

rounds=${BENCH_RESIZE_ROUNDS:-100}
probe=$BENCH_BINDIR/resize_probe
bench_need "$POOLTOP" "$probe"

bench_machine
echo "rounds:  $rounds per path, in turn; the job is a C program that notes the monotonic clock as it starts"
echo

"$probe" measure "$POOLTOP" "$rounds" > "$BENCH_DIR/figures" || bench_fail "resize_probe failed"

# "result NAME MEDIAN P90 WORST", in milliseconds.
figure() {             # figure NAME FIELD (2 median, 3 p90, 4 worst)
	awk -v name="$1" -v field="$2" '$1 == "result" && $2 == name { print $(field + 1) }' "$BENCH_DIR/figures"
}
spawn_median=$(figure spawn 2)
[ -n "$spawn_median" ] || bench_fail "resize_probe printed no figures"

bench_results resize_latency path median_ms p90_ms worst_ms x_spawn_median
{
	printf 'request -> new job running\tmedian ms\tp90 ms\tworst ms\tmedian x bare spawn\n'
	for path in signal socket spawn; do
		case $path in
		signal) label="SIGUSR1" ;;
		socket) label="jobs +1, from connecting" ;;
		spawn) label="bare posix_spawn (anchor)" ;;
		esac
		ratio=$(bench_ratio "$(figure "$path" 2)" "$spawn_median")
		printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(figure "$path" 2)" "$(figure "$path" 3)" \
			"$(figure "$path" 4)" "$ratio"
		bench_record "$path" "$(figure "$path" 2)" "$(figure "$path" 3)" "$(figure "$path" 4)" "$ratio"
	done
} | bench_table
echo

echo "targets:"
bench_target "SIGUSR1 -> job running, median (ms)" "$(figure signal 2)" "<" 10
bench_target "jobs +1 -> job running, median (ms)" "$(figure socket 2)" "<" 10
bench_finish

#!/bin/bash
# resize_latency.sh - how fast a resize shows: from SIGUSR1, and from
# connecting to the control socket to send `jobs +1`, until the new job
# runs its first instruction; median, 90th percentile and worst of
# BENCH_RESIZE_ROUNDS rounds (default 100) each.  Between rounds the new
# job is killed again (--shrink=kill), so the pool always grows from one.

. "$(dirname "$0")/bench_lib.sh"

rounds=${BENCH_RESIZE_ROUNDS:-100}
probe=$BENCH_BINDIR/resize_probe
bench_need "$POOLTOP" "$probe"

bench_machine
echo "rounds:  $rounds per path; the job is a C program that notes the monotonic clock as it starts"
echo

"$probe" measure "$POOLTOP" "$rounds" > "$BENCH_DIR/figures" || bench_fail "resize_probe failed"
grep -v '^result ' "$BENCH_DIR/figures"
echo

signal_median=$(awk '$1 == "result" && $2 == "signal" { print $3 }' "$BENCH_DIR/figures")
socket_median=$(awk '$1 == "result" && $2 == "socket" { print $3 }' "$BENCH_DIR/figures")
bench_target "SIGUSR1 -> job running, median (ms)" "$signal_median" "<" 10
bench_target "jobs +1 -> job running, median (ms)" "$socket_median" "<" 10
bench_finish

#!/bin/bash
# tests/tuning/tuning_stress.sh - 2,000 short items while signals and socket
# commands resize the pool between 1 and 16 every few milliseconds, half
# of the shrinks killing jobs: every item appears exactly once in the
# output, and none fails; in command mode, in worker mode, and with items
# queued to workers under -k.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

items=2000

# Resize until the run ends: random counts through the socket (some with
# a killing shrink), and signals in between.
resizer() {
	local round=0 count
	while kill -0 "$pool_pid" 2> /dev/null; do
		round=$((round + 1))
		count=$((RANDOM % 16 + 1))
		case $((round % 4)) in
		0) "$POOLTOP" ctl "$SOCK" jobs "$count" ;;
		1) "$POOLTOP" ctl "$SOCK" "jobs -$((RANDOM % 8 + 1))!" ;;
		2) kill -USR1 "$pool_pid"; kill -USR1 "$pool_pid" ;;
		3) kill -USR2 "$pool_pid"; "$POOLTOP" ctl "$SOCK" "jobs +$((RANDOM % 6))" ;;
		esac
		sleep 0.00$((RANDOM % 5 + 1))
	done > /dev/null 2>&1
	echo "$round" > "$TEST_DIR/rounds"
}

signaller() {          # a second source of signals, faster than the socket
	while kill -0 "$pool_pid" 2> /dev/null; do
		kill -USR$((RANDOM % 2 + 1)) "$pool_pid" 2> /dev/null
		sleep 0.002
	done
}

# stress WHAT ARG...: run pooltop ARG... over the items under resizing,
# then check its output.
stress() {
	local what=$1
	shift
	rm -f "$SOCK"
	start_pool -j4 --max-jobs=16 --range=1..$items "$@" || bail_out "pooltop did not start"
	resizer &
	resizer_pid=$!
	signaller &
	signaller_pid=$!
	wait_pool 120
	wait "$resizer_pid" "$signaller_pid"
	diag "$what: the pool was resized in $(cat "$TEST_DIR/rounds" 2> /dev/null) rounds of commands"

	is "$pool_status" 0 "$what: the run succeeds, no item failed"
	is "$(wc -l < "$TEST_DIR/pool.out")" $items "$what: the output has $items lines"
	is "$(sort "$TEST_DIR/pool.out" | uniq -d | head -n 5 | tr '\n' ' ')" "" "$what: no item appears twice"
	is "$(sort -n "$TEST_DIR/pool.out" | tr '\n' ' ')" "$(seq 1 $items | tr '\n' ' ')" \
		"$what: every item appears"
	unlike "$(cat "$TEST_DIR/pool.err")" "internal|out of memory|lost" "$what: pooltop reports no trouble"
}

stress "command mode" --shell 'sleep 0.01; echo {}'
stress "worker mode" --worker -- sh -c 'while IFS= read -r line; do sleep 0.01; echo "$line"; done'
stress "worker mode, 4 in flight, -k" -k --inflight=4 --worker -- \
	sh -c 'while IFS= read -r line; do sleep 0.01; echo "$line"; done'
is "$(md5sum < "$TEST_DIR/pool.out")" "$(seq 1 $items | md5sum)" "with -k the output is in input order"

done_testing

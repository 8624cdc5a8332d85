#!/bin/bash
# tests/tuning/tuning_shrink.sh - the two ways to shrink: graceful (a retiring
# worker finishes its item) and kill (--shrink=kill or `jobs -N!`: the
# newest jobs are killed and their items go back to the head of the
# queue).  Either way no item is lost and none is completed twice.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

# Each item notes its start, holds until the file "gate" exists (30 s at
# most), then prints itself: no job ends on its own while a test looks at
# the pool, however slowly a loaded machine runs it.
item="echo {} >> '$TEST_DIR/started'; tries=0
while [ ! -e '$TEST_DIR/gate' ] && [ \$tries -lt 600 ]; do sleep 0.05; tries=\$((tries + 1)); done
echo {}"

each_once() {          # each_once FILE COUNT: lines 1..COUNT, each once
	[ "$(sort -n "$1" | tr '\n' ' ')" = "$(seq 1 "$2" | tr '\n' ' ')" ]
}

started_count() {
	wc -l < "$TEST_DIR/started"
}

started_count_is() {
	[ "$(started_count)" -eq "$1" ]
}

# new_round: a fresh record of starts and a closed gate.
new_round() {
	rm -f "$SOCK" "$TEST_DIR/gate"
	: > "$TEST_DIR/started"
}

# wait_started COUNT: every running job has noted its start, so a kill
# cannot land before an item's first start is on record.
wait_started() {
	wait_for 10 started_count_is "$1" ||
		diag "  $(started_count) items noted their start, expected $1"
}

open_gate() {
	touch "$TEST_DIR/gate"
}

# --- graceful ---------------------------------------------------------------

new_round
start_pool -j6 --range=1..12 --shell "$item" || bail_out "pooltop did not start"
wait_field 10 running 6 "six jobs run"
wait_started 6
ctl jobs 2
is "$reply" "ok jobs 2" "a graceful shrink to two is accepted"
is "$(field running)" 6 "the retiring workers' jobs go on running"
open_gate
wait_pool 60
is "$pool_status" 0 "every item succeeds"
ok 'each_once "$TEST_DIR/pool.out" 12' "each of the 12 items is completed once"
is "$(started_count)" 12 "and none was started twice"

# --- --shrink=kill ------------------------------------------------------------

new_round
start_pool -j6 --shrink=kill --joblog "$TEST_DIR/joblog" --range=1..12 --shell "$item" ||
	bail_out "pooltop did not start"
wait_field 10 running 6 "with --shrink=kill, six jobs run"
wait_started 6
ctl jobs 2
is "$reply" "ok jobs 2" "a shrink to two is accepted"
wait_field 5 running 2 "four jobs are killed at once"
open_gate
wait_pool 60
is "$pool_status" 0 "every item still succeeds: killed items are not failures"
ok 'each_once "$TEST_DIR/pool.out" 12' "each of the 12 items is completed once"
is "$(started_count)" 16 "the four killed items were started again"
killed_again=$(sort -n "$TEST_DIR/started" | uniq -d | tr '\n' ' ')
# The killed items were the newest: items 3..6 (1 and 2 went on), and
# they went back to the head of the queue, before items 7 and on.
is "$killed_again" "3 4 5 6 " "the newest four items were the ones killed"
# The order pooltop started them in is the joblog's Starttime (the order
# their shells noted it in is the scheduler's).
restarts_first() {
	awk -F '\t' 'NR > 1 && $1 >= 3 && $1 <= 6 && $3 > last_restart { last_restart = $3 }
		NR > 1 && $1 >= 7 && (first_new == "" || $3 < first_new) { first_new = $3 }
		END { exit !(last_restart != "" && first_new != "" && last_restart <= first_new) }' "$TEST_DIR/joblog"
}
ok restarts_first "and ran again before any new item" || diag "$(cat "$TEST_DIR/joblog")"

# --- jobs -N! ---------------------------------------------------------------

new_round
start_pool -j5 --range=1..10 --shell "$item" || bail_out "pooltop did not start"
wait_field 10 running 5 "five jobs run (graceful by default)"
wait_started 5
ctl 'jobs -3!'
is "$reply" "ok jobs 2" "jobs -3! shrinks by three, killing"
wait_field 5 running 2 "three jobs are killed at once"
open_gate
wait_pool 60
is "$pool_status" 0 "every item succeeds"
ok 'each_once "$TEST_DIR/pool.out" 10' "each of the 10 items is completed once"
is "$(started_count)" 13 "the three killed items were started again"

done_testing

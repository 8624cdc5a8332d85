#!/bin/bash
# tests/tuning/tuning_autotune.sh - --autotune finds the worker count with the
# best throughput: a sleep-bound workload climbs toward MAX, a workload
# held by two slots settles at two to four workers, and a CPU-bound one
# at two to four on two idle cores.  A manual change turns it off.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

require_command flock

# sample_targets SECONDS: the target every quarter second for SECONDS,
# one per line in $TEST_DIR/targets.
sample_targets() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	: > "$TEST_DIR/targets"
	while [ "$(now_ms)" -lt "$deadline" ]; do
		field target >> "$TEST_DIR/targets"
		sleep 0.25
	done
}

# settled_target: the count held most of the time in the samples.
settled_target() {
	grep . "$TEST_DIR/targets" | sort -n | uniq -c | sort -rn | awk 'NR == 1 { print $2 }'
}

steps_taken() {
	grep -c "autotune: jobs" "$TEST_DIR/pool.err"
}

show_steps() {
	diag "targets held: $(sort -n "$TEST_DIR/targets" | uniq -c | awk '{ printf "%s x%s, ", $2, $1 }')" \
		"steps: $(grep -o 'autotune: jobs [^)]*' "$TEST_DIR/pool.err" | cut -d ' ' -f 3- | tr '\n' ';')"
}

# settle SCRIPT: a fresh pool autotuned over 1..16 workers runs the shell
# SCRIPT per item for 34 s; $settled is the count it held most in the
# last 15 s of them.
settle() {
	rm -f "$SOCK"
	start_pool --progress --refresh=1 --autotune=1..16 -j1 --range=1..100000 --shell "$1" ||
		bail_out "pooltop did not start"
	sample_targets 34
	show_steps
	tail -n 60 "$TEST_DIR/targets" > "$TEST_DIR/targets.end" && mv "$TEST_DIR/targets.end" "$TEST_DIR/targets"
	settled=$(settled_target)
}

# --- sleep-bound: more workers always pay -----------------------------------

start_pool --progress --refresh=0.5 --autotune=1..16 -j1 --range=1..100000 --shell 'sleep 0.1; : {}' ||
	bail_out "pooltop did not start"
is "$(field autotune)" true "--autotune shows in the status"
wait_for 30 field_at_least target 12
ok $? "a sleep-bound workload climbs from 1 to at least 12 of 16 workers within 30 s"
ok '[ "$(steps_taken)" -ge 2 ]' "each step shows on the --progress line"

ctl jobs 3
is "$reply" "ok jobs 3" "a manual change is taken"
is "$(field autotune)" false "and turns autotune off"
sample_targets 3
is "$(sort -u "$TEST_DIR/targets" | tr '\n' ' ')" "3 " "the count then stays where it was put"
ctl autotune on
is "$(field autotune)" true "autotune on turns it back on"
# Autotune rightly holds while the CPUs are saturated, and make -j2 check
# may run a CPU-heavy test beside this one: the bound leaves it room to pass.
wait_for 90 field_at_least target 8
ok $? "and it climbs again"
stop_pool

# --- two slots: a resource only two jobs can use at once ----------------------

# Each item holds one of two locks for 0.2 s, as a job holds a core; a
# third job only waits.  Sleeping, not computing, so the load of other
# processes on the machine does not blur the answer.
# Between one item and the next a slot's lock idles while a process starts,
# longer on a loaded machine, so a third or fourth worker waiting at the
# lock can genuinely pay a little: 2 to 4, never the 16 it may use.
two_slots="until flock -n '$TEST_DIR/slot1' sleep 0.2 || flock -n '$TEST_DIR/slot2' sleep 0.2; do sleep 0.01; done; : {}"
settle "$two_slots"
ok '[ "$settled" -ge 2 ] && [ "$settled" -le 4 ]' \
	"a workload two slots can serve settles at 2 to 4 workers (held $settled in the last 15 s)"
stop_pool

# CPU-bound work, on a machine busy or not, is tuning_autotune_machine.sh's:
# the pool's CPU and the cores tell autotune when more workers cannot help.

done_testing

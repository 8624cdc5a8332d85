#!/bin/bash
# tests/tuning/tuning_autotune_machine.sh - autotune listens to the machine:
# jobs that compute, started with far more workers than cores, are brought
# down for the CPU, and each step says why on the --progress line and in
# the debug log; jobs that sleep, started with one worker, grow fast.  The
# bounds are generous, for a loaded machine: how fast it converges is
# measured in `make bench`, not here.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

cores=$(getconf _NPROCESSORS_ONLN)

show_steps() {
	diag "steps: $(grep -o 'autotune: jobs [^)]*' "$TEST_DIR/pool.err" | cut -d ' ' -f 3- | tr '\n' ';')"
}

# --- computing: four workers per core ------------------------------------

start=$((cores * 4))
most=$((cores * 2))
start_pool --progress --refresh=1 --autotune -j "$start" --log="$TEST_DIR/compute.log" --range=1..1000000 \
	--shell 'i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done; : {}' || bail_out "pooltop did not start"
wait_for 90 field_at_most target "$most"
ok $? "jobs that compute, started at $start workers on $cores cores, come down to at most $most within 90 s" ||
	diag "target $(field target)"
# The --progress line shows the step at the next refresh.
wait_for 5 grep -q "autotune: jobs" "$TEST_DIR/pool.err"
show_steps
like "$(grep -m 1 "autotune: jobs" "$TEST_DIR/pool.err")" "autotune: jobs $start -> [0-9]+, cpu: pool CPU" \
	"the first step says it was for the CPU, on the --progress line"
like "$(cat "$TEST_DIR/compute.log")" "autotune: .* cpu: .*next [0-9]" "and in the debug log"
stop_pool

# --- sleeping: more workers pay ---------------------------------------------

start_pool --progress --refresh=1 --autotune -j 1 --log="$TEST_DIR/sleep.log" --range=1..1000000 \
	--shell 'sleep 0.3; : {}' || bail_out "pooltop did not start"
wait_for 60 field_at_least target 8
ok $? "jobs that sleep, started at one worker, reach at least 8 within 60 s" || diag "target $(field target)"
show_steps
like "$(grep -m 1 "autotune: jobs" "$TEST_DIR/pool.err")" "autotune: jobs 1 -> 2, throughput: " \
	"the first step says it was for throughput, on the --progress line"
unlike "$(cat "$TEST_DIR/pool.err")" "autotune: jobs [0-9]+ -> [0-9]+, cpu" "no step blames the CPU"
stop_pool

done_testing

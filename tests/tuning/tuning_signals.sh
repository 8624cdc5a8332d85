#!/bin/bash
# tests/tuning/tuning_signals.sh - SIGUSR1 adds a worker and SIGUSR2 retires
# one, as in GNU xargs, through the same resize as every other path; the
# bounds hold.  The kernel keeps one pending signal of a kind, so each
# signal's effect is awaited before the next is sent.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

# Items that last long enough for the counts to be seen.
slow_item='sleep 3; echo {}'

start_pool -j1 --range=1..1000 --shell "$slow_item" || bail_out "pooltop did not start"
wait_field 10 running 1 "with -j1 one job runs"

kill -USR1 "$pool_pid"
wait_field 10 target 2 "SIGUSR1 asks for one worker more"
kill -USR1 "$pool_pid"
wait_field 10 target 3 "a second SIGUSR1 asks for three"
wait_field 10 running 3 "and three jobs run at once"

kill -USR2 "$pool_pid"
wait_field 10 target 2 "SIGUSR2 asks for one worker fewer"
wait_field 15 running 2 "the retired worker finishes its item, then two jobs run"

kill -USR2 "$pool_pid"
wait_field 10 target 1 "another SIGUSR2 leaves one worker"
clamp_messages() {
	grep -c "ok jobs $1 (clamped to $2)" "$TEST_DIR/pool.err"
}
kill -USR2 "$pool_pid"
wait_for 10 eval '[ "$(clamp_messages 1 "1\.\.[0-9]*")" = 1 ]'
ok $? "SIGUSR2 at one worker is reported as clamped"
is "$(field target)" 1 "and never goes below one worker"
stop_pool
is "$(field target)" "" "quit ends the run"

# Bounds: the signals cannot leave --min-jobs..--max-jobs.
rm -f "$SOCK"
start_pool -j2 --min-jobs=2 --max-jobs=3 --range=1..1000 --shell "$slow_item" ||
	bail_out "pooltop did not start"
kill -USR2 "$pool_pid"
wait_for 10 eval '[ "$(clamp_messages 2 "2\.\.3")" = 1 ]'
ok $? "SIGUSR2 at --min-jobs is clamped"
kill -USR1 "$pool_pid"
wait_field 10 target 3 "SIGUSR1 goes up to --max-jobs"
kill -USR1 "$pool_pid"
wait_for 10 eval '[ "$(clamp_messages 3 "2\.\.3")" = 1 ]'
ok $? "and is clamped there"
wait_field 10 running 3 "three jobs run at the bound"
stop_pool

# Without a control socket, the --progress line shows the new count.
"$POOLTOP" --batch --progress --refresh=0.1 -j1 --range=1..1000 --shell "$slow_item" \
	< /dev/null > /dev/null 2> "$TEST_DIR/progress.err" &
plain_pid=$!
at_exit "kill -9 $plain_pid"
progress_shows() {
	tail -n 3 "$TEST_DIR/progress.err" | grep -q "$1"
}
wait_for 10 progress_shows "1/1 running"
ok $? "batch mode with --progress starts with one job"
kill -USR1 "$plain_pid"
wait_for 10 progress_shows "2/2 running"
ok $? "SIGUSR1 shows as 2/2 running"
kill -USR1 "$plain_pid"
wait_for 10 progress_shows "3/3 running"
ok $? "another shows as 3/3 running"
kill -TERM "$plain_pid"
kill -TERM "$plain_pid"
wait_exit "$plain_pid" 20
ok $? "two SIGTERM end the run"
is "$status" 143 "and the exit status says SIGTERM"

done_testing

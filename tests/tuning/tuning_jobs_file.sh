#!/bin/bash
# tests/tuning/tuning_jobs_file.sh - --jobs-file follows GNU parallel's
# procfile: the count in the file is the initial count and the pool
# follows each change; a bad value is told once and ignored.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

jobs_file=$TEST_DIR/jobs
cpus=$(getconf _NPROCESSORS_ONLN)

# set_jobs TEXT: replace the file as a careful writer does (a rename).
set_jobs() {
	printf '%s\n' "$1" > "$jobs_file.new" && mv "$jobs_file.new" "$jobs_file"
}

messages_about() {
	grep -c "$1" "$TEST_DIR/pool.err"
}

set_jobs 2
start_pool --jobs-file="$jobs_file" -j1 --max-jobs=12 --range=1..100000 --shell 'sleep 0.3; echo {}' ||
	bail_out "pooltop did not start"
wait_field 5 target 2 "the file's count is the initial count (over -j)"
wait_field 10 running 2 "two jobs run"

set_jobs 5
wait_field 10 target 5 "writing 5 makes five workers"
wait_field 10 running 5 "five jobs run"

echo 3 > "$jobs_file"
wait_field 10 target 3 "a file rewritten in place is followed too"

set_jobs +1
wait_field 10 target $((cpus + 1)) "+1 is one more than the $cpus CPUs"
set_jobs -1
wait_field 10 target $((cpus > 1 ? cpus - 1 : 1)) "-1 is one fewer than the CPUs (at least one)"
set_jobs 300%
wait_field 10 target $((cpus * 3 > 12 ? 12 : cpus * 3)) "300% is three per CPU"

set_jobs 40
wait_field 10 target 12 "a count over --max-jobs is clamped"
wait_for 10 eval '[ "$(messages_about "asks for 40 workers: ok jobs 12 (clamped to 1..12)")" = 1 ]'
ok $? "and the clamp is reported"

set_jobs 0
wait_field 10 target 12 "0 asks for as many as --max-jobs allows"

set_jobs lots
wait_for 10 eval '[ "$(messages_about "holds .lots., not a worker count")" = 1 ]'
ok $? "a bad value is reported"
is "$(field target)" 12 "and ignored"
set_jobs lots
# Absence can only be checked over a while: two of the file's checks.
! wait_for 2.5 eval '[ "$(messages_about "holds .lots.")" -gt 1 ]'
ok $? "the same bad value written again is not reported again"
set_jobs 'many many'
wait_for 10 eval '[ "$(messages_about "holds .many many.")" = 1 ]'
ok $? "another bad value is reported once"

set_jobs 4
wait_field 10 target 4 "a good value after bad ones is followed"

rm "$jobs_file"
wait_for 10 eval '[ "$(messages_about "cannot read the jobs file")" = 1 ]'
ok $? "a file that disappears is reported"
is "$(field target)" 4 "and the count stays"
set_jobs 2
wait_field 10 target 2 "when it comes back, it is followed again"

ctl autotune on
set_jobs 3
wait_field 10 target 3 "a change of the file is a manual change"
is "$(field autotune)" false "which turns autotune off"
stop_pool

# A file missing at the start: -j holds, the file is followed once it exists.
rm -f "$jobs_file"
start_pool --jobs-file="$jobs_file" -j3 --range=1..100000 --shell 'sleep 0.3' ||
	bail_out "pooltop did not start"
like "$(cat "$TEST_DIR/pool.err")" "cannot read the jobs file" "a missing jobs file is reported at the start"
is "$(field target)" 3 "and -j holds"
set_jobs 1
wait_field 10 target 1 "the file is followed once it exists"
stop_pool

done_testing

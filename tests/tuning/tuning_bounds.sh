#!/bin/bash
# tests/tuning/tuning_bounds.sh - --min-jobs and --max-jobs bound every
# resize and the reply says when a request was clamped; --max-jobs never
# goes above what RLIMIT_NPROC leaves room for; --autotune starts in its
# range.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

slow_item='sleep 2; : {}'

start_pool -j1 --min-jobs=2 --max-jobs=5 --range=1..1000 --shell "$slow_item" ||
	bail_out "pooltop did not start"
is "$(field target)" 2 "-j1 below --min-jobs=2 starts two workers"
ctl jobs 9
is "$reply" "ok jobs 5 (clamped to 2..5)" "jobs 9 is clamped to --max-jobs and says so"
ctl jobs -10
is "$reply" "ok jobs 2 (clamped to 2..5)" "jobs -10 is clamped to --min-jobs and says so"
ctl jobs 4
is "$reply" "ok jobs 4" "a count inside the bounds is not clamped"
stop_pool

run "$POOLTOP" --batch --min-jobs=5 --max-jobs=3 --range=1..3 echo
is "$status" 255 "--min-jobs above --max-jobs is a usage error"

# --autotune=MIN..MAX: the search starts inside its range and stays there.
rm -f "$SOCK"
start_pool --autotune=3..4 -j1 --range=1..100000 --shell 'sleep 0.05; : {}' ||
	bail_out "pooltop did not start"
is "$(field target)" 3 "--autotune=3..4 with -j1 starts at 3"
ctl jobs 20
is "$reply" "ok jobs 20" "the range of autotune does not bound manual changes"
stop_pool

# RLIMIT_NPROC: with room for about four more processes of this user,
# --max-jobs comes down from 1024 to about that.
user_threads=$(ps -L -u "$(id -u)" --no-headers | wc -l)
rm -f "$SOCK"
(
	ulimit -S -u $((user_threads + 4)) || exit 99
	exec "$POOLTOP" --batch --control="$SOCK" -j50 --range=1..1000 --shell "$slow_item"
) < /dev/null > "$TEST_DIR/pool.out" 2> "$TEST_DIR/pool.err" &
pool_pid=$!
at_exit "kill -9 $pool_pid"
if wait_for 15 _socket_answers; then
	like "$(cat "$TEST_DIR/pool.err")" "only [0-9]+ workers fit in the process limit" \
		"-j50 above what the process limit allows is reported"
	ctl jobs 500
	like "$reply" '^ok jobs [0-9]+ \(clamped to 1\.\.[0-9]+\)$' "a large count is clamped"
	limit=$(sed -n 's/.*clamped to 1\.\.\([0-9]*\)).*/\1/p' <<< "$reply")
	ok '[ "${limit:-9999}" -le 20 ]' "to about the room RLIMIT_NPROC leaves (here $limit)"
	stop_pool
else
	wait "$pool_pid"
	skip "could not lower RLIMIT_NPROC here" 3
fi

done_testing

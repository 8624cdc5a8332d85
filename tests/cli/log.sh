#!/bin/bash
# tests/cli/log.sh - the debug log: --log=FILE or POOLTOP_LOG=FILE appends
# timestamped lines about the run's decisions (the option wins); a log that
# cannot be opened stops pooltop before anything runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# Every line starts with seconds since the log was opened, six decimals.
timestamp='^[0-9]+\.[0-9]{6} '

# lines_without_timestamp LOG: the lines of LOG that lack one.
lines_without_timestamp() {
	grep -c -v -E "$timestamp" "$1"
}

# --- --log=FILE ----------------------------------------------------------------

run "$POOLTOP" --batch -j 2 -k --log=run.log echo ::: a b c
is "$status" 0 "a run with --log succeeds"
is "$output" $'a\nb\nc' "the log changes nothing on stdout"
is "$errors" "" "nor on stderr"
ok '[ -s run.log ]' "--log=FILE creates the log"
is "$(lines_without_timestamp run.log)" 0 "every line starts with a timestamp (seconds, six decimals)"
like "$(cat run.log)" "run ends: 3 done, 0 failed" "the end of the run is logged with its counts"
is "$(tail -n 1 run.log | sed -E "s/$timestamp//")" "exit status 0" "the last line is the exit status"
first=$(head -n 1 run.log | cut -d ' ' -f 1)
last=$(tail -n 1 run.log | cut -d ' ' -f 1)
ok "awk 'BEGIN { exit !($first <= $last) }'" "the timestamps do not go back ($first, then $last)"

run "$POOLTOP" --batch --log=run.log false ::: 1 2
is "$status" 2 "two failing items exit with status 2"
is "$(grep -c 'log opened' run.log)" 2 "a second run appends to the log"
is "$(tail -n 1 run.log | sed -E "s/$timestamp//")" "exit status 2" "and logs its own exit status"

# --- POOLTOP_LOG ---------------------------------------------------------------

run env POOLTOP_LOG=env.log "$POOLTOP" --batch echo ::: x
is "$status" 0 "a run with POOLTOP_LOG succeeds"
ok '[ -s env.log ]' "POOLTOP_LOG=FILE creates the log"
is "$(lines_without_timestamp env.log)" 0 "its lines are timestamped too"
like "$(cat env.log)" "exit status 0" "and record the exit status"

run env POOLTOP_LOG=ignored.log "$POOLTOP" --batch --log=option.log echo ::: x
ok '[ -s option.log ] && [ ! -e ignored.log ]' "--log wins over POOLTOP_LOG"

run env POOLTOP_LOG= "$POOLTOP" --batch echo ::: x
is "$status" 0 "an empty POOLTOP_LOG means no log"

# --- a log that cannot be opened -----------------------------------------------

run "$POOLTOP" --batch --log=missing/dir/run.log touch ::: ran
is "$status" 255 "a log that cannot be opened exits with status 255"
like "$errors" "^pooltop: cannot open the log 'missing/dir/run.log': No such file or directory$" \
	"and says why, on one line"
ok '[ ! -e ran ]' "no job runs"

run env POOLTOP_LOG=missing/dir/env.log "$POOLTOP" --batch touch ::: ran
is "$status" 255 "the same for POOLTOP_LOG"
like "$errors" "^pooltop: cannot open the log 'missing/dir/env.log'" "with the same message"
ok '[ ! -e ran ]' "and no job runs"

run "$POOLTOP" --batch --log= echo ::: x
is "$status" 255 "--log= with no file name is a usage error"

# --- decisions main.c makes ------------------------------------------------------

# A worker asked for by SIGUSR1 is logged with the engine's answer.
"$POOLTOP" --batch -j 1 --log=signal.log sh -c 'sleep 0.3' ::: 1 2 3 4 5 6 < /dev/null > /dev/null 2>&1 &
pool_pid=$!
wait_for 5 grep -qs 'run starts' signal.log
kill -USR1 "$pool_pid"
wait_exit "$pool_pid" 30
is "$status" 0 "a run resized by SIGUSR1 succeeds"
like "$(cat signal.log)" "SIGUSR1 asks for 'jobs \+1'" "the resize request of SIGUSR1 is logged"

done_testing

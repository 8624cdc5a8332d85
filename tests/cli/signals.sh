#!/bin/bash
# tests/cli/signals.sh - stopping a run: the first SIGTERM/SIGINT/SIGHUP
# lets running jobs finish (and their output appear) and starts nothing
# new; a second one kills them; the exit status says which signal it was
# (128 + its number, as a shell reports a program the signal killed).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

make_hold_job hold.sh

# start_pool ARG...: pooltop in the background on a fresh directory state,
# its pid in $pool_pid, output in pool.out / pool.err.  A script's
# background job starts with SIGINT ignored, and pooltop keeps a signal
# ignored as it found it: give SIGINT its default action, as a terminal's
# foreground job has it.
start_pool() {
	rm -f go started.* pid.* pool.out pool.err
	env --default-signal=INT "$POOLTOP" --batch "$@" < /dev/null > pool.out 2> pool.err &
	pool_pid=$!
}

both_started() {
	[ -e started.a ] && [ -e started.b ]
}

stopping_said() {
	grep -q 'stopping' pool.err
}

# pids_gone FILE...: none of the pids written in FILEs still runs.
pids_gone() {
	local file
	for file in "$@"; do
		kill -0 "$(cat "$file")" 2> /dev/null && return 1
	done
	return 0
}

# --- the first signal lets running jobs finish --------------------------------

for signal in TERM INT HUP; do
	case $signal in
	INT) expected=130 ;;
	HUP) expected=129 ;;
	*) expected=143 ;;
	esac
	start_pool -j 2 ./hold.sh ::: a b c d
	wait_for 20 both_started
	ok $? "SIG$signal: two jobs are running"
	kill -s "$signal" "$pool_pid"
	wait_for 20 stopping_said
	ok $? "SIG$signal: pooltop says it is stopping and lets the jobs finish"
	touch go
	wait_exit "$pool_pid" 20
	is "$status" "$expected" "SIG$signal: pooltop exits with status $expected once they have"
	is "$(sort pool.out | tr '\n' ' ')" "finished a finished b " \
		"SIG$signal: the running jobs' output, written after the signal, appears"
	ok '[ ! -e started.c ] && [ ! -e started.d ]' "SIG$signal: no further item was started"
done

# --- the second signal kills them ---------------------------------------------

cat > sleeper.sh << 'EOF'
#!/bin/sh
echo $$ > "pid.$1"
touch "started.$1"
sleep 60
echo "should not be seen"
EOF
chmod +x sleeper.sh

start_pool -j 2 --joblog=killed.log ./sleeper.sh ::: a b c
wait_for 20 both_started
kill -TERM "$pool_pid"
wait_for 20 stopping_said
started=$(now_ms)
kill -TERM "$pool_pid"
wait_exit "$pool_pid" 20
elapsed=$(( $(now_ms) - started ))
is "$status" 143 "a second SIGTERM ends the run with status 143"
ok '[ "$elapsed" -lt 10000 ]' "it does not wait for the 60 s jobs ($elapsed ms)"
wait_for 10 pids_gone pid.a pid.b
ok $? "the running jobs were killed"
is "$(grep -c 'should not be seen' pool.out)" 0 "the killed jobs never reached their end"
is "$(tail -n +2 killed.log | cut -f 8 | sort -u)" 15 "the joblog records them ended by SIGTERM"
ok '[ ! -e started.c ]' "the third item never started"

start_pool -j 2 ./sleeper.sh ::: a b c
wait_for 20 both_started
kill -INT "$pool_pid"
wait_for 20 stopping_said
kill -INT "$pool_pid"
wait_exit "$pool_pid" 20
is "$status" 130 "two SIGINTs kill the jobs and exit with status 130"

# --- pooltop killed outright --------------------------------------------------

start_pool -j 2 ./sleeper.sh ::: a b
disown "$pool_pid"  # no "Killed" notice from the shell
wait_for 20 both_started
kill -KILL "$pool_pid"
wait_for 20 has_exited "$pool_pid"
wait_for 10 pids_gone pid.a pid.b
ok $? "when pooltop is killed with SIGKILL, its jobs do not outlive it"

done_testing

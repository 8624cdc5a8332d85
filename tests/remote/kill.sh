#!/bin/bash
# Remote jobs die with their run: when pooltop is told to quit, when it is
# killed with SIGKILL (its ssh processes die with it, the sessions' input
# ends, and the remote wrapper kills the job's process group), and when
# an item is killed or suspended through the control socket; and what a
# remote job leaves in its process group dies when the job's session ends.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start

# The tests' sshd is this machine, so the remote jobs can be seen here:
# `sleep 31N`, a command line pooltop's own does not hold.
remote_sleeps() { pgrep -f '^sleep 31[0-9]$' > /dev/null; }
remote_sleep_count() { pgrep -f '^sleep 31[0-9]$' | wc -l; }
no_remote_sleeps() { ! remote_sleeps; }
two_remote_sleeps() { [ "$(remote_sleep_count)" -ge 2 ]; }

start_pool() {
	"$POOLTOP" --batch --ssh "$SSH" -S 2/testhost "$@" sleep ::: 311 312 313 \
		< /dev/null > "$TEST_DIR/out" 2> "$TEST_DIR/err" &
	pool_pid=$!
	at_exit "kill -9 $pool_pid"
}

start_pool
wait_for 30 two_remote_sleeps
ok $? "two remote jobs run"
kill -9 $pool_pid
wait $pool_pid 2> /dev/null
wait_for 20 no_remote_sleeps
ok $? "pooltop killed with SIGKILL: its remote jobs are gone"

start_pool
wait_for 30 two_remote_sleeps
ok $? "two remote jobs run again"
# Two TERMs sent at once may arrive as one: the second waits for the first's word.
stopping_said() { grep -q "stopping" "$TEST_DIR/err"; }
kill -TERM $pool_pid
wait_for 30 stopping_said
kill -TERM $pool_pid
wait_for 30 has_exited $pool_pid
ok $? "two TERMs end the run"
wait $pool_pid
is "$?" 143 "...with the status of TERM"
wait_for 20 no_remote_sleeps
ok $? "...and its remote jobs are gone"

SOCK=$TEST_DIR/pool.sock
start_pool --control="$SOCK"
wait_for 30 two_remote_sleeps
ok $? "two remote jobs run under a control socket"
pid=$(pgrep -f '^sleep 311$')
"$POOLTOP" ctl "$SOCK" suspend > /dev/null 2>&1
stopped() { [ "$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2> /dev/null)" = T ]; }
wait_for 20 stopped
ok $? "suspend stops the remote job's process"
"$POOLTOP" ctl "$SOCK" continue > /dev/null 2>&1
running() { ! stopped; }
wait_for 20 running
ok $? "continue wakes it"
"$POOLTOP" ctl "$SOCK" kill 1 > /dev/null 2>&1
gone() { ! kill -0 "$pid" 2> /dev/null; }
wait_for 20 gone
ok $? "kill 1 kills the remote job of item 1"
"$POOLTOP" ctl "$SOCK" quit kill > /dev/null 2>&1
wait_for 30 has_exited $pool_pid
ok $? "the run ends"
wait_for 20 no_remote_sleeps
ok $? "...leaving no remote job"
# A job that leaves a child in its process group: the child dies when the
# job's session ends with the job, as what a local job leaves is killed by
# the guardian when pooltop ends.
left_child() { pgrep -f '^sleep 329$' > /dev/null; }
no_left_child() { ! left_child; }
run "$POOLTOP" --batch --ssh "$SSH" -S 1/testhost --shell 'sleep {} > /dev/null 2>&1 & echo started' ::: 329
is "$status" 0 "a job that leaves a child behind succeeds"
is "$output" started "and its output came back"
wait_for 20 no_left_child
ok $? "the child it left in its process group is gone"

done_testing

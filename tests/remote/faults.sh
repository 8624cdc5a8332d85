#!/bin/bash
# Faults lose nothing: a host whose server goes away mid-run has its running
# items run again on the other host (not counted as failures, and no item
# that finished runs twice); a run whose every host is down waits and says
# so (throttle "hosts down" in status) instead of failing its items.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start testhost
sshd_start testhost2

# Each job leaves a file named after the port of the server that runs it
# (the last word of sshd's SSH_CONNECTION), then takes a moment.
mkdir "$TEST_DIR/ran"
job="touch $TEST_DIR/ran/\${SSH_CONNECTION##* }.{}; sleep 0.4; echo {}"
"$POOLTOP" --batch --ssh "$SSH" -S 2/testhost,2/testhost2 --joblog="$TEST_DIR/joblog" --shell "$job" \
	::: $(seq 1 24) < /dev/null > "$TEST_DIR/out" 2> "$TEST_DIR/err" &
pool_pid=$!

ran_on_testhost2() {
	compgen -G "$TEST_DIR/ran/${sshd_port[testhost2]}.*" > /dev/null
}
wait_for 30 ran_on_testhost2
ok $? "testhost2 runs items"
sshd_stop testhost2   # its server, its master's connection and its sessions
wait_for 60 has_exited $pool_pid
ok $? "the run ends without testhost2"
wait $pool_pid
status=$?
is "$status" 0 "every item succeeded: the lost ones were not counted as failures"
is "$(sort -n "$TEST_DIR/out")" "$(seq 1 24)" "every item's output came once"
errors=$(< "$TEST_DIR/err")
like "$errors" "host testhost2 is down \(connection lost" "the drop is told, with a reason"
is "$(tail -n +2 "$TEST_DIR/joblog" | cut -f 1 | sort -n | uniq -d)" "" "no item is in the joblog twice"
is "$(tail -n +2 "$TEST_DIR/joblog" | cut -f 7 | sort -u)" "0" "every joblog line is a success"

# A server that allows fewer sessions per connection than the host's slots
# (MaxSessions 3: the master's and two more): the refused items run again,
# the host runs as many at a time as it allows, and nothing fails.
sshd_start smallhost "MaxSessions 3"
run "$POOLTOP" --batch --ssh "$SSH" -S 6/smallhost --shell 'sleep 0.2; echo {}' ::: $(seq 1 12)
is "$status" 0 "a server refusing sessions fails no item"
is "$(sort -n <<< "$output")" "$(seq 1 12)" "...every item ran once"
like "$errors" "host smallhost refused a session \(.*\): it runs [12] at a time" "...and its slots were lowered, said so"

# Every host down: the run waits, says so, and fails nothing.
SOCK=$TEST_DIR/pool.sock
"$POOLTOP" --batch --ssh "$SSH" -S nokeyhost --control="$SOCK" echo ::: 1 2 3 \
	< /dev/null > "$TEST_DIR/out2" 2> "$TEST_DIR/err2" &
pool_pid=$!
held_by_hosts() {
	[ "$("$POOLTOP" ctl "$SOCK" status 2> /dev/null | status_field throttle)" = '"hosts down"' ]
}
wait_for 30 held_by_hosts
ok $? "status says the pool is held: hosts down"
said_so() { grep -q "every host is down: the run waits" "$TEST_DIR/err2"; }
wait_for 10 said_so
ok $? "...and a message says the run waits"
ok '! has_exited $pool_pid' "the run goes on waiting"
is "$("$POOLTOP" ctl "$SOCK" status 2> /dev/null | status_field failed)" 0 "no item failed"
kill -TERM $pool_pid
wait_for 30 has_exited $pool_pid
ok $? "a signal ends the waiting run"
done_testing

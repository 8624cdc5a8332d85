#!/bin/bash
# tests/remote/remote_autotune.sh - --autotune over -S hosts tunes each
# host on its own: a host whose jobs sleep climbs, while one whose jobs
# fill its cores steps down to them, judged by the CPU its jobs used there
# (returned with each job's exit status) and the host's busy time, load and
# CPU pressure read there.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start testhost
# Jobs on testhost2 see POOLTOP_TEST_ROLE=cpu: theirs compute.
sshd_start testhost2 "SetEnv SHLVL=1 POOLTOP_TEST_ROLE=cpu"

socket=$TEST_DIR/control
# Half a second of sleep per item on testhost; on testhost2, a fixed
# amount of work for a core (about half a second of it).
job='if [ "$POOLTOP_TEST_ROLE" = cpu ]; then sh -c "i=0; while [ \$i -lt 500000 ]; do i=\$((i+1)); done";
else sleep 0.5; fi; : {}'

# host_slots LOGIN: the slots status gives the host.
host_slots() {
	status_eval "$socket" '[h["slots"] for h in status["hosts"] if h["login"] == sys.argv[1]]' "$1"
}

slots_at_least() { local n; n=$(host_slots "$1"); [ -n "$n" ] && [ "$n" -ge "$2" ]; }
slots_at_most() { local n; n=$(host_slots "$1"); [ -n "$n" ] && [ "$n" -le "$2" ]; }

"$POOLTOP" --batch --progress --control "$socket" --ssh "$SSH" -S 4/testhost -S 4/testhost2 \
	--autotune=1..12 --range=1..100000 --shell "$job" < /dev/null > /dev/null 2> "$TEST_DIR/err" &
pool_pid=$!
at_exit "kill -TERM $pool_pid; kill -TERM $pool_pid"

wait_for 90 slots_at_most testhost2 3
ok $? "the host whose jobs fill its two cores steps down to at most 3 slots" ||
	diag "slots: $(host_slots testhost2); $(grep -o 'autotune: host [^)]*' "$TEST_DIR/err" | tail -n 5)"
like "$(cat "$TEST_DIR/err")" "autotune: host testhost2 jobs 4 -> [123], cpu: pool CPU" \
	"the step names the host and its reason, the CPU its jobs used there"
wait_for 90 slots_at_least testhost 7
ok $? "the host whose jobs sleep climbs to at least 7 slots" ||
	diag "slots: $(host_slots testhost); $(grep -o 'autotune: host [^)]*' "$TEST_DIR/err" | tail -n 5)"
ok 'slots_at_most testhost2 4' "meanwhile the busy host stays low"

"$POOLTOP" ctl "$socket" quit > /dev/null 2>&1
wait_exit "$pool_pid" 60
ok '[ "$status" -ne 999 ]' "the run stops when asked"

done_testing

#!/bin/bash
# tests/remote/remote_hosts.sh - hosts join and leave a run that goes on:
# `pooltop ctl SOCKET host add LOGIN`, `host drain LOGIN` and `host
# remove LOGIN`, and --slf
# read again when the file changes; every item runs once, none fails, and
# `jobs N` spreads slots over the hosts within each host's limit.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start

socket=$TEST_DIR/control
# Each item takes a second, until the checks are done and $fast exists,
# and says where it ran (sshd sets SSH_CONNECTION).  The loopback host
# sees the same files.
fast=$TEST_DIR/fast
job="[ -e $fast ] || sleep 1; echo {} \${SSH_CONNECTION:+remote}"
items=300

# workers_on HOST: how many workers status shows on HOST.
workers_on() {
	status_eval "$socket" 'sum(1 for w in status["workers"] if w.get("host") == sys.argv[1])' "$1"
}

has_workers_on() { [ "$(workers_on "$2")" = "$1" ]; }

# remote_done: items that ran on testhost so far.
remote_done() { grep -c remote "$TEST_DIR/out" 2> /dev/null || true; }
some_remote_done() { [ "$(remote_done)" -ge 2 ]; }

start_pool() {
	rm -f "$socket" "$fast"
	"$POOLTOP" --batch --control "$socket" --ssh "$SSH" "$@" --shell "$job" ::: $(seq 1 $items) \
		> "$TEST_DIR/out" 2> "$TEST_DIR/err" &
	pooltop_pid=$!
	at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
	wait_for 20 has_workers_on 1 ":" || diag "no local worker: $(cat "$TEST_DIR/err")"
}

check_run() {
	touch "$fast"
	wait_exit "$pooltop_pid" 120
	is "$status" 0 "$1: the run succeeds" || diag "$(cat "$TEST_DIR/err")"
	is "$(cut -d ' ' -f 1 "$TEST_DIR/out" | sort -n)" "$(seq 1 $items)" "$1: every item ran once"
}

# --- host add / host drain through the control socket -------------------------

start_pool -S 1/:
reply=$("$POOLTOP" ctl "$socket" host add 1/testhost)
is "$reply" "ok host testhost added" "host add 1/testhost: a host joins the running pool"
wait_for 60 has_workers_on 1 testhost
ok $? "status shows a worker on testhost" || diag "$("$POOLTOP" ctl "$socket" status)"
wait_for 60 some_remote_done
ok $? "items run there" || diag "$(cat "$TEST_DIR/err")"
like "$("$POOLTOP" ctl "$socket" host add testhost)" "^ok host testhost is in the pool already" \
	"adding it twice keeps it once"

reply=$("$POOLTOP" ctl "$socket" host drain testhost)
like "$reply" "^ok host testhost drained" "host drain testhost: no new items there"
wait_for 30 has_workers_on 0 testhost
ok $? "once its running item finished, no worker is on testhost"
drained_at=$(remote_done) lines_at=$(wc -l < "$TEST_DIR/out")
five_more_done() { [ "$(wc -l < "$TEST_DIR/out")" -ge $((lines_at + 5)) ]; }
wait_for 60 five_more_done
is "$(remote_done)" "$drained_at" "the next five items ran here, none on the drained host"
like "$("$POOLTOP" ctl "$socket" host drain nowhere)" "^error no host nowhere in the pool" \
	"draining an unknown host is an error"
like "$("$POOLTOP" ctl "$socket" host forget testhost)" "^error host wants add, drain or remove" \
	"host wants add, drain or remove"
check_run "add and drain"

# --- host add N/LOGIN for a host in the pool, host remove ----------------------

# host_field LOGIN FIELD: FIELD of LOGIN in the hosts array of status.
host_field() {
	status_eval "$socket" '[h[sys.argv[2]] for h in status["hosts"] if h["login"] == sys.argv[1]]' "$1" "$2"
}

host_field_is() { [ "$(host_field "$1" "$2")" = "$3" ]; }

start_pool -S 1/: -S 2/testhost
wait_for 60 has_workers_on 2 testhost
ok $? "two workers run on testhost" || diag "$(cat "$TEST_DIR/err")"
is "$(host_field testhost slots)" 2 "status lists the host with its slots"
is "$(host_field testhost state)" up "and its state"
is "$("$POOLTOP" ctl "$socket" host add 4/testhost)" "ok host testhost takes 4 slots" \
	"host add 4/testhost sets the slots of a host in the pool"
wait_for 60 has_workers_on 4 testhost
ok $? "four workers then run on testhost" || diag "$("$POOLTOP" ctl "$socket" status)"
like "$("$POOLTOP" ctl "$socket" host remove testhost)" \
	"^ok host testhost removed: [0-9]+ running items run again elsewhere" \
	"host remove testhost: its running items are killed and requeued"
wait_for 30 has_workers_on 0 testhost
ok $? "no worker is left on testhost"
is "$(host_field testhost state)" removed "status says the host was removed"
like "$("$POOLTOP" ctl "$socket" host remove :)" "^error host : is the last host of the run" \
	"the last host cannot be removed"
check_run "remove"

# --- --slf: the login file, read again when it changes --------------------------

slf=$TEST_DIR/logins
printf '# the machines of this run\n1/:\n\n' > "$slf"
start_pool --slf "$slf"
echo "1/testhost" >> "$slf"
wait_for 60 has_workers_on 1 testhost
ok $? "a login added to the file joins the run" || diag "$(cat "$TEST_DIR/err")"
wait_for 60 some_remote_done
ok $? "items run there"
printf '1/:\n' > "$slf"
wait_for 30 has_workers_on 0 testhost
ok $? "a login taken out of the file is drained"
like "$(cat "$TEST_DIR/err")" "host testhost added" "the change is told"
check_run "--slf"

run "$POOLTOP" --batch --slf "$TEST_DIR/no-such-file" true ::: 1
is "$status" 255 "a login file that cannot be read: status 255"
like "$errors" "^pooltop: cannot read the login file" "...said in one line"

# --- jobs N spreads over the hosts within each one's limit ----------------------

start_pool -S 1/:,2/testhost
wait_for 60 has_workers_on 2 testhost
ok $? "-S 1/:,2/testhost: two slots on testhost, one here"
within_limits() { [ "$(workers_on testhost)" -le 2 ] && [ "$(workers_on ":")" -le 1 ]; }
"$POOLTOP" ctl "$socket" jobs 10 > /dev/null
ok within_limits "jobs 10: no host takes more than its limit (1 here, 2 there)"
"$POOLTOP" ctl "$socket" jobs 2 > /dev/null
two_workers() { [ $(($(workers_on testhost) + $(workers_on ":"))) -eq 2 ]; }
wait_for 30 two_workers
ok $? "jobs 2: two workers in all" || diag "$("$POOLTOP" ctl "$socket" status)"
ok within_limits "...each host within its limit"
check_run "jobs N over hosts"
done_testing

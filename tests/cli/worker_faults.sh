#!/bin/bash
# tests/cli/worker_faults.sh - persistent workers (--worker) under faults:
# killed mid-item, stalled, silent, chatty, crashing at start-up, retired
# after N items, pipelined with --inflight.  None of them may hang the run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# echo_pid.sh: a worker answering each item with "ITEM PID".
cat > echo_pid.sh << 'EOF2'
#!/bin/sh
while IFS= read -r item; do
	echo "$item $$"
done
EOF2
# slow_pid.sh: the same, taking 50 ms per item (time for a kill to land).
cat > slow_pid.sh << 'EOF2'
#!/bin/sh
while IFS= read -r item; do
	sleep 0.05
	echo "$item $$"
done
EOF2
chmod +x echo_pid.sh slow_pid.sh

# --- the pool of workers ------------------------------------------------------

run "$POOLTOP" --batch --worker -j 3 --range=1..100 ./echo_pid.sh
is "$status" 0 "100 items on 3 workers succeed"
is "$(cut -d' ' -f2 <<< "$output" | sort -u | wc -l)" 3 \
	"with -j 3 and no restarts, exactly 3 distinct worker PIDs answer"
is "$(cut -d' ' -f1 <<< "$output" | sort -n | tr '\n' ' ')" "$(seq 1 100 | tr '\n' ' ')" \
	"every item is answered exactly once"

run "$POOLTOP" --batch --worker -j 2 --max-items-per-worker=10 --range=1..100 ./echo_pid.sh
is "$status" 0 "--max-items-per-worker=10 over 100 items succeeds"
most=$(cut -d' ' -f2 <<< "$output" | sort | uniq -c | sort -rn | head -1 | awk '{print $1}')
is "$most" 10 "no worker answers more than 10 items"
ok "[ $(cut -d' ' -f2 <<< "$output" | sort -u | wc -l) -ge 10 ]" \
	"workers are replaced: at least 10 distinct PIDs for 100 items"

for depth in 1 8; do
	run "$POOLTOP" --batch --worker -j 3 --inflight=$depth -k --range=1..500 ./echo_pid.sh
	is "$(cut -d' ' -f1 <<< "$output")" "$(seq 1 500)" \
		"--inflight=$depth with -k: results in input order, matched to their items"
done

# --- a worker killed mid-item -------------------------------------------------

"$POOLTOP" --batch --worker -j 2 --retries=3 --range=1..60 ./slow_pid.sh > killed.out 2> killed.err &
pooltop_pid=$!
workers_running() { pgrep -P "$pooltop_pid" > /dev/null; }
wait_for 10 workers_running
victim=$(pgrep -P "$pooltop_pid" | head -1)
wait_for 10 test -s killed.out
kill -9 "$victim"
wait_exit "$pooltop_pid" 30
is "$status" 0 "after kill -9 of a worker the run ends, and with --retries every item succeeds"
is "$(cut -d' ' -f1 killed.out | sort -n | tr '\n' ' ')" "$(seq 1 60 | tr '\n' ' ')" \
	"every item completes exactly once despite the killed worker"
ok "! grep -qw $victim <(cut -d' ' -f2 killed.out | tail -5)" \
	"the killed worker's PID is gone from the last answers: a replacement took over"
like "$(< killed.err)" "signal 9" "the kill is reported with its signal"

run "$POOLTOP" --batch --worker -j 1 --range=1..3 sh -c \
	'while IFS= read -r i; do [ "$i" = 2 ] && kill -9 $$; echo "$i"; done'
is "$status" 1 "without --retries, the item whose worker died counts as one failure"
is "$output" "$(printf '1\n3')" "the items around it still complete on a replacement"
like "$errors" "item 2: the worker was killed by signal 9" "the failure says what happened"

# --- workers that break the protocol ------------------------------------------

start=$(now_ms)
run "$POOLTOP" --batch --worker --timeout=1 -j 2 --range=1..4 sh -c \
	'while IFS= read -r i; do [ "$i" = 2 ] && sleep 100; echo "$i"; done'
is "$status" 1 "a worker stalling past --timeout fails its item"
is "$(sort <<< "$output" | tr '\n' ' ')" "1 3 4 " "the other items complete on a replacement"
like "$errors" "stalled past --timeout" "the stall is reported"
ok "[ $(($(now_ms) - start)) -lt 10000 ]" "the stalled worker does not hold up the run"

run "$POOLTOP" --batch --worker -j 2 --range=1..4 sh -c 'while IFS= read -r i; do :; done'
is "$status" 4 "a worker that answers nothing fails every item instead of hanging"
like "$errors" "waits for input without answering" "the silent worker is reported clearly"

run "$POOLTOP" --batch --worker -j 1 --range=1..3 sh -c \
	'while IFS= read -r i; do echo "a$i"; echo "b$i"; done'
like "$errors" "wrote a line with no item pending" "a worker writing two lines per item is reported"

run "$POOLTOP" --batch --worker --grace=0.5 -j 1 --range=1..3 sh -c 'read -r i; exec >&-; sleep 100'
like "$errors" "closed its standard output" "a worker that closes its stdout is reported"
isnt "$status" 0 "...and its item fails"

# --- start-up crashes ---------------------------------------------------------

start=$(now_ms)
run "$POOLTOP" --batch --worker -j 2 --range=1..50 sh -c 'exit 3'
elapsed=$(($(now_ms) - start))
is "$status" 255 "workers that die at start-up again and again end the run with 255"
like "$errors" "keeps dying at start-up" "the reason is given"
like "$errors" "restarting in" "restarts back off first"
ok "[ $elapsed -ge 1000 ] && [ $elapsed -lt 30000 ]" \
	"back-off: neither a tight loop nor an endless one (${elapsed} ms)"

run "$POOLTOP" --batch --worker -j 2 --range=1..3 ./no-such-worker
is "$status" 255 "a worker command that does not exist ends the run with 255"
like "$errors" "cannot start worker" "with a message naming the problem"

# --- retirement ---------------------------------------------------------------

run "$POOLTOP" --batch --worker --grace=0.5 -j 2 --range=1..4 sh -c \
	'trap "" TERM; while IFS= read -r i; do echo "$i"; done; sleep 100'
is "$status" 0 "workers that linger after their input ends do not fail any item"
like "$errors" "did not exit within --grace" "...and are killed after --grace, with a message"

done_testing

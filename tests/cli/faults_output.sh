#!/bin/bash
# tests/cli/faults_output.sh - nothing lost, nothing silent: output spooled
# on a full disk comes back whole, failed writes of stdout, stderr and the
# joblog end the run with 255 and a word, the joblog records an item only
# once its output is written, a slow or stopped reader of stdout freezes
# nothing, and output that can be neither spooled nor held stops the run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# small_tmpfs DIR SIZE: mount a tmpfs of SIZE on DIR (root only), unmounted
# when the test ends; fails when that cannot be done here.
small_tmpfs() {
	[ "$(id -u)" = 0 ] || return 1
	mkdir -p "$1" && mount -t tmpfs -o "size=$2" tmpfs "$1" 2> /dev/null || return 1
	at_exit "umount '$1'"
}

# ctl_status: ask the pool at ./sock for its status, 5 s at most; $reply.
ctl_status() {
	reply=$(timeout 5 "$POOLTOP" ctl sock status 2> /dev/null)
}

# --- every byte, or a loud failure ------------------------------------------------

# $TMPDIR on a 1 MiB file system: a 2.6 MB job's spill file fills it up in
# the middle of a write; the output must still come back exactly once.
if small_tmpfs small 1m; then
	TMPDIR=$TEST_DIR/small "$POOLTOP" --batch -j 1 seq 1 {} ::: 400000 > spooled.out 2> spooled.err
	is "$?" 0 "a job spooled to a full \$TMPDIR succeeds"
	seq 1 400000 > expected.out
	ok 'cmp -s spooled.out expected.out' "its output comes back byte for byte, nothing twice"
	is "$(< spooled.err)" "pooltop: cannot write a temporary file in '$TEST_DIR/small': No space left on device; output is held in memory instead (at most 64 MiB)" \
		"the full disk is told once, though nothing was lost"

	TMPDIR=$TEST_DIR/small "$POOLTOP" --batch -k -j 2 sh -c '[ "$1" = 1 ] && sleep 0.5; seq 1 "$2"' sh {} 300000 \
		::: 1 2 > kept.out 2> kept.err
	is "$?" 0 "-k holding an early result on a full \$TMPDIR succeeds"
	{ seq 1 300000; seq 1 300000; } > expected.out
	ok 'cmp -s kept.out expected.out' "and writes both results whole, in input order"
else
	skip "needs root to mount a small tmpfs for \$TMPDIR" 5
fi

run bash -c 'exec "$0" --batch echo hello ::: a b > /dev/full' "$POOLTOP"
is "$status" 255 "a full stdout ends the run with status 255"
is "$errors" "pooltop: cannot write standard output: No space left on device (output was lost)" \
	"and says so once"

run bash -c 'exec "$0" --batch sh -c "echo oops >&2" ::: a 2> /dev/full' "$POOLTOP"
is "$status" 255 "a full stderr ends the run with status 255 too"

# A non-blocking stdout (the caller's choice) and a reader that starts late:
# EAGAIN is waited out, not taken for the end of the output.
perl -e 'use Fcntl; fcntl(STDOUT, F_SETFL, O_NONBLOCK) or die; exec @ARGV' \
	"$POOLTOP" --batch seq 1 {} ::: 300000 2> nonblocking.err |
	{ sleep 0.5; cat; } > nonblocking.out
is "${PIPESTATUS[0]}" 0 "a non-blocking stdout whose reader is late: the run succeeds"
seq 1 300000 > expected.out
ok 'cmp -s nonblocking.out expected.out' "every byte arrives"
is "$(< nonblocking.err)" "" "nothing is reported lost"

# A joblog that cannot grow (the file size limit, as a full disk): the
# lines that fit stay whole records, a line cut short is taken back.
run bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" --batch --joblog=small.log true ::: $(seq 100)' "$POOLTOP"
is "$status" 255 "a joblog that cannot be written ends the run with 255"
is "$(grep -c 'cannot write the joblog' <<< "$errors")" 1 "it is told once"
is "$(awk -F '\t' 'NF != 9' small.log)" "" "every line left in the log is a whole record"
is "$(tail -c 1 small.log | od -An -c | tr -d ' ')" '\n' "the log ends with a newline"

# --- the joblog follows the output -------------------------------------------------

# With -k, item 1 runs long while 2 to 4 finish: their output waits for
# item 1's, and so must their records.  pooltop is killed there: a resumed
# run must then redo all four items, since no output of theirs arrived.
"$POOLTOP" --batch -k -j 4 --control=sock --joblog=kept.log \
	sh -c '[ "$1" = 1 ] && exec sleep 60; echo "out $1"' sh ::: 1 2 3 4 > killed.out 2> killed.err &
pid=$!
wait_for 10 eval 'ctl_status; [ "$(status_field done <<< "$reply")" = 3 ]'
is "$(status_field done <<< "$reply")" 3 "-k: items 2 to 4 are done while item 1 runs"
kill -KILL "$pid"
wait_exit "$pid" 10
is "$(< killed.out)" "" "pooltop killed: none of their output was written"
is "$(grep -c -v '^Seq' kept.log)" 0 "and the joblog records none of them"
run "$POOLTOP" --batch -k --resume --joblog=kept.log sh -c 'echo "out $1"' sh ::: 1 2 3 4
is "$output" "$(printf 'out 1\nout 2\nout 3\nout 4')" "--resume redoes exactly the items whose output is missing"

# Without -k, output is written as items end: the records follow it, and
# --resume redoes only the item that had not ended.
rm -f sock
"$POOLTOP" --batch -j 4 --control=sock --joblog=order.log \
	sh -c '[ "$1" = 1 ] && exec sleep 60; echo "out $1"' sh ::: 1 2 3 4 > order.out 2> order.err &
pid=$!
wait_for 10 eval '[ "$(grep -c -v "^Seq" order.log 2> /dev/null)" = 3 ]'
kill -KILL "$pid"
wait_exit "$pid" 10
is "$(sort order.out)" "$(printf 'out 2\nout 3\nout 4')" "completion order: items 2 to 4 were written"
run "$POOLTOP" --batch --resume --joblog=order.log sh -c 'echo "out $1"' sh ::: 1 2 3 4
is "$output" "out 1" "--resume redoes item 1 only"

run bash -c 'exec "$0" --batch --joblog=full.log echo hello ::: a b > /dev/full' "$POOLTOP"
is "$status" 255 "output lost to a full stdout: status 255"
is "$(grep -c -v '^Seq' full.log)" 0 "and its items are not in the joblog (--resume runs them again)"

# --- a stopped reader freezes nothing ---------------------------------------------

# stopped_reader NAME POOLTOP-ARGS...: run pooltop in the background with
# a reader of its stdout that stops (SIGSTOP) at once; $reader is that
# reader, NAME.out what it will read and NAME.status pooltop's status.
stopped_reader() {
	local name=$1
	shift
	rm -f sock reader.pid
	{
		"$POOLTOP" --batch --control=sock "$@" 2> "$name.err"
		echo "$?" > "$name.status"
	} | { echo "$BASHPID" > reader.pid; kill -STOP "$BASHPID"; cat > "$name.out"; } &
	wait_for 10 eval '[ -s reader.pid ] && [ -S sock ]'
	reader=$(< reader.pid)
}

# The reader of stdout stops while a 2 MB result waits for it.  pooltop
# must go on: answer on its control socket, end the item that sleeps past
# --timeout, run the small items; then, once the reader goes on, deliver
# every byte in order.
stopped_reader timeout -k -j 2 --timeout=2 \
	sh -c 'case $1 in sleep) exec sleep 60;; big) exec seq 1 300000;; *) exec seq 1 5000;; esac' sh \
	::: big sleep small small small
wait_for 10 eval 'ctl_status; [ "$(status_field failed <<< "$reply")" = 1 ]'
like "$reply" '^ok \{' "the control socket answers while the reader is stopped"
is "$(status_field failed <<< "$reply")" 1 "--timeout still ends the item that sleeps"
is "$(status_field done <<< "$reply")" 5 "the other items are done meanwhile"
kill -CONT "$reader"
wait_for 30 eval '[ -s timeout.status ]'
is "$(< timeout.status)" 1 "the reader going on, the run ends (one item timed out)"
{ seq 1 300000; seq 1 5000; seq 1 5000; seq 1 5000; } > expected.out
ok 'cmp -s timeout.out expected.out' "every byte arrived, in input order"

# jobs_blocked: every job pooltop runs is blocked writing to its full pipe.
jobs_blocked() {
	local pooltop child blocked=0
	pooltop=$(pgrep -f -n -- "--control=sock -j 2 seq 1") || return 1
	for child in $(pgrep -P "$pooltop"); do
		[[ $(< "/proc/$child/wchan") == *pipe_write ]] || return 1
		blocked=$((blocked + 1))
	done
	[ "$blocked" -gt 0 ]
}

# With more than 1 MiB waiting for the stopped reader, pooltop stops
# reading the jobs' output: they block in their writes instead of pooltop
# holding all of it.  Nothing is lost for it.
stopped_reader blocked -j 2 seq 1 {} ::: 300000 300000 300000 300000 300000 300000
ok 'wait_for 10 jobs_blocked' "jobs are left blocked in their writes"
ctl_status
ok '[ "$(status_field done <<< "$reply")" -lt 6 ]' "so not every item is done ($(status_field done <<< "$reply") of 6)"
kill -CONT "$reader"
wait_for 30 eval '[ -s blocked.status ]'
is "$(< blocked.status)" 0 "the reader going on, the run succeeds"
for i in 1 2 3 4 5 6; do seq 1 300000; done > expected.out
ok 'cmp -s blocked.out expected.out' "and every byte arrived"

# Every item done, pooltop waits for the stopped reader, still answering;
# a signal then stops the wait, and what the reader did not take is lost.
stopped_reader given_up -j 2 seq 1 {} ::: 300000
wait_for 10 eval 'ctl_status; [ "$(status_field done <<< "$reply")" = 1 ]'
is "$(status_field running <<< "$reply")" 0 "all done, pooltop waits for the reader and still answers"
pkill -INT -f -- "--control=sock -j 2 seq 1"
wait_for 10 eval '[ -s given_up.status ]'
is "$(< given_up.status)" 255 "SIGINT stops the wait: status 255"
is "$(< given_up.err)" "pooltop: cannot write all of standard output before the run was stopped: Operation canceled (output was lost)" \
	"and the output lost is told"
kill -CONT "$reader"

# --- output that can be neither spooled nor held ------------------------------------

# No temp file can be made: output is held in memory up to 64 MiB in all;
# a 100 MB job stops the run loudly instead of growing it.
run bash -c 'TMPDIR=/nonexistent/pooltop-test exec "$0" --batch head -c {} /dev/zero ::: 100M | wc -c' "$POOLTOP"
like "$errors" "output cannot be spooled to a temporary file in '/nonexistent/pooltop-test' and 64 MiB of it is held in memory already: stopping the jobs" \
	"past 64 MiB held for want of a temp file, the run stops and says why"
run bash -c 'TMPDIR=/nonexistent/pooltop-test "$0" --batch head -c {} /dev/zero ::: 100M > /dev/null' "$POOLTOP"
is "$status" 255 "with status 255"
run bash -c 'TMPDIR=/nonexistent/pooltop-test "$0" --batch head -c {} /dev/zero ::: 10M | wc -c' "$POOLTOP"
is "$output" 10485760 "below the cap, output held in memory is written whole"

done_testing

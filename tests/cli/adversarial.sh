#!/bin/bash
# tests/cli/adversarial.sh - what a demanding user does to a job runner:
# no room for temp files, a tiny open-file limit, output nobody reads, a
# --delay with nothing left to start, a stop while suspended.  Each check is
# one bug found that way.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# --- output is never truncated ----------------------------------------------

# With no usable TMPDIR an output too big for memory has nowhere to spill:
# it must still arrive whole, held in memory instead.
TMPDIR=$TEST_DIR/no-such-dir run "$POOLTOP" --batch -j 2 \
	sh -c 'head -c 1000000 /dev/zero | tr "\\0" x; head -c 700000 /dev/zero | tr "\\0" y >&2' sh ::: a b
is "$status" 0 "with TMPDIR missing, two jobs writing 1 MB each succeed"
is "$(wc -c < "$TEST_DIR/run.out")" 2000000 "and all 2 MB of their stdout arrives"
message=$(grep -o 'pooltop: cannot write a temporary file.*MiB)' "$TEST_DIR/run.err")
is "$(( $(tr -cd y < "$TEST_DIR/run.err" | wc -c) - $(tr -cd y <<< "$message" | wc -c) ))" 1400000 \
	"and all 1.4 MB of their stderr"
is "$(grep -c '^pooltop: cannot write a temporary file' "$TEST_DIR/run.err")" 1 \
	"the missing TMPDIR is told once"

# -k holds the results that finish early.  Many held results, each too big
# for memory, must not take one open file each: 30 of them under an
# open-file limit of 48 all arrive, and no item fails for want of a pipe.
cat > late_first.sh << 'EOF'
#!/bin/sh
if [ "$1" = 1 ]; then
	tries=0
	while [ ! -e done.30 ] && [ $tries -lt 500 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
fi
head -c 300000 /dev/zero
head -c 300000 /dev/zero >&2
touch "done.$1"
EOF
chmod +x late_first.sh
(ulimit -n 48 && exec "$POOLTOP" --batch -k -j 3 ./late_first.sh ::: $(seq 30)) \
	< /dev/null > held.out 2> held.err
status=$?
is "$status" 0 "under ulimit -n 48, 30 big results held by -k all succeed"
is "$(wc -c < held.out)" 9000000 "and their 9 MB of stdout arrives whole"
is "$(tr -d '\0' < held.err)" "" "with no error from pooltop"

# --- the open-file limit ------------------------------------------------------

# A small limit leaves room for a few jobs, not for one only: under
# ulimit -n 40, two jobs that each wait for the other both run at once.
cat > pair.sh << 'EOF'
#!/bin/sh
touch "started.$1"
tries=0
while [ "$(ls started.* | wc -l)" -lt 2 ]; do
	[ $tries -ge 150 ] && exit 1
	sleep 0.02
	tries=$((tries + 1))
done
EOF
chmod +x pair.sh
(ulimit -n 40 && exec "$POOLTOP" --batch -j 2 ./pair.sh ::: 1 2) \
	< /dev/null > /dev/null 2> pair.err
is "$?" 0 "under ulimit -n 40, -j 2 runs two jobs at once"
(ulimit -n 40 && exec "$POOLTOP" --batch -j 100 true ::: 1) < /dev/null > /dev/null 2> many.err
like "$(< many.err)" "ulimit -n" "a -j that does not fit the open-file limit is lowered, and said so"

# --- the reader of stdout goes away -----------------------------------------

# A reader that goes away (| head -1) ends the run, as it ends xargs and
# GNU parallel, even when the input never ends.
"$POOLTOP" --batch -j 2 echo < <(yes) > >(head -1 > head.out) 2> /dev/null &
pooltop_pid=$!
wait_exit "$pooltop_pid" 5
ok '[ "$status" != 999 ]' "endless input into a closed pipe ends the run"

# --- --delay at the end of the input ----------------------------------------

# --delay spaces out starts; with no item left to start there is nothing
# to wait for: one item with --delay 3 ends at once, two take one delay.
start=$(now_ms)
run "$POOLTOP" --batch --delay 3 true ::: 1
elapsed=$(($(now_ms) - start))
ok '[ "$status" = 0 ] && [ "$elapsed" -lt 2000 ]' \
	"--delay 3 with one item ends at once (took $elapsed ms)"
start=$(now_ms)
run "$POOLTOP" --batch --delay 1 true ::: 1 2
elapsed=$(($(now_ms) - start))
ok '[ "$status" = 0 ] && [ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 3000 ]' \
	"--delay 1 with two items takes one delay, not two (took $elapsed ms)"

# A stop signal while jobs are suspended (S) wakes them, or the run could
# never end: they finish, and pooltop exits.
"$POOLTOP" --batch --control=ctl.sock -j 2 sh -c 'sleep 0.3' ::: 1 2 > /dev/null 2>&1 &
pooltop_pid=$!
listening() { "$POOLTOP" ctl ctl.sock status > /dev/null 2>&1; }
wait_for 10 listening
"$POOLTOP" ctl ctl.sock suspend > /dev/null
kill -TERM "$pooltop_pid"
wait_exit "$pooltop_pid" 10
is "$status" 143 "SIGTERM while jobs are suspended: they wake, finish, and pooltop exits with 143"

done_testing

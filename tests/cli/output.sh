#!/bin/bash
# tests/cli/output.sh - each job's output as one block, on stdout and
# stderr alike, in completion order or input order (-k); --progress lines;
# batch mode when there is no terminal at all.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# --- -k: input order, whatever the finishing order ----------------------------

# Job N waits for job N+1 to be done before it writes and ends, so four jobs
# running at once finish 4, 3, 2, 1.
cat > chain.sh << 'EOF'
#!/bin/sh
n=$1 last=$2
if [ "$n" -lt "$last" ]; then
	tries=0
	while [ ! -e "done.$((n + 1))" ] && [ $tries -lt 600 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
fi
echo "item $n"
echo "$n" >> finish_order
touch "done.$n"
EOF
chmod +x chain.sh

run "$POOLTOP" --batch -k -j 4 ./chain.sh {} 4 ::: 1 2 3 4
is "$status" 0 "four chained jobs succeed"
is "$(tr '\n' ' ' < finish_order)" "4 3 2 1 " "the jobs finished in reverse order"
is "$output" "$(printf 'item 1\nitem 2\nitem 3\nitem 4')" "-k writes their output in input order"

rm -f done.* finish_order
run "$POOLTOP" --batch -j 4 ./chain.sh {} 4 ::: 1 2 3 4
is "$(sort <<< "$output")" "$(printf 'item 1\nitem 2\nitem 3\nitem 4')" \
	"without -k every job's output is written too"

rm -f done.* finish_order
run "$POOLTOP" --batch --keep-order -j 8 ./chain.sh {} 8 ::: 1 2 3 4 5 6 7 8
is "$output" "$(for n in 1 2 3 4 5 6 7 8; do echo "item $n"; done)" \
	"--keep-order holds eight reverse-finishing results and writes them in order"

run "$POOLTOP" --batch -k -j 3 sh -c 'echo "out $1"; echo "err $1" >&2' sh ::: 1 2 3 4 5 6
is "$output" "$(printf 'out %s\n' 1 2 3 4 5 6)" "-k orders stdout"
is "$errors" "$(printf 'err %s\n' 1 2 3 4 5 6)" "-k orders stderr too"

# --- grouping under load ------------------------------------------------------

# Each job writes 3000 numbered lines of 100 bytes (300 KB, more than a
# pipe holds and more than a spool keeps in memory) to stdout and to
# stderr, pausing now and then so that the jobs' writes overlap.
cat > chatter.sh << 'EOF'
#!/bin/sh
job=$1
padding=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
i=1
while [ $i -le 3000 ]; do
	printf 'job %s line %04d %s\n' "$job" $i "$padding"
	printf 'job %s error %04d\n' "$job" $i >&2
	[ $((i % 300)) -eq 0 ] && sleep 0.01
	i=$((i + 1))
done
EOF
chmod +x chatter.sh

# blocks FILE: "ok" when each job's lines in FILE form one contiguous block
# with its lines in order, else where it went wrong.
blocks() {
	awk '
		{ job = $2; number = $4 + 0 }
		job != current {
			if (job in seen) { print "job " job " is split at line " NR; bad = 1; exit }
			if (current != "" && expected[current] != 3001) {
				print "job " current " ended after " expected[current] - 1 " lines"; bad = 1; exit
			}
			seen[job] = 1; current = job; expected[job] = 1
		}
		{
			if (number != expected[job]) {
				print "job " job " line " number " where " expected[job] " was due"; bad = 1; exit
			}
			expected[job]++
		}
		END {
			if (bad) exit
			count = 0
			for (j in seen) { count++; if (expected[j] != 3001) { print "job " j " is short"; exit } }
			print (count == 8 ? "ok" : "saw " count " jobs")
		}' "$1"
}

run "$POOLTOP" --batch -j 8 ./chatter.sh ::: a b c d e f g h
is "$status" 0 "eight jobs writing 300 KB each succeed"
is "$(blocks "$TEST_DIR/run.out")" ok \
	"with 8 jobs at once, each job's stdout is one block, its lines in order"
is "$(blocks "$TEST_DIR/run.err")" ok "each job's stderr is one block too"
is "$(wc -c < "$TEST_DIR/run.out")" $((8 * 3000 * 100)) "no byte of stdout is lost"

# --- --progress ---------------------------------------------------------------

# The input stays open until the test says so: the first item runs before
# the input ends, and the total is unknown (?) until then.
mkfifo items.fifo
"$POOLTOP" --batch --progress --refresh=0.1 -j 2 echo < items.fifo \
	> progress.out 2> progress.err &
pooltop_pid=$!
exec 3> items.fifo
echo first >&3
wait_for 10 grep -q '1/? done' progress.err
ok $? "while the input is open, --progress shows the total as ?"
like "$(grep -m 1 '1/? done' progress.err)" '^pooltop: 1/\? done, 0 failed, [0-9]+/2 running, .*ETA' \
	"a --progress line gives done/total, failed, running, rate and ETA"
echo second >&3
exec 3>&-
wait_exit "$pooltop_pid" 20
is "$status" 0 "the run ends when the input ends"
like "$(tail -n 1 progress.err)" '^pooltop: 2/2 done, 0 failed' \
	"the last --progress line counts every item"
is "$(sort progress.out | tr '\n' ' ')" "first second " "the progress lines stay off stdout"

run "$POOLTOP" --batch echo ::: a
is "$errors" "" "without --progress, batch mode writes nothing on stderr"

# --- no terminal --------------------------------------------------------------

if command -v setsid > /dev/null; then
	setsid -w "$POOLTOP" -k echo ::: one two < /dev/null > detached.out 2> detached.err
	is "$?" 0 "with no controlling terminal pooltop runs without --batch"
	is "$(cat detached.out)" "$(printf 'one\ntwo')" "and writes plain output"
	is "$(cat detached.err)" "" "with nothing on stderr"
else
	skip "setsid is not installed" 3
fi

# --- a reader that goes away ----------------------------------------------------

# `| head -n 1` closes pooltop's stdout after one line: the run ends at
# once, as a filter killed by SIGPIPE would, instead of working through
# every item with nowhere to write.
start=$(now_ms)
{ seq 100000 | "$POOLTOP" --batch -j 2 echo 2> closed.err; echo $? > closed.status; } |
	head -n 1 > closed.out
elapsed=$(($(now_ms) - start))
like "$(< closed.out)" '^[0-9]+$' "the reader got its line"
is "$(< closed.status)" 141 "pooltop ends with 141 (128 + SIGPIPE) once its reader is gone"
ok "[ $elapsed -lt 15000 ]" "it stops soon after the reader leaves (${elapsed} ms for 100,000 items)"
is "$(< closed.err)" "" "without a message for each job it had to stop"


# --- output that cannot be written ---------------------------------------------

# A full disk is not a reader gone away: the output is lost, which is
# reported once and ends the run with 255.
for order in "" -k; do
	"$POOLTOP" --batch $order echo ::: a b c > /dev/full 2> full.err
	is "$?" 255 "stdout on a full disk${order:+ with $order} ends the run with status 255"
	is "$(< full.err)" "pooltop: cannot write standard output: No space left on device (output was lost)" \
		"and is reported once${order:+ with $order}"
done
"$POOLTOP" --batch sh -c 'echo "$1" >&2' sh ::: a b > /dev/null 2> /dev/full
is "$?" 255 "stderr on a full disk ends the run with status 255 too"

done_testing

#!/bin/bash
# tests/cli/joblog.sh - --joblog writes GNU parallel's format as each job
# ends; --resume skips what the log holds, --resume-failed what succeeded;
# logs written by GNU parallel are accepted, and parallel accepts ours.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

header=$'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand'

# column LOG N: field N of each job line of LOG, in Seq order, on one line.
column() {
	tail -n +2 "$1" | sort -n -k 1,1 | cut -f "$2" | tr '\n' ' '
}

# --- the format ---------------------------------------------------------------

before=$(date +%s)
run "$POOLTOP" --batch -k -j 2 --joblog=format.log sh -c 'printf "%s" "$1"; exit $2' sh {} {#} \
	::: ok 'two words' "it's"
after=$(date +%s)
is "$status" 3 "three items exiting with 1, 2 and 3 fail"
is "$(head -n 1 format.log)" "$header" "the first line is GNU parallel's header, tab-separated"
is "$(wc -l < format.log)" 4 "one line per item follows it"
is "$(awk -F '\t' 'NR > 1 && NF != 9' format.log)" "" "every job line has nine tab-separated fields"
is "$(column format.log 1)" "1 2 3 " "Seq is each item's input position"
is "$(column format.log 2)" ": : : " "Host is ':' for this machine"
starttimes=$(column format.log 3)
like "$starttimes" '^([0-9]+\.[0-9]{3} ){3}$' "Starttime is epoch seconds with three decimals"
first_start=${starttimes%%.*}
ok '[ "$first_start" -ge "$before" ] && [ "$first_start" -le "$after" ]' \
	"Starttime is the time the job started ($first_start in $before..$after)"
like "$(tail -n +2 format.log | cut -f 4 | tr '\n' '|')" '^( *[0-9]+\.[0-9]{3}\|){3}$' \
	"JobRuntime is seconds with three decimals"
is "$(column format.log 5)" "0 0 0 " "Send is 0 in command mode"
is "$(column format.log 6)" "2 9 4 " "Receive is the byte count of each job's output"
is "$(column format.log 7)" "1 2 3 " "Exitval is each job's exit status"
is "$(column format.log 8)" "0 0 0 " "Signal is 0 when no signal ended the job"
is "$(tail -n +2 format.log | sort -n | cut -f 9)" \
	"$(printf '%s\n' "sh -c 'printf \"%s\" \"\$1\"; exit \$2' sh ok 1" \
		"sh -c 'printf \"%s\" \"\$1\"; exit \$2' sh 'two words' 2" \
		"sh -c 'printf \"%s\" \"\$1\"; exit \$2' sh 'it'\\''s' 3")" \
	"Command is the command line as run, quoted for a shell"

run "$POOLTOP" --batch --joblog=signal.log sh -c 'kill -KILL $$' ::: x
is "$(column signal.log 7)$(column signal.log 8)" "-1 9 " \
	"a job killed by SIGKILL is logged with Exitval -1 and Signal 9"

run "$POOLTOP" --batch --joblog=worker.log -j 1 --worker sh -c 'while read -r x; do echo "<$x>"; done' \
	::: one three
is "$(column worker.log 9 | tr -d ' ')" \
	"$(printf '%s' "sh-c'whileread-rx;doecho\"<\$x>\";done'one" "sh-c'whileread-rx;doecho\"<\$x>\";done'three")" \
	"in worker mode, Command is the worker command and the item"
is "$(column worker.log 5)" "4 6 " "in worker mode, Send counts the item and its newline"
is "$(column worker.log 6)" "6 8 " "in worker mode, Receive counts the result line"

printf 'two\nlines\0' > newline.bin
"$POOLTOP" --batch -0 --joblog=newline.log echo < newline.bin > /dev/null 2>&1
is "$(wc -l < newline.log)" 2 "an item with a newline keeps its job on one line of the log"
ok 'tail -n 1 newline.log | tr "\0" "|" | grep -q "two|lines"' \
	"the newline is written as a NUL byte, as GNU parallel does"

# --- written as each job ends -------------------------------------------------

cat > slow.sh << 'EOF'
#!/bin/sh
tries=0
while [ ! -e go ] && [ $tries -lt 1000 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
EOF
chmod +x slow.sh
"$POOLTOP" --batch -j 2 --joblog=live.log sh -c '[ "$1" = fast ] || ./slow.sh' sh ::: fast slow \
	> /dev/null 2>&1 &
live_pid=$!
wait_for 20 eval '[ "$(wc -l < live.log 2> /dev/null)" = 2 ]'
ok $? "a finished job is in the log while another still runs"
ok 'kill -0 "$live_pid"' "(the run was still going on)"
touch go
wait_for 20 eval '[ "$(wc -l < live.log)" = 3 ]'
ok $? "the second job is logged when it ends"
wait "$live_pid"

# --- retries ------------------------------------------------------------------

cat > flaky.sh << 'EOF'
#!/bin/sh
echo x >> "tries.$1"
[ "$1" = good ] && exit 0
[ "$1" = bad ] && exit 5
[ "$(wc -l < "tries.$1")" -ge 2 ]
EOF
chmod +x flaky.sh
run "$POOLTOP" --batch -k --retries=3 --joblog=retries.log ./flaky.sh ::: good second bad
is "$status" 1 "with --retries=3 only the item that always fails counts"
is "$(cat tries.good tries.second tries.bad | wc -l)" 6 \
	"good ran once, second twice, bad three times (--retries=3: three runs at most)"
is "$(column retries.log 1)" "1 2 3 " "each item is logged once, with its last attempt, as GNU parallel does"
is "$(column retries.log 7)" "0 0 5 " "the logged status is that of the last attempt"

# --- --resume and --resume-failed ---------------------------------------------

# exit N for items given as N: 0 succeeds, anything else fails.
run "$POOLTOP" --batch --joblog=resume.log sh -c 'echo "first $1"; exit $1' sh ::: 0 1 0 2 0
is "$status" 2 "a first run: items 2 and 4 fail"

run "$POOLTOP" --batch -k --joblog=resume.log --resume sh -c 'echo "again $1"' sh ::: 0 1 0 2 0 5 6
is "$status" 0 "--resume runs the items the log does not hold"
is "$output" "$(printf 'again 5\nagain 6')" "--resume skips every item in the log, failed or not"
is "$(grep -c '^Seq' resume.log)" 1 "--resume appends to the log: still one header"
is "$(column resume.log 1)" "1 2 3 4 5 6 7 " "--resume appends the new items' lines"

run "$POOLTOP" --batch -k --joblog=resume.log --resume-failed sh -c 'echo "retry $1"' sh \
	::: 0 1 0 2 0 5 6 7
is "$status" 0 "--resume-failed succeeds when the failed items now succeed"
is "$output" "$(printf 'retry 1\nretry 2\nretry 7')" \
	"--resume-failed reruns the failed items and runs the new ones, in order with -k"
is "$(column resume.log 1)" "1 2 2 3 4 4 5 6 7 8 " "--resume-failed appends the reruns to the log"

run "$POOLTOP" --batch --joblog=resume.log --resume-failed echo ::: 0 1 0 2 0 5 6 7
is "$output" "" "once the reruns succeeded, --resume-failed has nothing left to run"
is "$status" 0 "and exits with status 0"

run "$POOLTOP" --batch --joblog=fresh.log --resume echo ::: a b
is "$(head -n 1 fresh.log)" "$header" "--resume with no log yet starts one, with its header"
: > empty.log
run "$POOLTOP" --batch --joblog=empty.log --resume echo ::: a
is "$(head -n 1 empty.log)" "$header" "--resume with an empty log writes the header first"

printf '%s\n1\t:\t1.000\t0.001\t0\t0\t0\t0\techo a\n2\t:\t1.0' "$header" > torn.log
run "$POOLTOP" --batch -k --joblog=torn.log --resume echo ::: a b c
is "$output" "$(printf 'b\nc')" "--resume with a torn last line skips only the complete lines"
is "$(awk -F '\t' 'NR > 1 && NF != 9' torn.log)" "" \
	"the torn line is dropped, so every line of the log is whole again"

run "$POOLTOP" --batch --joblog=resume.log echo ::: z
is "$(wc -l < resume.log)" 2 "without --resume an existing log is replaced"

# --- GNU parallel -------------------------------------------------------------

if command -v parallel > /dev/null 2>&1; then
	# parallel keeps its state under $HOME: keep that in the test directory.
	export HOME=$TEST_DIR
	parallel --will-cite --joblog=theirs.log 'exit {}' ::: 0 3 0 4 > /dev/null 2>&1
	run "$POOLTOP" --batch -k --joblog=theirs.log --resume-failed echo ran ::: 0 3 0 4 5
	is "$output" "$(printf 'ran 3\nran 4\nran 5')" \
		"a log written by GNU parallel drives --resume-failed"
	run "$POOLTOP" --batch -k --joblog=theirs.log --resume echo ran ::: 0 3 0 4 5 6
	is "$output" "ran 6" "and --resume, after our lines were appended to it"

	run "$POOLTOP" --batch --joblog=ours.log sh -c 'exit $1' sh ::: 0 1 0 2
	parallel --will-cite -k --joblog=ours.log --resume-failed echo ran ::: 0 1 0 2 3 \
		> parallel.out 2>&1
	is "$(cat parallel.out)" "$(printf 'ran 1\nran 2\nran 3')" \
		"GNU parallel --resume-failed accepts our log"
	parallel --will-cite -k --joblog=ours.log --resume echo ran ::: 0 1 0 2 3 4 \
		> parallel.out 2>&1
	is "$(cat parallel.out)" "ran 4" "GNU parallel --resume accepts our log"
	is "$(head -n 1 ours.log)" "$header" "and keeps our header"
else
	skip "GNU parallel is not installed (Debian package parallel)" 5
fi


# --- a log that cannot be written ------------------------------------------------

# A file size limit lets the header and a few lines in: the first line lost
# is told at once (once only), and the run ends with 255 (SIGXFSZ is
# ignored, so the writes fail with EFBIG instead of killing pooltop).
run bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" --batch --joblog=full.log true ::: $(seq 100)' "$POOLTOP"
is "$status" 255 "lost joblog lines end the run with status 255"
like "$errors" "^pooltop: cannot write the joblog 'full.log': File too large \(items whose lines are lost run again with --resume\)$" \
	"they are reported once, saying what --resume will do"
is "$(head -n 1 full.log)" "$header" "the lines that fit were written"

done_testing

#!/bin/bash
# tests/cli/parallel_policies.sh - GNU parallel's policy options mean in
# pooltop what they mean in parallel 20221122: the same command line run
# through both gives the same output, exit status and joblog; parallel's
# options pooltop lacks are refused by name, before anything runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

have_parallel=0
if command -v parallel > /dev/null 2>&1 && parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
	have_parallel=1
	export HOME=$TEST_DIR  # parallel keeps its state under $HOME
fi

# The jobs: small scripts both runners start the same way.
cat > count.sh << 'EOF'
#!/bin/sh
# Count the run in $COUNT_FILE, then fail with status 3.
echo run >> "$COUNT_FILE"
exit 3
EOF
cat > say_exit.sh << 'EOF'
#!/bin/sh
# Print the argument, then exit with it as status.
echo "$1"
exit "$1"
EOF
cat > nap.sh << 'EOF'
#!/bin/sh
# Sleep the argument's seconds, then print it.
sleep "$1"
echo "$1"
EOF
cat > env.sh << 'EOF'
#!/bin/sh
# What pooltop or parallel told the job about itself.
echo "$1 seq=$PARALLEL_SEQ slot=$PARALLEL_JOBSLOT var=$SLOT_VAR"
EOF
cat > barrier.sh << 'EOF'
#!/bin/sh
# Succeed once $2 jobs have started in directory $1 (bounded: 30 s).
touch "$1/started.$$"
i=0
while [ "$(ls "$1" | wc -l)" -lt "$2" ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ "$(ls "$1" | wc -l)" -ge "$2" ]
EOF
cat > stubborn.sh << 'EOF'
#!/bin/sh
# Note each signal that reaches the job in $1, survive all but KILL.
trap 'echo INT >> "$1"' INT
trap 'echo TERM >> "$1"' TERM
echo started >> "$1"
while :; do sleep 0.1; done
EOF
chmod +x count.sh say_exit.sh nap.sh env.sh barrier.sh stubborn.sh

# both ARGS...: run `parallel ARGS` and `pooltop --batch ARGS` from the
# same stdin ($TEST_DIR/stdin, empty unless written); sets p_output,
# p_status (parallel) and output, status (pooltop).
both() {
	: >> stdin
	if [ "$have_parallel" = 1 ]; then
		parallel --will-cite "$@" < stdin > p.out 2> p.err
		p_status=$?
		p_output=$(< p.out)
	fi
	"$POOLTOP" --batch "$@" < stdin > run.out 2> run.err
	status=$?
	output=$(< run.out)
	errors=$(< run.err)
	rm -f stdin
}

# same WHAT: pooltop agrees with parallel on output and status, when
# parallel is there to ask.
same() {
	if [ "$have_parallel" = 1 ]; then
		is "$output|$status" "$p_output|$p_status" "$1: the same output and status as GNU parallel"
	else
		skip "GNU parallel is not installed" 1
	fi
}

# --- --retries N: at most N runs ------------------------------------------------

rm -f p.count o.count
if [ "$have_parallel" = 1 ]; then
	COUNT_FILE=p.count parallel --will-cite --retries 2 ./count.sh ::: a > /dev/null 2>&1
	is "$(wc -l < p.count)" 2 "GNU parallel --retries 2 runs a failing job twice"
fi
COUNT_FILE=o.count run "$POOLTOP" --batch --retries 2 ./count.sh ::: a
is "$status" 1 "--retries 2: the job that always fails counts as one failure"
is "$(wc -l < o.count)" 2 "--retries 2 runs a failing job twice, not three times"
rm -f o.count
COUNT_FILE=o.count run "$POOLTOP" --batch --retries 1 ./count.sh ::: a
is "$(wc -l < o.count)" 1 "--retries 1 runs it once"

# --- --timeout with units and N% ------------------------------------------------

both -k --timeout 3s ./nap.sh ::: 0 30
is "$output|$status" "0|1" "--timeout 3s kills the 30-second job; the quick one is kept"
same "--timeout 3s"
like "$errors" "timed out" "the killed job is named on stderr"

# -j1: each quick job sets the limit for the next; the last is killed at
# 20 times the median of the quick ones, well before its 30 seconds.
start=$(now_ms)
both -j1 -k --timeout 2000% ./nap.sh ::: 0.2 0.2 0.2 30
is "$output|$status" "$(printf '0.2\n0.2\n0.2')|1" "--timeout 2000% kills the job that runs 20 times the median"
same "--timeout 2000%"
ok '[ $(( $(now_ms) - start )) -lt 60000 ]' "neither waited for the 30-second job"

run "$POOLTOP" --batch --timeout 1h30m ./nap.sh ::: 0
is "$status" 0 "--timeout 1h30m is a duration"
run "$POOLTOP" --batch --timeout 1h30 ./nap.sh ::: 0
is "$status" 255 "--timeout 1h30 is refused, as GNU parallel refuses it"

# --- --halt ----------------------------------------------------------------------

both -j1 --halt now,fail=1 ./say_exit.sh ::: 0 3 0
is "$output|$status" "$(printf '0\n3')|3" "--halt now,fail=1 stops at the failure, with its status"
same "--halt now,fail=1"

both -j1 --halt soon,fail=20% ./say_exit.sh ::: 0 3 4 0 0 0 0 0 0 0
is "$output|$status" "$(printf '0\n3\n4')|20" "--halt soon,fail=20% stops when 2 of 10 failed, status 20 (%)"
same "--halt soon,fail=20%"

both -j1 --halt now,success=1 ./say_exit.sh ::: 3 0 4
is "$output|$status" "$(printf '3\n0')|0" "--halt now,success=1 stops at the first success, status 0"
same "--halt now,success=1"

both -j1 --halt now,done=3 ./say_exit.sh ::: 3 0 4 5 6
is "$output|$status" "$(printf '3\n0\n4')|2" "--halt now,done=3 stops after three jobs, status the failures"
same "--halt now,done=3"

# --- -j 0, -P ----------------------------------------------------------------------

mkdir -p barrier.p barrier.o
if [ "$have_parallel" = 1 ]; then
	parallel --will-cite -j 0 ./barrier.sh barrier.p 6 ::: 1 2 3 4 5 6 > /dev/null 2>&1
	is "$?" 0 "GNU parallel -j 0 runs six jobs at once"
fi
run "$POOLTOP" --batch -j 0 ./barrier.sh barrier.o 6 ::: 1 2 3 4 5 6
is "$status" 0 "-j 0 runs as many jobs at once as there are (six wait for each other)"
mkdir -p barrier.P
run "$POOLTOP" --batch -P 2 ./barrier.sh barrier.P 2 ::: 1 2
is "$status" 0 "-P 2 runs two jobs at once, as xargs -P 2"
run "$POOLTOP" --batch --max-procs=2 -k echo ::: a b
is "$output" "$(printf 'a\nb')" "--max-procs is -j too"

# --- --joblog +FILE ----------------------------------------------------------------

for runner in p o; do
	[ "$runner" = p ] && [ "$have_parallel" = 0 ] && continue
	if [ "$runner" = p ]; then go() { parallel --will-cite "$@"; }; else go() { "$POOLTOP" --batch "$@"; }; fi
	go --joblog $runner.log true ::: 1 2 > /dev/null 2>&1
	go --joblog +$runner.log true ::: 1 2 > /dev/null 2>&1
	eval "${runner}_lines=\$(wc -l < $runner.log)"
done
is "$o_lines" 5 "--joblog +FILE appends: the header and two runs of two jobs"
ok '[ ! -e +o.log ]' "and makes no file named +FILE"
[ "$have_parallel" = 1 ] && is "$o_lines" "$p_lines" "as many joblog lines as GNU parallel's"
rm -f new.log
run "$POOLTOP" --batch --joblog +new.log true ::: 1
is "$(head -n 1 new.log | cut -f 1)" Seq "a new +FILE starts with the header, so --resume can read it"

# --- --retry-failed --------------------------------------------------------------------

for runner in p o; do
	[ "$runner" = p ] && [ "$have_parallel" = 0 ] && continue
	if [ "$runner" = p ]; then go() { parallel --will-cite "$@"; }; else go() { "$POOLTOP" --batch "$@"; }; fi
	go --joblog $runner.retry.log -k ./say_exit.sh ::: 0 1 0 2 > /dev/null 2>&1
	go --retry-failed --joblog $runner.retry.log -k this part is ignored > $runner.retry.out 2> /dev/null
	eval "${runner}_retry_status=\$?"
	go --retry-failed --joblog $runner.retry.log -k > /dev/null 2>&1
done
is "$(cat o.retry.out)" "$(printf '1\n2')" "--retry-failed runs the failed commands of the log, not the command line"
is "$o_retry_status" 2 "its status counts the failures again"
is "$(tail -n +2 o.retry.log | cut -f 1 | tr '\n' ' ')" "1 2 3 4 2 4 2 4 " \
	"each run appends the retried jobs at their Seq"
is "$(tail -n 1 o.retry.log | cut -f 9)" "./say_exit.sh 2" "with the command as the log had it"
if [ "$have_parallel" = 1 ]; then
	is "$(cat o.retry.out)|$o_retry_status" "$(cat p.retry.out)|$p_retry_status" \
		"--retry-failed: the same output and status as GNU parallel"
	is "$(wc -l < o.retry.log)" "$(wc -l < p.retry.log)" "--retry-failed: as many joblog lines as GNU parallel's"
fi

# --- --termseq --------------------------------------------------------------------------

rm -f signals.o signals.p
run "$POOLTOP" --batch --timeout 2s --termseq INT,500,KILL,25 ./stubborn.sh signals.o ::: x
is "$status" 1 "--termseq: the job that survives INT is killed"
is "$(tr '\n' ' ' < signals.o)" "started INT " "it got INT first, as the sequence says, and no TERM"
if [ "$have_parallel" = 1 ]; then
	parallel --will-cite --timeout 2s --termseq INT,500,KILL,25 ./stubborn.sh signals.p ::: x > /dev/null 2>&1
	is "$(tr '\n' ' ' < signals.o)" "$(tr '\n' ' ' < signals.p)" "--termseq: the same signals as under GNU parallel"
fi

# --- the jobs' environment -----------------------------------------------------------------

PARALLEL_SEQ=999 PARALLEL_JOBSLOT=999 both -j1 -k --process-slot-var=SLOT_VAR ./env.sh ::: a b c
is "$output" "$(printf 'a seq=1 slot=1 var=0\nb seq=2 slot=1 var=0\nc seq=3 slot=1 var=0')" \
	"jobs see PARALLEL_SEQ, PARALLEL_JOBSLOT and --process-slot-var's slot - 1"
same "the jobs' environment"
run "$POOLTOP" --batch sh -c '[ "$PARALLEL_PID" = "$PPID" ] && echo pooltop' ::: x
is "$output" pooltop "PARALLEL_PID is pooltop's process ID"
run "$POOLTOP" --batch -j 2 -k --process-slot-var=SLOT_VAR sh -c 'echo $SLOT_VAR $PARALLEL_JOBSLOT; sleep 1' ::: a b
is "$output" "$(printf '0 1\n1 2')" "two jobs at once: slots 0 and 1 (xargs), jobslots 1 and 2"

# --- -r ----------------------------------------------------------------------------------

printf 'a\n\nb\n  \n' > stdin
both -k -r echo X {#} {}
is "$output" "$(printf 'X 1 a\nX 2 b')" "-r drops empty and blank items before they are numbered"
same "-r"
echo > stdin
both echo X
is "$output|$status" "X |0" "without -r an empty line is an item with an empty argument"
same "one empty line"
echo > stdin
both -r echo X
is "$output|$status" "|0" "with -r one empty line runs nothing"
same "one empty line with -r"

# --- the options pooltop does not implement ------------------------------------------------

names=$(sed -n 's/^[[:space:]]*{ "\([a-z][a-z|_-]*\)".*/\1/p' "$top_srcdir/src/options_refused.c" | tr '|' '\n')
ok '[ "$(wc -l <<< "$names")" -ge 100 ]' "the table of refused options is found"
wrong=
for name in $names; do
	rm -f o.count
	COUNT_FILE=o.count "$POOLTOP" --batch "--$name" 1 ./count.sh ::: x > refused.out 2> refused.err
	refused_status=$?
	if [ "$refused_status" != 255 ] || [ -e o.count ] || [ -s refused.out ] ||
		[ "$(wc -l < refused.err)" != 1 ] || ! grep -q "^pooltop: --$name (GNU parallel's .*) is not supported" refused.err; then
		wrong="$wrong --$name($refused_status)"
	fi
done
is "$wrong" "" "every option of the table is refused by name with status 255, one line, nothing run"
run "$POOLTOP" --batch --sqlmaster sql:///x ./count.sh ::: x
is "$errors" "pooltop: --sqlmaster (GNU parallel's job queue in an SQL database) is not supported" \
	"the refusal says what the option is in GNU parallel"
run "$POOLTOP" --batch --sshdelay=1 echo ::: x
like "$errors" "is not supported: --delay$" "and the pooltop way, where there is one"
run "$POOLTOP" --batch -q echo ::: x
is "$status|$output" "255|" "a short option of parallel's (-q) is refused too"
like "$errors" "^pooltop: -q \\(GNU parallel's" "by name"

done_testing

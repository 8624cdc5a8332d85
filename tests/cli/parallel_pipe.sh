#!/bin/bash
# tests/cli/parallel_pipe.sh - --pipe and --pipepart against GNU parallel:
# the same command lines give the same blocks (per-block figures in input
# order with -k), records are never split, memory stays a few blocks for
# 200 MB of input, and a --pipe pool still resizes live.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"
require_command parallel
export HOME=$TEST_DIR  # parallel keeps its state under $HOME

# Small inputs: parallel spends about a second per --pipe job on a busy machine.
seq 10000 > lines
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf ">record %d\nACGT%d\nTTGA\n", i, i }' > fasta
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "r%d;", i }' > semicolons

# same_as_parallel DESCRIPTION ARG...: `parallel ARG...` and `pooltop
# --batch ARG...` write the same stdout (ARG may end with `< FILE`).
same_as_parallel() {
	local description=$1
	shift
	eval "parallel --will-cite $*" > theirs 2> /dev/null
	eval "\"\$POOLTOP\" --batch $*" > ours 2> ours.err
	local ours_status=$?
	if cmp -s theirs ours && [ "$ours_status" = 0 ]; then
		pass "$description"
	else
		fail "$description"
		diag "  status $ours_status; stderr: $(head -c 300 ours.err)" \
			"  parallel: $(head -c 200 theirs | tr '\n' ' ')" "  pooltop:  $(head -c 200 ours | tr '\n' ' ')"
	fi
}

# sum FILE: the sum of the first column.
sum() {
	awk '{ total += $1 } END { print total + 0 }' "$1"
}

# --- the same blocks as GNU parallel ------------------------------------------

same_as_parallel "--pipe --block 10k wc -l: the same line count per block, in order with -k" \
	-k --pipe --block 10k wc -l '< lines'
is "$(sum ours)" 10000 "and the counts add up to the input's lines"
ok '[ "$(wc -l < ours)" -ge 4 ]' "10k blocks of a 49 kB input make several jobs"

sort -n theirs > theirs.sorted
"$POOLTOP" --batch --pipe --block 10k wc -l < lines | sort -n > ours.sorted
ok 'cmp -s theirs.sorted ours.sorted' "without -k the same counts come, in any order"

same_as_parallel "--block 10K is 10240 bytes, as parallel's K" -k --pipe --block 10K wc -c '< lines'
same_as_parallel "the default block is parallel's 1M" -k --pipe wc -c '< lines'

"$POOLTOP" --batch -k --pipe --block 10k cat < lines > ours
ok 'cmp -s lines ours' "-k --pipe cat gives back the input byte for byte"

same_as_parallel "--recstart '>' cuts before each record's start" \
	-k --pipe --recstart "'>'" --block 10k head -n 1 '< fasta'
same_as_parallel "--recend ';' cuts after a semicolon" \
	-k --pipe --recend "';'" --block 4k wc -c '< semicolons'
same_as_parallel "--recend and --recstart together must meet" \
	-k --pipe --recend "'\n'" --recstart "'>'" --block 10k wc -l '< fasta'
same_as_parallel "-N 3 --pipe: three records per block" -k --pipe -N 3 wc -l '< <(seq 12)'
head -n 60 fasta > fasta20
same_as_parallel "-N with --recstart counts records, not lines" \
	-k --pipe -N 7 --recstart "'>'" wc -l '< fasta20'
same_as_parallel "{#} and {%} are the only substitutions, and nothing is appended" \
	-k -j 2 --pipe -N 4 echo "'[{}]'" '{#}' '< <(seq 12)'

same_as_parallel "--pipepart -a FILE --block 10k wc -c: the same bytes per block" \
	-k --pipepart -a lines --block 10k wc -c
is "$(sum ours)" "$(stat -c %s lines)" "and the blocks add up to the file's size"
same_as_parallel "--pipepart with --recstart" -k --pipepart -a fasta --recstart "'>'" --block 10k wc -c

# --- records are never split ----------------------------------------------------

"$POOLTOP" --batch --pipe --recend ';' --block 700 --shell 'tail -c 1; echo' < semicolons > ends
is "$(sort -u ends)" ";" "every block sent to a job ends with the record end"
"$POOLTOP" --batch --pipe --recstart '>' --block 3k --shell 'head -c 1; echo' < fasta > starts
is "$(sort -u starts)" ">" "every block sent to a job starts with the record start"
"$POOLTOP" --batch --pipepart -a lines --block 7k --shell 'tail -c 1 | od -An -c' > part_ends
is "$(tr -d ' ' < part_ends | sort -u)" '\n' "--pipepart blocks end with a whole line too"

# --- jobs that do not read everything, and mistakes -----------------------------

head -c 5000000 /dev/zero | tr '\0' '\n' > zeros
run "$POOLTOP" --batch --pipe --block 1M true < zeros
is "$status" 0 "jobs that read nothing of their block succeed (EPIPE is theirs, as in parallel)"
is "$errors" "" "and pooltop says nothing about it"

run "$POOLTOP" --batch --pipepart --block 1k wc -c
is "$status" 255 "--pipepart without -a FILE is a usage error"
like "$errors" '^pooltop: --pipepart needs' "which says what is missing"
run "$POOLTOP" --batch --pipe wc -l ::: a b
is "$status" 255 "--pipe with ::: items is a usage error"
run "$POOLTOP" --batch --pipe --block 10x wc -l
is "$status" 255 "a --block that is not a size is a usage error"
like "$errors" "^pooltop: invalid --block '10x'" "which quotes it"
echo 1 | "$POOLTOP" --batch --pipepart -a /dev/stdin wc -c > /dev/null 2> stream.err
is "$?" 255 "--pipepart refuses a file that cannot be seeked (a pipe)"
like "$(cat stream.err)" "^pooltop: --pipepart needs a seekable file" "and says why"

# --- memory: a few blocks, not the input ----------------------------------------

# 200 MB through 1M blocks; the input is held open once it is all sent, so
# that pooltop's peak RSS can be read after every full block was handled.
done_count() {
	local count
	count=$(sed -n 's/^pooltop: \([0-9]*\)\/? done.*/\1/p' "$1" | tail -n 1)
	echo "${count:-0}"
}
mkfifo release
( yes 0123456789abcdef | head -c 209715200; cat release > /dev/null ) |
	"$POOLTOP" --batch --progress --refresh=0.2 -j 4 --pipe --block 1M wc -l > big.out 2> big.err &
big_pid=$!
at_exit "kill -9 $big_pid"
wait_for 120 eval '[ "$(done_count big.err)" -ge 199 ]'
ok $? "199 blocks of 1M are done while the input is still open"
peak=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$big_pid/status")
echo > release
wait_exit "$big_pid" 60
is "$status" 0 "the 200 MB run succeeds"
is "$(sum big.out)" 12336188 "and its blocks hold every line"
if memory_is_pooltops; then
	ok '[ "${peak:-999999}" -lt 32768 ]' "pooltop's peak RSS stays small: ${peak:-?} KiB for 200 MB (under 32 MiB)"
else
	skip "the peak RSS is the sanitizer's or the wrapper's, not pooltop's"
fi

# --- a --pipe pool resizes live -------------------------------------------------

# Each job reads its block, says so, and waits for the file "go".
cat > hold_block << 'JOB'
#!/bin/sh
count=$(wc -l)
touch "started.$1"
tries=0
while [ ! -e go ] && [ $tries -lt 1000 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
echo "$count"
JOB
chmod +x hold_block
seq 3000 | "$POOLTOP" --batch --control="$SOCK" -j 1 --max-jobs 8 --pipe --block 1k ./hold_block '{#}' \
	> pool.out 2> pool.err &
pool_pid=$!
at_exit "kill -9 $pool_pid"
wait_for 15 _socket_answers || diag "pooltop did not come up: $(cat pool.err)"
wait_field 10 running 1 "a --pipe pool of one job runs one block"
ctl jobs 4
is "$reply" "ok jobs 4" "jobs 4 is taken by a --pipe pool"
wait_field 10 running 4 "then four blocks are fed at once"
ctl status
like "$reply" '"item":"block [0-9]+ \([0-9.]+[BK]\)"' "the status names a worker's item by its block and size"
like "$reply" '"fed_bytes":[0-9]+' "and tells the bytes fed to it"
ctl jobs 2
is "$reply" "ok jobs 2" "and it shrinks as well"
touch go
wait_pool 30
is "$pool_status" 0 "the resized --pipe pool finishes"
is "$(sum pool.out)" 3000 "and every line reached a job once"

done_testing

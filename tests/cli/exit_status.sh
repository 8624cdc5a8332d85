#!/bin/bash
# tests/cli/exit_status.sh - the exit status counts failed items as GNU
# parallel's does (0, 1-100, 101), and commands that cannot run fail item
# by item (127 not found, 126 not executable) while the run goes on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# exitvals LOG: the Exitval column of a joblog, in Seq order, on one line.
exitvals() {
	tail -n +2 "$1" | sort -n | cut -f 7 | tr '\n' ' '
}

run "$POOLTOP" --batch true ::: a b c
is "$status" 0 "when every item succeeds the status is 0"

run "$POOLTOP" --batch sh -c 'exit $1' sh ::: 0 1 0 7 255 0
is "$status" 3 "three items failing with 1, 7 and 255 give status 3"

run "$POOLTOP" --batch sh -c 'kill -KILL $$' ::: a b
is "$status" 2 "items killed by a signal count as failures"

run "$POOLTOP" --batch -j 4 --range=1..100 false
is "$status" 100 "100 failed items give status 100"

run "$POOLTOP" --batch -j 4 --range=1..101 false
is "$status" 101 "101 failed items give status 101"

run "$POOLTOP" --batch -j 4 --range=1..150 false
is "$status" 101 "150 failed items still give status 101"

run "$POOLTOP" --batch -j 4 --range=1..150 sh -c '[ $1 -le 140 ]' sh
is "$status" 10 "10 failures among 150 items give status 10"

# --- commands that cannot run -------------------------------------------------

run "$POOLTOP" --batch -k --joblog=missing.log ./no-such-command ::: a b c
is "$status" 3 "a missing command fails each of 3 items: status 3"
is "$(grep -c 'pooltop: item [123]: ./no-such-command: command not found' <<< "$errors")" 3 \
	"each item's failure is one 'pooltop: ' line saying the command is not found"
is "$(exitvals missing.log)" "127 127 127 " "the joblog records exit status 127, as a shell would"

printf 'echo never\n' > not-executable
chmod 644 not-executable
run "$POOLTOP" --batch --joblog=noexec.log ./not-executable ::: a b
is "$status" 2 "a command that is not executable fails each item: status 2"
like "$errors" "pooltop: item 1: .*(permission denied|not executable)" \
	"the message says the command cannot be executed"
is "$(exitvals noexec.log)" "126 126 " "the joblog records exit status 126"

run "$POOLTOP" --batch --joblog=mixed.log sh -c '"$1"' sh ::: true ./no-such-command ./not-executable true
is "$status" 2 "a run with commands missing and not executable goes on with the others"
is "$(exitvals mixed.log)" "0 127 126 0 " "each item's own status is recorded"

run "$POOLTOP" --batch --shell 'no-such-command-either' ::: a
is "$status" 1 "with --shell a missing command fails the item through the shell"

done_testing

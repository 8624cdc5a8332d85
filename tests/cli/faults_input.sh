#!/bin/bash
# tests/cli/faults_input.sh - input that is not what pooltop expects is
# never lost in silence: an item over --max-line is refused in bounded
# memory, a NUL inside a line is warned about as xargs does, pooltop's own
# messages never pass control characters to the terminal, and a file that
# is not a joblog is refused before anything runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# no_control_bytes FILE: FILE holds no control character but newlines.
no_control_bytes() {
	[ "$(LC_ALL=C tr -d '[:print:]\n' < "$1" | wc -c)" = 0 ]
}

# A job that sleeps a little, so that it is still running when pooltop
# meets the next item, and leaves a file behind once it has finished.
cat > slow_mark.sh << 'EOF'
#!/bin/sh
sleep 0.3
touch "ran.$1"
EOF
chmod +x slow_mark.sh

# --- an item longer than --max-line ---------------------------------------

long_line=$(head -c 200000 /dev/zero | tr '\0' x)
printf 'first\n%s\nthird\n' "$long_line" > long.txt
run "$POOLTOP" --batch -j 2 --max-line=100K -a long.txt ./slow_mark.sh {#}
is "$status" 255 "an item over --max-line: exit status 255, as other input errors"
like "$errors" "^pooltop: item 2 is longer than --max-line \(102400 bytes\)" \
	"the message names the item's position and the limit"
is "$(grep -c . "$TEST_DIR/run.err")" 1 "the refusal is told once"
ok '[ -e ran.1 ]' "the job already running when the item was met finished"
ok '[ ! -e ran.2 ] && [ ! -e ran.3 ]' "neither the long item nor any after it ran"

run "$POOLTOP" --batch --max-line=100K -a long.txt true
like "$errors" "item 2 is longer" "without a delimiter after it, the same line is refused"

# A line of 100 MB without a newline: memory stays within a small multiple
# of the limit (it took about 300 MB before the limit existed).
if ! memory_is_pooltops; then
	skip "memory is measured without a wrapper or sanitizers" 2
elif [ ! -x /usr/bin/time ]; then
	skip "/usr/bin/time is not installed (Debian package time)" 2
else
	head -c 100000000 /dev/zero | tr '\0' x |
		/usr/bin/time -f '%M' -o peak.kb "$POOLTOP" --batch --max-line=1M echo \
			> huge.out 2> huge.err
	like "$(cat huge.err)" "item 1 is longer than --max-line \(1048576 bytes\)" \
		"a 100 MB line is refused at a 1 MiB --max-line"
	peak=$(tail -n 1 peak.kb)
	ok '[ "$peak" -lt 65536 ]' "pooltop's peak memory stays under 64 MiB (it was ${peak} KiB)"
fi

# Endless input without a delimiter ends promptly instead of growing.
head -c 50000000 /dev/zero | tr '\0' y | "$POOLTOP" --batch --max-line=64K true \
	> /dev/null 2> endless.err &
pid=$!
wait_exit "$pid" 30
is "$status" 255 "input with no delimiter in sight ends with 255 at the limit"
like "$(cat endless.err)" "item 1 is longer than --max-line \(65536 bytes\)" \
	"and says which limit it met"

# --- a NUL inside a newline-delimited item --------------------------------

printf 'a\0b\nplain\nc\0d\n' > nul.txt
run "$POOLTOP" --batch -k -a nul.txt echo
is "$status" 0 "items holding a NUL still run; the exit status is unchanged"
is "$output" $'a\nplain\nc' "each item is cut at its NUL, as xargs passes it"
like "$errors" "^pooltop: warning: a NUL character occurred in the input \(item 1\)" \
	"a warning names the first item cut"
is "$(grep -c NUL "$TEST_DIR/run.err")" 1 "the warning is given once"

printf 'a\0b\0' > null.bin
run "$POOLTOP" --batch -k -0 -a null.bin echo
is "$errors" "" "NUL-separated items (-0) bring no warning"

# --- pooltop's messages escape control characters -------------------------

# Two words: a command of one word holding shell syntax (here ;) would be
# a shell command line, and the shell would name it.
run "$POOLTOP" --batch $'\e]0;owned\a' x ::: a
ok 'no_control_bytes "$TEST_DIR/run.err"' "a command named by an escape sequence is named escaped"
like "$errors" '\\x1b\]0;owned\\x07' "...as the TUI shows it"

run "$POOLTOP" --batch {} ::: $'\e[31mred'
ok 'no_control_bytes "$TEST_DIR/run.err"' "an item that fails to start is named escaped"
like "$errors" 'item 1: \\x1b\[31mred: ' "...and still recognisable"

run "$POOLTOP" --batch --resume --joblog=$'nowhere\e[2J/at.log' true ::: a
ok 'no_control_bytes "$TEST_DIR/run.err"' "a joblog's name in a message is escaped"

run "$POOLTOP" --batch -a $'missing\e[5m' true
ok 'no_control_bytes "$TEST_DIR/run.err"' "a missing -a file's name is escaped"

run "$POOLTOP" --batch -j $'\e[1m' true ::: a
ok 'no_control_bytes "$TEST_DIR/run.err"' "a usage error quoting its argument escapes it"

# --- a joblog that is not a joblog ----------------------------------------

header=$'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand'
job_line() { printf '%s\t:\t1795577827.895\t     0.006\t0\t2\t%s\t0\techo %s\n' "$1" "$2" "$1"; }

# refused DESCRIPTION LINE_NUMBER OPTION: --OPTION with the joblog in
# notes.log ends with 255, names the file and the line, and runs nothing.
refused() {
	local description=$1 line=$2 option=$3
	cp notes.log notes.before
	rm -f started
	run "$POOLTOP" --batch "$option" --joblog=notes.log touch started ::: a b
	is "$status" 255 "$description: exit status 255"
	like "$errors" "^pooltop: the format of the joblog 'notes\.log' is wrong: line $line " \
		"$description: the message names the file and line $line"
	ok '[ ! -e started ]' "$description: nothing ran"
	ok 'cmp -s notes.log notes.before' "$description: the file is left as it was"
}

printf 'shopping list\nmilk\n' > notes.log
refused "a text file given to --resume" 1 --resume
{ echo "$header"; job_line 1 0; echo "garbage"; job_line 3 0; } > notes.log
refused "a line that does not parse" 3 --resume-failed
# GNU parallel's --joblog +FILE starts a log without the header: it is read
# from its first job.
{ job_line 1 0; job_line 2 0; } > headless.log
run "$POOLTOP" --batch -k --resume --joblog=headless.log echo ran ::: a b c
is "$status|$output" "0|ran c" "a log without its header (as parallel's +FILE) is resumed from"

# A log torn by a kill in the middle of its last line is still a log: the
# torn line is dropped and its item runs again.
{ echo "$header"; job_line 1 0; printf '2\t:\t17955'; } > torn.log
run "$POOLTOP" --batch -k --resume --joblog=torn.log echo ::: a b c
is "$status" 0 "a torn last line is no reason to refuse the log"
is "$output" $'b\nc' "the items after the last whole line run again"
run "$POOLTOP" --batch -k --resume --joblog=torn.log echo ::: a b c
is "$status:$output" "0:" "the log written after it resumes cleanly"

done_testing

#!/bin/bash
# tests/cli/bad_input.sh - every usage mistake gets one line on stderr,
# "pooltop: " and what is wrong, exit status 255, and starts nothing (the
# command would create a file: it must not exist afterwards).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# refused DESCRIPTION WORD_PATTERN ARG...: run pooltop with ARG... and check
# the status, the single "pooltop: " line (which must match WORD_PATTERN),
# the empty stdout, and that no job ran.
refused() {
	local description=$1 pattern=$2
	shift 2
	rm -f started
	run "$POOLTOP" --batch "$@"
	is "$status" 255 "$description: exit status 255"
	if [ "$(wc -l < "$TEST_DIR/run.err")" = 1 ] && [[ $errors == "pooltop: "* ]]; then
		like "$errors" "$pattern" "$description: one 'pooltop: ' line naming the problem"
	else
		fail "$description: one 'pooltop: ' line naming the problem"
		diag "stderr was:" "$errors"
	fi
	ok '[ -z "$output" ] && [ ! -e started ]' "$description: nothing was started"
}

refused "an unknown flag" "--bogus" --bogus touch started ::: a
refused "an unknown short flag" "-Q" -Q touch started ::: a
refused "-j 0%" "jobs.*'0%'" -j 0% touch started ::: a
refused "-j abc" "jobs.*'abc'" -j abc touch started ::: a
refused "-j 99999999999" "jobs.*99999999999" -j 99999999999 touch started ::: a
refused "-j with no value" "-j.*value" -j
refused "--range 5..1..0" "range.*5\.\.1\.\.0" --range 5..1..0 touch started
refused "--range x" "range.*'x'" --range x touch started
refused "a missing -a file" "missing-file" -a missing-file touch started
refused "no command and no --demo" "command" --range=1..3
refused "only items after :::" "command" ::: a b
refused "a missing :::: file" "missing-list" --range=1..3 touch started ::: a :::: missing-list
refused "standard input as two sources" "standard input" touch started :::: - -
refused "--resume without --joblog" "joblog" --resume touch started ::: a
refused "--min-jobs above --max-jobs" "min-jobs" --min-jobs=4 --max-jobs=2 touch started ::: a
refused "a delimiter of two characters" "delimiter" -d ab touch started ::: a
refused "a bad --timeout" "timeout" --timeout=soon touch started ::: a
refused "a joblog that cannot be written" "joblog.*nowhere" \
	--joblog=nowhere/at/all.log touch started ::: a

# An -a FILE that opens but cannot be read (a directory) is as much a
# usage error as a missing one.
mkdir items.d
rm -f started
run "$POOLTOP" --batch -a items.d touch started
is "$status" 255 "-a DIRECTORY: exit status 255"
like "$errors" "^pooltop: .*(items|directory)" "-a DIRECTORY: a 'pooltop: ' line names the problem"
ok '[ -z "$output" ] && [ ! -e started ]' "-a DIRECTORY: nothing was started"

rm -f started
run "$POOLTOP"
is "$status" 255 "no arguments at all: exit status 255"
like "$errors" "^pooltop: " "no arguments at all: a 'pooltop: ' message"

done_testing

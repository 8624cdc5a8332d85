#!/bin/bash
# tests/cli/parallel_sources.sh - input sources as GNU parallel has them:
# each command line runs through both parallel and pooltop --batch, and
# the outputs must be the same (-k on both; sorted where the order is
# random): several :::, ::::, -a, :::+, ::::+, --link, --colsep, --trim,
# --header, --shuf; then what pooltop refuses before starting anything.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_command parallel
cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"
export HOME=$TEST_DIR  # parallel keeps its notes in ~/.parallel

# same_as_parallel INPUT DESCRIPTION ARG...: parallel -k ARG... and
# pooltop --batch -k ARG..., both with stdin from INPUT, print the same.
same_as_parallel() {
	local input=$1 description=$2
	shift 2
	local expected
	expected=$(parallel --will-cite -k "$@" < "$input" 2> parallel.err)
	run_with_input "$input" "$POOLTOP" --batch -k "$@"
	if [ "$status" -ne 0 ]; then
		diag "pooltop exited with $status: $errors"
	fi
	is "$output" "$expected" "$description"
}

# same_lines_as_parallel: as same_as_parallel, the lines compared sorted.
same_lines_as_parallel() {
	local input=$1 description=$2
	shift 2
	local expected
	expected=$(parallel --will-cite "$@" < "$input" 2> parallel.err | sort)
	run_with_input "$input" "$POOLTOP" --batch "$@"
	is "$(sort run.out)" "$expected" "$description"
}

run_with_input() {
	local input=$1
	shift
	"$@" < "$input" > run.out 2> run.err
	status=$?
	output=$(< run.out)
	errors=$(< run.err)
}

printf 'f1a\nf1b\n' > f1
printf 'f2a\nf2b\nf2c\n' > f2
printf 'g1\ng2\ng3\n' > f3
printf 's1\ns2\n' > stdin.txt
printf 'a\tb c\tlast\nd e\tf\t\n' > table.tsv
printf 'name,size,colour\napple,3,red\nplum,1,purple\n' > fruit.csv
: > empty

# --- combinations ----------------------------------------------------------------

same_as_parallel /dev/null "two ::: sources: every combination, the last varying fastest" \
	echo ::: a b ::: 1 2
same_as_parallel /dev/null "three ::: sources nest like three loops, {3}{2}{1} pick them" \
	echo {3}{2}{1} ::: a b ::: 1 2 ::: x y
same_as_parallel /dev/null ":::: FILE FILE: each file is one source" \
	echo :::: f1 f2
same_as_parallel /dev/null "-a twice: two sources" \
	-a f1 -a f2 echo
same_as_parallel stdin.txt "-a - is standard input, combined with another -a" \
	-a - -a f1 echo
same_as_parallel stdin.txt "-a - after another source is read whole and held" \
	-a f1 -a - echo
same_as_parallel stdin.txt ":::: - is standard input too" \
	echo :::: - ::: x y
same_as_parallel /dev/null "-a sources come before the ::: and :::: ones" \
	-a f1 echo ::: x :::: f2
same_as_parallel stdin.txt "with a ::: source, standard input is not read" \
	echo ::: x y
same_as_parallel /dev/null ":::+ pairs a source with the one before" \
	echo ::: a b c :::+ 1 2 3 ::: x y
same_as_parallel /dev/null ":::+ stops at the shorter of the pair" \
	echo ::: a b c :::+ 1 2
same_as_parallel /dev/null "a pair after the first source is combined with it" \
	echo ::: a b ::: x y :::+ 1 2 3
same_as_parallel /dev/null "::::+ pairs files with the source before" \
	echo :::: f1 ::::+ f3
same_as_parallel /dev/null "::::+ FILE FILE pairs both files" \
	echo ::: a b :::: f1 ::::+ f3 f2
same_as_parallel /dev/null "--link with unequal lengths: shorter sources wrap around" \
	--link echo ::: a b c ::: 1 2 ::: x
same_as_parallel /dev/null "--link wraps the first source too" \
	--link echo ::: a b ::: 1 2 3 4 5
same_as_parallel /dev/null "--xapply is --link" \
	--xapply -a f1 -a f2 echo
same_as_parallel /dev/null "an empty source among several is one empty argument" \
	echo ::: a b :::: empty
same_as_parallel /dev/null "a ::: word merely starting with colons is an item" \
	echo ::: a ':::b'
same_as_parallel /dev/null "a word holding ::: before the sources belongs to the command" \
	echo '::: x' ::: a
same_as_parallel /dev/null "--arg-sep changes ::: and :::+" \
	--arg-sep ,, echo ::: ,, a b ,,+ 1 2
same_as_parallel /dev/null "--arg-file-sep changes ::::" \
	--arg-file-sep // echo // f1 //+ f3
printf 'n\0u l\0' > nul.items
same_as_parallel /dev/null "-0 reads every file source NUL-separated" \
	-0 echo :::: nul.items ::: 'x y'

# --- columns and headers ------------------------------------------------------------

same_as_parallel /dev/null "--colsep '\\t' cuts each line at tabs into {1} {2} {3}" \
	--colsep '\t' echo {3}/{2}/{1} :::: table.tsv
same_as_parallel /dev/null "--colsep , keeps empty columns and trims white space" \
	--colsep , echo {1}/{2}/{3} ::: 'a,b' 'c,,d' 'e,' ' f , g '
same_as_parallel /dev/null "--colsep columns of each source follow each other" \
	--colsep - echo {4} {3} {2} {1} ::: A-B C-D ::: e-f g-h
same_as_parallel /dev/null "--colsep with a regular expression" \
	--colsep '[,;]+' echo {2}/{1} ::: 'a,;b' 'c;d'
same_as_parallel /dev/null "--trim n keeps the white space --colsep would trim" \
	--trim n --colsep , echo {1}/{2}/ ::: ' a , b '
same_as_parallel /dev/null "--trim l trims the left only" \
	--trim l --colsep , echo {1}/{2}/ ::: ' a , b '
same_as_parallel /dev/null "--header : names the columns of a CSV file" \
	--header : --colsep , echo {colour} {name}: {size} :::: fruit.csv
same_as_parallel /dev/null "--header : names ::: sources by their first word" \
	--header : echo {foo}-{bar} ::: foo a b ::: bar 1 2
same_as_parallel /dev/null "--header names count across sources" \
	--header : --colsep , echo {name}-{x}-{3}-{4} :::: fruit.csv ::: x y z
printf 'a\tb\n x \t y\n' > spaced.tsv
same_as_parallel /dev/null "--header alone cuts at tabs and trims nothing" \
	--header : echo '[{a}][{b}]' :::: spaced.tsv
same_as_parallel /dev/null "{name.} and {name/} take the modifiers" \
	--header : echo {path.} {path/} ::: path dir/file.txt

# --- --shuf ----------------------------------------------------------------------------

same_lines_as_parallel /dev/null "--shuf runs the same items" \
	--shuf echo ::: 1 2 3 4 5 6 7 8 9 10 ::: a b c
run "$POOLTOP" --batch -k --shuf -j 1 echo ::: $(seq 1 50)
isnt "$output" "$(seq 1 50)" "--shuf changes the order of 50 items"

# --- refused before anything starts ------------------------------------------------------

run "$POOLTOP" --batch echo started ::: a :::: /nonexistent/list
is "$status" 255 ":::: of a missing file is refused with 255"
like "$errors" "/nonexistent/list" "the message names the file"
is "$output" "" "nothing ran"

run "$POOLTOP" --batch -a /nonexistent/list -a f1 echo started
is "$status" 255 "-a of a missing file is refused too"

run_with_input fruit.csv "$POOLTOP" --batch --header 'colour' echo started
is "$status" 255 "--header REGEX that does not match a first line is refused"
like "$errors" "does not match --header" "the message says so"
is "$output" "" "nothing ran"

run "$POOLTOP" --batch echo {3} ::: a ::: b
is "$status" 255 "{3} with two sources is refused"
like "$errors" "argument 3" "the message names the placeholder"

run "$POOLTOP" --batch --colsep '(?=,)' echo ::: a
is "$status" 255 "a Perl-only --colsep is refused"
like "$errors" "Perl syntax" "the message says why"

run_with_input stdin.txt "$POOLTOP" --batch echo :::: - -
is "$status" 255 "standard input as two sources is refused"

# --- several arguments, shown -----------------------------------------------------------

run "$POOLTOP" --batch --joblog=jl.tsv -k echo ::: 'a b' c ::: 1
is "$status" 0 "a joblog run of two sources succeeds"
is "$(cut -f 9 jl.tsv | tail -n +2)" "$(printf '%s\n' "echo 'a b' 1" 'echo c 1')" \
	"the joblog's Command column quotes each argument"

done_testing

#!/bin/bash
# tests/cli/parallel_output.sh - the output options speak GNU parallel's
# language: --tag, --tagstring, --line-buffer, -u, --results, --files,
# --dry-run, -t and --verbose give what parallel gives for the same command
# line (sorted where the order is not defined), and what cannot be
# written is reported and ends the run with status 255.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"
# parallel keeps its state under $HOME: keep that in the test directory.
export HOME=$TEST_DIR
have_parallel=yes
command -v parallel > /dev/null 2>&1 || have_parallel=

# emit.sh ARG: a line on stdout and one on stderr, then an unfinished line.
cat > emit.sh << 'EOF'
#!/bin/sh
printf 'out %s\n' "$1"
printf 'err %s\n' "$1" >&2
printf 'last %s' "$1"
EOF
# store.sh ARG: one line on each stream, for the --results trees.
cat > store.sh << 'EOF'
#!/bin/sh
printf '%s\n' "$1"
printf 'e%s\n' "$1" >&2
EOF
# cr.sh: a progress line (\r), then an unfinished line.
printf '#!/bin/sh\nprintf "a\\rb\\nc"\n' > cr.sh
chmod +x emit.sh store.sh cr.sh

# compare HOW DESCRIPTION ARGS...: parallel ARGS and pooltop --batch ARGS
# write the same stdout (HOW: exact, or sort when the order is not
# defined); the streams stay in theirs.out, ours.out, theirs.err, ours.err.
compare() {
	local how=$1 description=$2
	shift 2
	if [ -z "$have_parallel" ]; then
		skip "GNU parallel is not installed (Debian package parallel)" 1
		return
	fi
	parallel --will-cite "$@" < /dev/null > theirs.out 2> theirs.err
	"$POOLTOP" --batch "$@" < /dev/null > ours.out 2> ours.err
	if [ "$how" = sort ]; then
		LC_ALL=C sort -o theirs.out theirs.out
		LC_ALL=C sort -o ours.out ours.out
	fi
	if cmp -s theirs.out ours.out; then
		pass "$description"
	else
		fail "$description"
		diag "parallel $*" "$(diff theirs.out ours.out | head -n 20)" "$(head -n 5 ours.err)"
	fi
}

# same_errors DESCRIPTION: the last compare wrote the same stderr, sorted.
same_errors() {
	if [ -z "$have_parallel" ]; then
		skip "GNU parallel is not installed (Debian package parallel)" 1
		return
	fi
	is "$(LC_ALL=C sort ours.err)" "$(LC_ALL=C sort theirs.err)" "$1"
}

# Items of several arguments come from several input sources: the cases
# that need them run once the build reads `::: a ::: b` as two sources.
several_sources=
[ "$("$POOLTOP" --batch echo ::: a ::: 1 2> /dev/null)" = "a 1" ] && several_sources=yes
compare_sources() {
	if [ -z "$several_sources" ]; then
		skip "items of several arguments need several input sources (::: A ::: B)" 1
		return
	fi
	compare "$@"
}

# --- --tag and --tagstring ------------------------------------------------------

compare sort "--tag puts the arguments and a TAB before each line" --tag echo ::: a 'b c'
compare exact "--tag tags stdout, and its last line without a newline" -k --tag ./emit.sh ::: x y
same_errors "--tag tags stderr lines too"
compare exact "--tag tags after a carriage return as well" -k --tag ./cr.sh ::: p q
compare exact "--tagstring expands placeholders" -k --tagstring 'T{}-{#}' echo ::: a b
compare exact "--tagstring without placeholders is used as it is" -k --tagstring FIX echo ::: a b
compare exact "-u passes output on untagged" -j1 -u --tag echo ::: a b
compare_sources sort "--tag joins several arguments with spaces" --tag echo ::: a b ::: 1 2

# --- --dry-run, -t, --verbose ----------------------------------------------------

compare exact "--dry-run prints each command shell-quoted, as parallel" \
	-k --dry-run echo ::: 'a b' "c'd" 'e$f' g '' "'" 'x*'
compare exact "--dry-run with --tag tags the command" -k --dry-run --tag echo ::: a b
compare exact "--dry-run with -t prints it on stdout" -k --dry-run -t echo ::: a
same_errors "and on stderr"
compare sort "-t runs the commands" -t echo ::: a 'b c'
same_errors "-t prints each command on stderr"
compare sort "--verbose runs the commands" --verbose echo ::: a 'b c'
same_errors "--verbose prints each command on stderr, as -t"
compare_sources exact "--dry-run with several arguments" -k --dry-run echo {2} {1} ::: a b ::: 1

rm -f made
run "$POOLTOP" --dry-run touch made ::: x
is "$status" 0 "--dry-run succeeds without a terminal"
is "$output" "touch made x" "it prints the command"
ok '[ ! -e made ]' "and runs nothing"
run "$POOLTOP" --dry-run --worker cat
is "$status" 255 "--dry-run with --worker is refused"
like "$errors" "^pooltop: --dry-run prints commands" "in one line"

# --- --line-buffer and -u ----------------------------------------------------------

# first.sh writes a line and begins another, waits until second.sh's line
# is in the output file, then ends its line; second.sh waits for the
# first line.  Whole lines interleave with --line-buffer; with -u even the
# half line is passed on at once.  Grouped output would make both wait
# out their bounded polls and give another order.
cat > first.sh << 'EOF'
#!/bin/sh
printf 'A1\nA2-'
tries=0
while ! grep -q B1 "$1" && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done
printf 'half\n'
EOF
cat > second.sh << 'EOF'
#!/bin/sh
tries=0
while ! grep -q "$2" "$1" && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done
printf 'B1\n'
EOF
chmod +x first.sh second.sh

# live COMMAND...: run COMMAND with its stdout in live.out (which the jobs read).
live() {
	: > live.out
	"$@" > live.out 2> live.err < /dev/null
	status=$?
}
live "$POOLTOP" --batch -j 2 --lb sh -c 'exec ./$0 live.out A1' ::: first.sh second.sh
is "$status" 0 "--line-buffer: two jobs whose lines wait for each other succeed"
is "$(cat live.out)" "$(printf 'A1\nB1\nA2-half')" "their whole lines interleave as they come"
if [ -n "$have_parallel" ]; then
	live parallel --will-cite -j 2 --lb ./{} live.out A1 ::: first.sh second.sh
	is "$(cat live.out)" "$(printf 'A1\nB1\nA2-half')" "as with parallel --line-buffer"
else
	skip "GNU parallel is not installed (Debian package parallel)" 1
fi
live "$POOLTOP" --batch -j 2 -u sh -c 'exec ./$0 live.out A2-' ::: first.sh second.sh
is "$(cat live.out)" "$(printf 'A1\nA2-B1\nhalf')" "-u passes even half lines on as they come"
live "$POOLTOP" --batch -j 2 --lb --tag sh -c 'exec ./$0 live.out A1' ::: first.sh second.sh
is "$(cat live.out)" "$(printf 'first.sh\tA1\nsecond.sh\tB1\nfirst.sh\tA2-half')" \
	"--line-buffer with --tag tags each line"

compare exact "--line-buffer: a last line without a newline is passed on" --lb ./emit.sh ::: x
compare exact "-k --line-buffer gives the jobs' lines in input order" -k --lb ./emit.sh ::: x y z

# Every byte arrives, through the non-blocking queue and its pauses.
for mode in --lb -u; do
	run "$POOLTOP" --batch -j 3 "$mode" sh -c 'yes $0 | head -c 3000000' ::: 1 2 3
	counts=$(sort run.out | uniq -c | awk '{ print $1 * 2 ":" $2 }' | tr '\n' ' ')
	is "$status:$counts" "0:3000000:1 3000000:2 3000000:3 " "$mode passes on every line of 3 MB per job"
done

# --- --results -------------------------------------------------------------------------

items=(a 'b/c' 'd e' "x'y" 'a\b' "$(printf 'tab\tx')" 'é')
if [ -n "$have_parallel" ]; then
	rm -rf theirs ours
	parallel --will-cite --results theirs ./store.sh ::: "${items[@]}" > theirs.out 2>&1
	run "$POOLTOP" --batch --results ours ./store.sh ::: "${items[@]}"
	is "$status" 0 "--results: the jobs succeed"
	diff_tree=$(diff -r theirs ours 2>&1)
	is "$diff_tree" "" "--results writes parallel's tree: DIR/1/ITEM/stdout, stderr, seq, with / and \\ escaped"
	is "$output$errors" "$(cat theirs.out)" "and prints nothing, as parallel"
	rm -rf theirs ours
	parallel --will-cite --results 'theirs_{}' echo ::: foo bar > /dev/null 2>&1
	"$POOLTOP" --batch --results 'ours_{}' echo ::: foo bar
	is "$(cat ours_foo ours_bar.seq; ls ours_* | sed 's/^ours/x/')" \
		"$(cat theirs_foo theirs_bar.seq; ls theirs_* | sed 's/^theirs/x/')" \
		"--results with a placeholder names each job's files"
	parallel --will-cite --results 'theirs_dir_{}/' echo ::: foo > /dev/null 2>&1
	"$POOLTOP" --batch --results 'ours_dir_{}/' echo ::: foo
	diff_tree=$(diff -r theirs_dir_foo ours_dir_foo 2>&1)
	is "$diff_tree" "" "or its directory, when the name ends in /"
	if [ -n "$several_sources" ]; then
		parallel --will-cite --results theirs echo ::: a b ::: 1 2 > /dev/null 2>&1
		"$POOLTOP" --batch --results ours echo ::: a b ::: 1 2
		is "$(diff -r theirs ours 2>&1)" "" "several sources make DIR/1/A/2/B"
	else
		skip "items of several arguments need several input sources (::: A ::: B)" 1
	fi
else
	skip "GNU parallel is not installed (Debian package parallel)" 7
fi

touch blocker
run "$POOLTOP" --batch --results blocker echo ::: a
is "$status" 255 "--results that cannot be written ends the run with 255"
like "$errors" "^pooltop: cannot make the directory 'blocker/1/a': Not a directory" "and says why"
run "$POOLTOP" --batch --results out.csv echo ::: a
is "$status:$errors" "255:pooltop: --results to a CSV, TSV or JSON file ('out.csv') is not supported: give a directory" \
	"--results to a CSV file is refused in one line"

# --- --files ------------------------------------------------------------------------------

mkdir -p files
run "$POOLTOP" --batch -k --files --tmpdir files ./store.sh ::: a b
is "$status" 0 "--files: the jobs succeed"
names_ok=yes
contents=
while IFS= read -r name; do
	[[ $name =~ ^files/par[[:alnum:]]+\.par$ ]] || names_ok=no
	contents+=$(cat "$name")
done <<< "$output"
is "$names_ok:$(wc -l <<< "$output")" "yes:2" "it prints one file name per job, in --tmpdir"
is "$contents" "ab" "each file holds its job's stdout"
is "$errors" "$(printf 'ea\neb')" "stderr is passed on (parallel drops it)"
TMPDIR=$TEST_DIR/files run "$POOLTOP" --batch --files --tag echo ::: t
like "$output" "^t	$TEST_DIR/files/par[[:alnum:]]+\\.par$" "--files uses \$TMPDIR, and --tag tags the name"
run "$POOLTOP" --batch --files --tmpdir "$TEST_DIR/none" echo ::: a
is "$status" 255 "--files where no file can be made ends with 255"
like "$errors" "^pooltop: cannot make a file in '$TEST_DIR/none'" "and says why"

done_testing

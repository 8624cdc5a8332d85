#!/bin/bash
# tests/cli/parallel_template.sh - GNU parallel's command-line language:
# the same command line run through parallel and through pooltop --batch
# gives the same output, for positional placeholders, several items per
# job (-n, -N, -m, -X, -L, -s, -I) and one-word shell commands; what
# pooltop refuses stops with one line before anything runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

require_command parallel
cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# args.sh prints its arguments, each in brackets, on one line: how many
# arguments a job got, and where each begins and ends, shows.
cat > args.sh << 'SCRIPT'
#!/bin/sh
for argument; do printf '[%s]' "$argument"; done
echo
SCRIPT
chmod +x args.sh

# Both run one job at a time and print in input order: parallel spreads
# the last items of -m and -X over its job slots, pooltop does not.
parallel_output() {
	parallel --will-cite -k -j 1 "$@" 2>&1
}
pooltop_output() {
	"$POOLTOP" --batch -k -j 1 "$@" 2>&1
}

# same_as_parallel DESCRIPTION ARG...: both give the same output.
same_as_parallel() {
	local description=$1
	shift
	is "$(pooltop_output "$@" < /dev/null)" "$(parallel_output "$@" < /dev/null)" "$description"
}

# same_as_parallel_stdin DESCRIPTION INPUT ARG...: the same with INPUT on stdin.
same_as_parallel_stdin() {
	local description=$1 input=$2
	shift 2
	is "$(pooltop_output "$@" <<< "$input")" "$(parallel_output "$@" <<< "$input")" "$description"
}

# like_sources DESCRIPTION 'PARALLEL ARGS' 'POOLTOP ARGS': parallel with
# two input sources, and pooltop with -N 2 and the same pairs in order;
# each an array's name.
like_sources() {
	local -n parallel_args=$2 pooltop_args=$3
	is "$(pooltop_output "${pooltop_args[@]}" < /dev/null)" \
		"$(parallel_output "${parallel_args[@]}" < /dev/null)" "$1"
}

# --- positions ----------------------------------------------------------------

same_as_parallel "{1}-{2} picks one argument each" echo {1}-{2} ::: a b ::: 1 2
same_as_parallel "{-1} is the last argument, {-2} the one before" ./args.sh {-1} {-2} {1} ::: a b ::: 1 2
same_as_parallel "the modifiers work on positions" \
	./args.sh {1.} {1/} {1//} {1/.} {2.} {2/} {2//} {2/.} ::: dir/a.x d.2/b.y.z ::: e/f.g h
same_as_parallel "{} with two sources is every argument, each modified" ./args.sh x{}y {.} ::: a.c b ::: 1 2.d
same_as_parallel "with no placeholder, each argument is appended" ./args.sh ::: 'a b' c ::: 1 "it's"
same_as_parallel "three sources, positions in a one-word command" './args.sh {3}{1} "{2}"' ::: a ::: 'b c' ::: "it's"
# pooltop's -N 2 over the pairs a 1, a 2, b 1, b 2 makes the same jobs as
# parallel's two sources.
p=(./args.sh {2} {1} ::: a b ::: 1 2); q=(-N 2 ./args.sh {2} {1} ::: a 1 a 2 b 1 b 2)
like_sources "-N 2 over pairs gives the jobs of two sources" p q

# --- several items per job -------------------------------------------------------

same_as_parallel "-N2 echo {2} {1}: the last job's missing {2} is no argument" \
	-N2 ./args.sh {2} {1} ::: a b c
same_as_parallel "-n3 echo gives three items per job" -n3 echo ::: 1 2 3 4 5 6 7
same_as_parallel "-n2 with {}: every item of the job" -n 2 ./args.sh x{}y ::: a b c
same_as_parallel "-X repeats the word holding {} for each item" -X ./args.sh pre{}post ::: a b c
same_as_parallel "-X with two placeholders in one word" -X ./args.sh x{}y{.}z {#} ::: a.1 b.2
same_as_parallel "-m gives as many items as fit" -m ./args.sh ::: a b c
same_as_parallel "-m with {} in a word" -m ./args.sh pre{}post ::: a b c
numbers=$(seq 1 300)
same_as_parallel_stdin "-m -s 50 fills command lines of 50 bytes" "$numbers" -m -s 50 echo
same_as_parallel_stdin "-X -s 60 fills command lines of 60 bytes" "$numbers" -X -s 60 echo x{}y
run "$POOLTOP" --batch -k -j 2 -m echo ::: $(seq 1 30000)
is "$(tr ' ' '\n' <<< "$output")" "$(seq 1 30000)" "-m with the default limit runs every item once, in order"
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' <<< "$output")
ok "[ $(wc -l <<< "$output") -ge 2 ] && [ $longest -le 131072 ]" \
	"-m cuts command lines at 128 KiB ($(wc -l <<< "$output") jobs, longest $longest bytes)"
same_as_parallel "-I @@ stands for the item, and {} is left alone" -I @@ ./args.sh @@ {} {.} ::: a.x b
same_as_parallel "-I @@ with -X" -X -I @@ ./args.sh -@@- ::: a b
lines=$(printf 'a b\nc  d\ne\nf\ng')
same_as_parallel_stdin "-L 2 gives two lines per job, each one argument" "$lines" -L 2 ./args.sh
same_as_parallel_stdin "-L 2 with {} repeats the word (implied -X)" "$lines" -L 2 ./args.sh x{}y
same_as_parallel_stdin "-L 2 -m: no context replace" "$lines" -L 2 -m ./args.sh x{}y

# --- a command in one word is a shell command line --------------------------------

items=('a b' "it's" '$HOME' 'x;y' '"q"' 'back`slash\' '  two  spaces ')
export TEMPLATE_VALUE='v a l'
script='./args.sh {} "$TEMPLATE_VALUE" && ./args.sh {#}{} >> log.$PPID_NAME'
is "$(PPID_NAME=pooltop pooltop_output "$script" ::: "${items[@]}")" \
	"$(PPID_NAME=parallel parallel_output "$script" ::: "${items[@]}")" \
	"a one-word command with && and \$VAR runs through sh, every item one quoted argument"
is "$(< log.pooltop)" "$(< log.parallel)" "> redirects in a one-word command, as in parallel"
same_as_parallel "a one-word command without placeholder appends the quoted items" \
	'./args.sh "$TEMPLATE_VALUE"' ::: "${items[@]}"
same_as_parallel "a one-word command with -m quotes each item" -m './args.sh {} | cat' ::: "${items[@]}"
same_as_parallel "a one-word command with -X quotes each item" -X './args.sh x{}y' ::: "${items[@]}"
same_as_parallel "a one-word command keeps braces parallel leaves alone" './args.sh {foo bar} {x} {}' ::: a
run "$POOLTOP" --batch -j 1 ./args.sh '$HOME' '{}' ::: 'a;b'
is "$output" '[$HOME][a;b]' "several words still run directly, with no shell"

# --- refusals -----------------------------------------------------------------------

# refused DESCRIPTION PATTERN ARG...: exit 255, one line matching PATTERN,
# and no job ran (the command would create the file ran).
refused() {
	local description=$1 pattern=$2
	shift 2
	rm -f ran
	run "$POOLTOP" --batch "$@"
	ok "[ $status = 255 ] && [ $(wc -l <<< "$errors") = 1 ] && [ ! -e ran ]" \
		"$description: refused, nothing run (status $status)"
	like "$errors" "^pooltop: .*$pattern" "$description: the message names it"
}
refused "a perl expression" "'\{=s/a/b/=\}'.*perl" sh -c 'touch ran' {=s/a/b/=} ::: a
refused "a --plus placeholder" "'\{\.\.\}'.*--plus" sh -c 'touch ran' {..} ::: a
refused "{+/}" "'\{\+/\}'.*--plus" sh -c 'touch ran' {+/} ::: a
refused "{slot}, with the pooltop way" "\{%\}" 'touch ran; echo {slot}' ::: a
refused "a dynamic --plus replacement string" "'\{:-x\}'" sh -c 'touch ran' {:-x} ::: a
refused "{3} with two arguments per job" "'\{3\}'.*2 arguments" -N 2 sh -c 'touch ran' {3} ::: a b
refused "{2} with one argument per job" "'\{2\}'.*1 argument" sh -c 'touch ran' {2} ::: a
refused "{0}" "'\{0\}'.*from 1" sh -c 'touch ran' {0} ::: a
refused "-n with --worker" "--worker" --worker -n 2 cat ::: a
refused "-n with two sources" "several input sources" -n 2 touch ran ::: a b ::: 1 2
refused "-X with two sources" "several input sources" -X touch ran ::: a b ::: 1 2
refused "a --max-chars beyond the system's limit" "max-chars" -s 999999999999 touch ran ::: a

run "$POOLTOP" --batch -j 1 echo '${#x}' ::: a
is "$output" '${#x} a' "\${...} is the shell's, not a --plus placeholder"

done_testing

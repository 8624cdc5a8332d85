#!/bin/bash
# tests/cli/items.sh - where items come from (stdin, -a, --range, :::, -0,
# -d) and that each one reaches the command whole: one argument, byte for
# byte, whatever it holds; in worker mode, one line to a long-lived worker.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# run_input FILE COMMAND...: as run, with stdin from FILE.
run_input() {
	local input=$1
	shift
	"$@" < "$input" > "$TEST_DIR/run.out" 2> "$TEST_DIR/run.err"
	status=$?
	output=$(< "$TEST_DIR/run.out")
	errors=$(< "$TEST_DIR/run.err")
}

# lines WORD...: the words, one per line, to compare with output.
lines() {
	printf '%s\n' "$@"
}

# save.sh SEQ ITEM: writes ITEM into item.SEQ, and complains on stderr when
# it was not given exactly one item argument.
cat > save.sh << 'EOF'
#!/bin/sh
[ $# -eq 2 ] || echo "save.sh got $# arguments" >&2
printf '%s' "$2" > "item.$1"
EOF
chmod +x save.sh

# --- sources ------------------------------------------------------------------

printf 'apple\nbanana split\ncherry\n' > fruit.txt
run_input fruit.txt "$POOLTOP" --batch -k -j 2 echo item
is "$status" 0 "three items from stdin succeed"
is "$output" "$(lines 'item apple' 'item banana split' 'item cherry')" \
	"each line of stdin is one item, appended to the command"

printf 'first\nlast without newline' > no_newline.txt
run_input no_newline.txt "$POOLTOP" --batch -k echo
is "$output" "$(lines first 'last without newline')" \
	"a last line without a newline is still an item"

run "$POOLTOP" --batch -k -a fruit.txt echo got
is "$output" "$(lines 'got apple' 'got banana split' 'got cherry')" \
	"-a FILE reads the items from FILE"

run "$POOLTOP" --batch -k --arg-file=fruit.txt echo
is "$output" "$(lines apple 'banana split' cherry)" "--arg-file=FILE does the same"

run "$POOLTOP" --batch -k --range=1..5 echo
is "$output" "$(lines 1 2 3 4 5)" "--range=1..5 gives 1 to 5, both ends included"

run "$POOLTOP" --batch -k --range=0..10..5 echo
is "$output" "$(lines 0 5 10)" "--range=0..10..5 steps by 5 and includes the end"

run "$POOLTOP" --batch -k --range=1..10..4 echo
is "$output" "$(lines 1 5 9)" "--range=1..10..4 stops before passing the end, like seq"

run "$POOLTOP" --batch -k --range=3..1 echo
is "$output" "$(lines 3 2 1)" "--range=3..1 counts down"

run "$POOLTOP" --batch -k --range=10..0..-5 echo
is "$output" "$(lines 10 5 0)" "--range=10..0..-5 counts down by 5"

run "$POOLTOP" --batch -k --range=-2..2 echo
is "$output" "$(lines -2 -1 0 1 2)" "--range handles negative numbers"

run "$POOLTOP" --batch -k --range=7..7 echo
is "$output" "7" "--range=7..7 is one item"

run "$POOLTOP" --batch -k echo x ::: one 'two words' three
is "$output" "$(lines 'x one' 'x two words' 'x three')" \
	"items after ::: are taken one word each"

printf 'one\ntwo\0three\0' > nul.bin
run_input nul.bin "$POOLTOP" --batch -k -0 ./save.sh {#} {}
is "$status" 0 "-0 items with newlines inside succeed"
is "$(cat item.1)" "$(printf 'one\ntwo')" "-0 keeps a newline inside an item"
is "$(cat item.2)" "three" "-0 splits at NUL only"
ok '[ ! -e item.3 ]' "-0 input of two NUL-terminated items runs two jobs"

printf 'a b,c\nd,e' > commas.txt
run_input commas.txt "$POOLTOP" --batch -k -d , ./save.sh {#} {}
is "$(cat item.1)" "a b" "-d , splits at commas"
is "$(cat item.2)" "$(printf 'c\nd')" "-d , keeps newlines inside items"
is "$(cat item.3)" "e" "-d , takes the last item without a delimiter"
is "$errors" "" "save.sh was given exactly one item argument each time"

# --- nothing to do ------------------------------------------------------------

run "$POOLTOP" --batch touch started
is "$status" 0 "empty input exits with status 0"
is "$output$errors" "" "empty input prints nothing"
ok '[ ! -e started ]' "empty input runs no job"

run "$POOLTOP" --batch touch started :::
is "$status" 0 "no items after ::: exits with status 0"
ok '[ ! -e started ]' "no items after ::: runs no job"

# --- items reach the command whole --------------------------------------------

rm -f item.*
special_items=(
	'two  spaces and a	tab'
	"single 'quotes' and \"double\""
	'$HOME $(touch pwned) `touch pwned` ${x:-y}'
	'a; touch pwned; echo b && c || d | e > f < g & h'
	'back\slash \n \\ and * glob ? [ab] ~ # !'
	' leading and trailing spaces '
	'-n'
	'--help'
	'{} looks like a placeholder {#}'
)
printf '%s\0' "${special_items[@]}" > special.bin
run_input special.bin "$POOLTOP" --batch -0 ./save.sh {#} {}
is "$status" 0 "items full of shell syntax succeed"
is "$errors" "" "each was given as exactly one argument"
intact=0
for index in "${!special_items[@]}"; do
	[ "$(cat "item.$((index + 1))" 2> /dev/null)" == "${special_items[index]}" ] &&
		intact=$((intact + 1))
done
is "$intact" "${#special_items[@]}" "every item with spaces, quotes, \$, ; reached the command intact"
ok '[ ! -e pwned ]' "no item was interpreted by a shell"

head -c 76800 /dev/urandom | base64 -w 0 > big.txt
run_input big.txt "$POOLTOP" --batch ./save.sh 1 {}
is "$status" 0 "a 100 KiB item succeeds"
ok 'cmp -s big.txt item.1' "a 100 KiB item reaches the command intact"

printf '%0140000d\nsmall\n' 0 > huge.txt
rm -f item.*
run_input huge.txt "$POOLTOP" --batch -j 1 ./save.sh {#} {}
is "$status" 1 "an item over 128 KiB fails, and only that item"
like "$errors" "pooltop: item 1: .*(too long|128 KiB)" "the failure says the argument is too long"
is "$(cat item.2 2> /dev/null)" "small" "the run goes on with the next item"

# --- worker mode --------------------------------------------------------------

head -c 1048576 /dev/zero | tr '\0' 'm' > mebibyte.txt
echo >> mebibyte.txt
run_input mebibyte.txt "$POOLTOP" --batch --worker \
	sh -c 'while IFS= read -r line; do printf "%s\n" "${#line}"; done'
is "$status" 0 "a worker takes a 1 MiB item"
is "$output" "1048576" "the worker reads the 1 MiB item as one line of 1048576 bytes"

run_input mebibyte.txt "$POOLTOP" --batch --worker cat
ok 'cmp -s mebibyte.txt "$TEST_DIR/run.out"' \
	"a 1 MiB item and its result pass through a cat worker intact"

run "$POOLTOP" --batch -j 3 --range=1..20 --worker \
	sh -c 'while read -r x; do echo "$((x * x)) $$"; done'
is "$status" 0 "a shell worker answers 20 items"
is "$(cut -d ' ' -f 1 <<< "$output" | sort -n | tr '\n' ' ')" \
	"$(for x in $(seq 20); do printf '%d ' $((x * x)); done)" \
	"each of the 20 items has its one result line"
pids=$(cut -d ' ' -f 2 <<< "$output" | sort -u | wc -l)
ok '[ "$pids" -ge 1 ] && [ "$pids" -le 3 ]' \
	"20 items are answered by at most 3 long-lived worker processes ($pids)"

done_testing

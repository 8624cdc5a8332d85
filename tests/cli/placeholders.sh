#!/bin/bash
# tests/cli/placeholders.sh - GNU parallel's placeholders anywhere inside
# an argument, the item appended when there is none, commands run with no
# shell, and --shell with every value quoted.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# placeholder TEMPLATE ITEM: what `echo TEMPLATE` prints for ITEM.
placeholder() {
	run "$POOLTOP" --batch -j 1 echo "$1" ::: "$2"
	printf '%s' "$output"
}

# --- each placeholder ---------------------------------------------------------

item=dir/sub/file.tar.gz
is "$(placeholder '{}' "$item")" "dir/sub/file.tar.gz" "{} is the item"
is "$(placeholder '{.}' "$item")" "dir/sub/file.tar" "{.} drops the last extension"
is "$(placeholder '{/}' "$item")" "file.tar.gz" "{/} is the basename"
is "$(placeholder '{//}' "$item")" "dir/sub" "{//} is the directory"
is "$(placeholder '{/.}' "$item")" "file.tar" "{/.} is the basename without extension"
is "$(placeholder '{//}' plain)" "." "{//} of a bare name is ."
is "$(placeholder '{.}' plain)" "plain" "{.} of a name with no extension is the name"
is "$(placeholder '{.}' dir.d/plain)" "dir.d/plain" "{.} ignores a dot in a directory name"

# --- inside arguments ---------------------------------------------------------

is "$(placeholder 'pre-{/.}-post' "$item")" "pre-file.tar-post" \
	"a placeholder works inside an argument"
is "$(placeholder '--out={.}.png' photos/cat.jpg)" "--out=photos/cat.png" \
	"a placeholder works after an option's ="
is "$(placeholder '{#}:{}:{/}' a/b)" "1:a/b:b" \
	"several placeholders work in one argument"

run "$POOLTOP" --batch -k -j 1 echo {} {.} {/} ::: x.c y.h
is "$output" "$(printf 'x.c x x.c\ny.h y y.h')" "placeholders work in several arguments"

run "$POOLTOP" --batch -k -j 3 echo {#}={} ::: a b c d e
is "$output" "$(printf '1=a\n2=b\n3=c\n4=d\n5=e')" "{#} is the 1-based input position"

run "$POOLTOP" --batch -j 1 echo {%} ::: a b c
is "$output" "$(printf '1\n1\n1')" "{%} is 1 for every item with one worker"

run "$POOLTOP" --batch -j 3 echo {%} ::: a b c d e f g h i
slots=$(sort -u <<< "$output" | tr '\n' ' ')
like "$slots" '^(1 )(2 )?(3 )?$' "{%} is a slot number from 1 to 3 with -j 3 (saw $slots)"
is "$(wc -l <<< "$output")" 9 "every item ran"

# --- no placeholder -----------------------------------------------------------

run "$POOLTOP" --batch echo one two ::: item
is "$output" "one two item" "with no placeholder the item is the last argument"

run "$POOLTOP" --batch echo {x} ::: item
is "$output" "{x} item" "braces that are no placeholder stay as they are, and the item is appended"

run "$POOLTOP" --batch --shell 'echo one' ::: 'two three'
is "$output" "one two three" "--shell with no placeholder appends the item, quoted"

# --- no shell -----------------------------------------------------------------

mkdir precious
run "$POOLTOP" --batch -k printf '%s\n' ::: '$(touch pwned); rm -rf precious' '`touch pwned`'
is "$output" "$(printf '%s\n' '$(touch pwned); rm -rf precious' '`touch pwned`')" \
	"an item with shell syntax is passed literally"
ok '[ ! -e pwned ] && [ -d precious ]' "nothing in the item was run by a shell"

run "$POOLTOP" --batch echo '$HOME' '*' ::: x
is "$output" '$HOME * x' "the command's own words are not expanded either"

# --- --shell ------------------------------------------------------------------

run "$POOLTOP" --batch --shell 'echo {} | tr a-z A-Z' ::: shout
is "$output" "SHOUT" "--shell runs the command through sh (a pipe works)"

run "$POOLTOP" --batch --shell 'printf "%s|" {} {}; echo' ::: "it's \$HOME; rm -rf precious"
is "$output" "it's \$HOME; rm -rf precious|it's \$HOME; rm -rf precious|" \
	"--shell substitutes the item quoted: one word, taken literally, each time"
ok '[ -d precious ]' "the quoted item did not run as shell code"

run "$POOLTOP" --batch --shell 'printf "%s\n" {/.}' ::: 'my dir/a b.txt'
is "$output" "a b" "--shell quotes the value of every placeholder"

run "$POOLTOP" --batch --shell echo one {} '| tr a-z A-Z' ::: "a'b"
is "$output" "ONE A'B" "--shell joins the words of COMMAND into one script"

run "$POOLTOP" --batch --shell 'exit 3' ::: x
is "$status" 1 "--shell: a failing script fails the item"

done_testing

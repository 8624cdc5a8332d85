#!/bin/bash
# tests/cli/command_path.sh - a command is searched in $PATH once per name,
# as a shell hashes it, and behaves as execvp would: entries that are not
# executable files are passed over, a program moved away is found again,
# a script without #! runs through sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"
mkdir -p first second not-a-program
chmod +x second

cat > first/tool <<'SCRIPT'
#!/bin/sh
# Moves itself away on its first run: the next item must find second/tool.
rm -f "$0"
echo "first $1"
SCRIPT
cat > second/tool <<'SCRIPT'
#!/bin/sh
echo "second $1"
SCRIPT
chmod +x first/tool second/tool

run env PATH="$PWD/first:$PWD/second:$PATH" "$POOLTOP" --batch -j 1 -k tool ::: a b c
is "$status" 0 "a program removed from the path it was found in is looked up again"
is "$output" "first a
second b
second c" "the next items run the program found next in \$PATH"

mkdir -p not-a-program/tool
printf '#!/bin/sh\necho "not run"\n' > not-a-program/plain
cp second/tool second/plain
chmod -x not-a-program/plain
run env PATH="$PWD/not-a-program:$PWD/second:$PATH" "$POOLTOP" --batch -j 1 -k tool ::: a
is "$output" "second a" "a directory named like the command is passed over, as execvp does"
run env PATH="$PWD/not-a-program:$PWD/second:$PATH" "$POOLTOP" --batch -j 1 -k plain ::: a
is "$output" "second a" "a file that is not executable is passed over, as execvp does"

printf 'echo "no interpreter line: $1"\n' > second/bare
chmod +x second/bare
run env PATH="$PWD/second:$PATH" "$POOLTOP" --batch -j 2 -k bare ::: x y
is "$status" 0 "a script without #! runs"
is "$output" "no interpreter line: x
no interpreter line: y" "through sh, as execvp runs it"

run env PATH="$PWD/second" "$POOLTOP" --batch -j 2 -k nowhere-to-be-found ::: x y
is "$status" 2 "a command not on the path fails every item"
like "$errors" "command not found" "and says so"

rm -f second/tool
printf '#!/bin/sh\necho "replaced $1"\n' > second/tool
chmod +x second/tool
run env PATH="$PWD/second:$PATH" "$POOLTOP" --batch -j 2 -k "$PWD/second/tool" ::: p q
is "$output" "replaced p
replaced q" "a command given with a slash runs from where it is"

done_testing

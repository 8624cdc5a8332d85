#!/bin/bash
# The same command line gives the same output through pooltop -S and GNU
# parallel -S, both over the tests' private sshd with the same --ssh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
require_command parallel perl
sshd_start

# same_as_parallel DESCRIPTION ARGS...: stdout (sorted, as the order of
# parallel jobs is not defined) and exit status agree.  pooltop gets
# $pooltop_options first: --shell where parallel's command is a script
# (GNU parallel always hands its command to a shell; pooltop execs argv
# unless --shell).
pooltop_options=()
same_as_parallel() {
	local description=$1
	shift
	parallel --ssh "$SSH" "$@" < /dev/null > "$TEST_DIR/parallel.out" 2> "$TEST_DIR/parallel.err"
	local parallel_status=$?
	"$POOLTOP" --batch --ssh "$SSH" "${pooltop_options[@]}" "$@" < /dev/null > "$TEST_DIR/pooltop.out" 2> "$TEST_DIR/pooltop.err"
	local pooltop_status=$?
	is "$(sort "$TEST_DIR/pooltop.out")" "$(sort "$TEST_DIR/parallel.out")" "$description: the same output" ||
		diag "pooltop stderr: $(cat "$TEST_DIR/pooltop.err")"
	is "$pooltop_status" "$parallel_status" "$description: the same exit status"
}

same_as_parallel "echo of quoted items" -S testhost echo {} ::: 'a b' "c'd" '$HOME' '*' 'x;y' '`id`'
same_as_parallel "placeholders" -S testhost echo {.} {/} {//} {#} ::: /a/b.c /d/e.f
same_as_parallel "N/ slots and this machine too" -S 2/testhost,1/: echo ::: 1 2 3 4 5 6 7 8
pooltop_options=(--shell)
same_as_parallel "the remote login shell runs a script" \
	-S testhost 'echo {} $((6 * 7)) "$SHELL" | tr a-z A-Z' ::: x 'y z'
same_as_parallel "exit statuses count failures" -S testhost 'echo {}; exit {}' ::: 0 1 2 0
same_as_parallel "stderr stays apart from stdout" -S testhost 'echo out {}; echo err {} >&2' ::: 1 2
is "$(sort "$TEST_DIR/pooltop.err")" "$(sort "$TEST_DIR/parallel.err")" "stderr is the same too, markers stripped"

# Order is defined with -k: no sort.
parallel --ssh "$SSH" -k -S testhost echo ::: 3 1 2 > "$TEST_DIR/parallel.out" 2>&1
"$POOLTOP" --batch --ssh "$SSH" -k -S testhost echo ::: 3 1 2 > "$TEST_DIR/pooltop.out" 2>&1
is "$(cat "$TEST_DIR/pooltop.out")" "$(cat "$TEST_DIR/parallel.out")" "-k: the same output in the same order"

# Without -S nothing changes, and a wrong login is a usage error.
run "$POOLTOP" --batch -S '0/testhost' echo ::: 1
is "$status" 255 "a slot count of 0 is a usage error"
like "$errors" "^pooltop: invalid --sshlogin '0/testhost'" "...said in one line"
run "$POOLTOP" --batch -S testhost --worker cat
is "$status" 255 "-S with --worker is a usage error"
done_testing

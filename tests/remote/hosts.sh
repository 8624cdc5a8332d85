#!/bin/bash
# Local and remote slots in one pool: every item runs once, the joblog's
# Host column names where, --resume works across hosts, and a host that
# needs a password is reported unreachable while the others work.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start

# Both hosts get items: a local job waits (10 s at most) until a remote one
# ran (sshd gives those SSH_CONNECTION), whatever the connection's delay.
gate=$TEST_DIR/remote_ran
job="if [ -n \"\$SSH_CONNECTION\" ]; then touch $gate; fi; n=0; "
job+="while [ ! -e $gate ] && [ \$n -lt 200 ]; do sleep 0.05; n=\$((n + 1)); done; echo {}"
run "$POOLTOP" --batch --ssh "$SSH" -S 1/:,2/testhost --joblog="$TEST_DIR/joblog" --shell "$job" ::: $(seq 1 12)
is "$status" 0 "local plus remote slots: the run succeeds"
is "$(sort -n <<< "$output")" "$(seq 1 12)" "every item ran once"
hosts=$(tail -n +2 "$TEST_DIR/joblog" | cut -f 2 | sort | uniq -c | awk '{print $2}' | tr '\n' ' ')
is "$hosts" ": testhost " "the joblog's Host column names ':' and testhost"
is "$(tail -n +2 "$TEST_DIR/joblog" | wc -l)" 12 "one joblog line per item"
is "$(head -n 1 "$TEST_DIR/joblog" | cut -f 2)" "Host" "the header is GNU parallel's"

# --resume: items the joblog shows are not run again, whichever host ran them.
run "$POOLTOP" --batch --ssh "$SSH" -S 1/:,2/testhost --joblog="$TEST_DIR/joblog" --resume \
	--shell "$job" ::: $(seq 1 15)
is "$status" 0 "--resume across hosts: the run succeeds"
is "$(sort -n <<< "$output")" "$(seq 13 15)" "only the items the joblog lacks run"

# A login with no key: BatchMode refuses to prompt, the host is reported
# unreachable with ssh's own words, and the other host runs every item.
run "$POOLTOP" --batch --ssh "$SSH" -S nokeyhost,testhost echo ::: 1 2 3
is "$status" 0 "a host needing a password does not fail the run"
is "$(sort <<< "$output")" "$(printf '1\n2\n3')" "the other host ran every item"
like "$errors" "host nokeyhost is down \(unreachable: .*Permission denied" "it is reported unreachable with ssh's message"

# --ssh that cannot run: the host is down, said so; :: still runs.
run "$POOLTOP" --batch --ssh /nonexistent/ssh -S testhost,: echo ::: 1 2
is "$status" 0 "an ssh that is not there: the local host runs the items"
like "$errors" "host testhost is down \(unreachable: /nonexistent/ssh: command not found" "...and says why"
done_testing

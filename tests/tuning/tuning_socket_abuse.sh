#!/bin/bash
# tests/tuning/tuning_socket_abuse.sh - clients that misbehave never disturb
# the run: garbage, NUL bytes, a 1 MiB line, half a line, a crowd, a client
# that never writes, one that never reads, and one of another user.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

[ -x "$TUNING_PEER" ] || bail_out "$TUNING_PEER is not built (make check builds it)"

# peer_send TEXT [REPLIES]: send TEXT (printf format) as raw bytes; the
# replies in $replies.
peer_send() {
	replies=$(printf "$1" | "$TUNING_PEER" "$SOCK" send ${2:+"$2"})
}

healthy() {
	ctl status
	[ "$ctl_status" = 0 ] && [[ $reply =~ ^ok\ \{ ]]
}

start_pool -j2 --range=1..100000 --shell 'sleep 0.2; echo {}' || bail_out "pooltop did not start"

peer_send 'jobs 3\n' 1
is "$replies" "ok jobs 3" "a raw client gets one reply line per command"

peer_send 'jobs 3\nstatus\njobs 2\n' 3
is "$(wc -l <<< "$replies")" 3 "three commands in one write get three replies"
like "$(sed -n 3p <<< "$replies")" "^ok jobs 2$" "in order"

peer_send 'hello there\n' 1
like "$replies" "^error unknown command 'hello'" "garbage gets an error reply"

peer_send '\n' 1
is "$replies" "error empty command" "an empty line gets an error reply"

peer_send 'jobs\0 9\n' 1
is "$replies" "error NUL byte in command" "a NUL byte gets an error reply"
is "$(field target)" 2 "and changes nothing"

peer_send 'jobs 5\033[2J\n' 1
like "$replies" "^error binary data" "an escape sequence gets an error reply"
peer_send '\377\376\375\n' 1
like "$replies" "^error binary data" "bytes that are not text get an error reply"
peer_send 'status\r\n' 1
like "$replies" '^ok \{' "a CRLF line ending is accepted"

# A 1 MiB line: one error, then the connection still works.
{ head -c 1048576 /dev/zero | tr '\0' x; printf '\nstatus\n'; } |
	"$TUNING_PEER" "$SOCK" send 2 > "$TEST_DIR/long.out"
long_status=$?
is "$long_status" 0 "a 1 MiB line is read through"
like "$(sed -n 1p "$TEST_DIR/long.out")" "^error line too long" "it gets one error reply"
like "$(sed -n 2p "$TEST_DIR/long.out")" '^ok \{' "the next command on the same connection works"
is "$(wc -l < "$TEST_DIR/long.out")" 2 "and nothing else is said"

# A line of exactly 4095 bytes (4096 with its newline) is still a line;
# one byte more is not.
padding=$(head -c 4088 /dev/zero | tr '\0' ' ')
peer_send "status$padding \n" 1
like "$replies" '^ok \{' "a command padded to 4095 bytes is accepted"
peer_send "status$padding  \n" 1
like "$replies" "^error line too long" "at 4096 bytes before the newline it is too long"

# Half a line, then the client goes away: it is never run.
printf 'jobs 1' | "$TUNING_PEER" "$SOCK" send 0
healthy
ok $? "after half a line and a disconnect the run answers"
is "$(field target)" 2 "and the half line was not run"

# A client that connects and never writes blocks nobody.
mkfifo "$TEST_DIR/hold"
"$TUNING_PEER" "$SOCK" hold < "$TEST_DIR/hold" &
hold_pid=$!
exec 7> "$TEST_DIR/hold"
ctl jobs 4
is "$reply" "ok jobs 4" "with a silent client connected, others are served"
exec 7>&-
wait "$hold_pid"

# Fifty clients at once.
for i in $(seq 1 50); do
	"$POOLTOP" ctl "$SOCK" status > "$TEST_DIR/crowd.$i" 2>&1 &
done
wait_for 20 eval '[ "$(cat "$TEST_DIR"/crowd.* | grep -c "^ok {")" = 50 ]'
ok $? "fifty clients at once all get their status"

# A client that sends and never reads is dropped when its replies pile up.
run "$TUNING_PEER" "$SOCK" flood
is "$status" 0 "a client that never reads is dropped"
like "$output" "^dropped after" "(it was: $output)"
healthy
ok $? "and the run goes on answering"

# Another user may not connect: the file mode stops them, and the peer's
# uid is checked besides.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
	as_nobody() {
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
	}
	chmod 755 "$TEST_DIR"
	as_nobody "$POOLTOP" ctl "$SOCK" status > "$TEST_DIR/nobody.out" 2> "$TEST_DIR/nobody.err"
	is "$?" 255 "another user cannot connect to the socket (mode 0600)"
	like "$(cat "$TEST_DIR/nobody.err")" "Permission denied" "and is told permission is denied"

	# A socket of nobody's: root can open the file, the uid check refuses.
	mkdir "$TEST_DIR/nobody"
	chown nobody "$TEST_DIR/nobody"
	nobody_sock=$TEST_DIR/nobody/control.sock
	# setpriv itself in the background (not the function, whose subshell
	# would take $!), so that $! is the pooltop to stop at the end.
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		"$POOLTOP" --batch --control="$nobody_sock" --range=1..100000 --shell 'sleep 0.2' \
		< /dev/null > /dev/null 2>&1 &
	nobody_pid=$!
	at_exit "kill -9 $nobody_pid"
	# Listening, not just bound: anything but "nothing listens" (255).
	listening() { "$POOLTOP" ctl "$nobody_sock" status > /dev/null 2>&1; [ $? -ne 255 ]; }
	wait_for 10 listening
	ok $? "pooltop runs as nobody with its own socket"
	run "$POOLTOP" ctl "$nobody_sock" status
	is "$status" 1 "a peer of another uid gets an error reply"
	like "$output" "^error permission denied" "which says permission is denied"
	kill -TERM "$nobody_pid"
	wait "$nobody_pid"
else
	skip "the uid check needs root, setpriv and a nobody user" 6
fi

healthy
ok $? "after all that, the run still answers"
is "$(field target)" 4 "with the count it was given"
stop_pool
like "$pool_status" '^[1-4]$' "quit kill ends it (each killed item counts as failed)"
! grep -q "Out of memory\|out of memory" "$TEST_DIR/pool.err"
ok $? "pooltop never ran short of memory"

done_testing

# tests/tuning/tuning_lib.sh - helpers for the live tuning tests, sourced after
# tests/lib.sh: run a pooltop in the background with a control socket, talk
# to it with `pooltop ctl`, read fields of its status, wait for its exit.

# The raw socket client built for these tests (tests/tuning/tuning_peer.c).
: "${TUNING_PEER:=$top_builddir/tests/tuning/tuning_peer}"

SOCK=$TEST_DIR/control.sock
pool_pid=
pool_status=

# start_pool ARG...: run `pooltop --batch --control=$SOCK ARG...` in the
# background (stdout in $TEST_DIR/pool.out, stderr in pool.err) and wait
# until its socket answers.  Fails when it does not come up.
start_pool() {
	"$POOLTOP" --batch --control="$SOCK" "$@" < /dev/null \
		> "$TEST_DIR/pool.out" 2> "$TEST_DIR/pool.err" &
	pool_pid=$!
	at_exit "kill -9 $pool_pid"
	wait_for 15 _socket_answers && return 0
	diag "pooltop did not come up; its stderr:" "$(cat "$TEST_DIR/pool.err")"
	return 1
}

_socket_answers() {
	[ -S "$SOCK" ] && "$POOLTOP" ctl "$SOCK" status > /dev/null 2>&1
}

# ctl WORD...: `pooltop ctl $SOCK WORD...`; the reply in $reply, stderr in
# $ctl_errors, the exit status in $ctl_status.
ctl() {
	reply=$("$POOLTOP" ctl "$SOCK" "$@" 2> "$TEST_DIR/ctl.err")
	ctl_status=$?
	ctl_errors=$(< "$TEST_DIR/ctl.err")
}

# field NAME: the value of NAME in a fresh status reply (empty if none).
field() {
	local answer
	answer=$("$POOLTOP" ctl "$SOCK" status 2> /dev/null)
	status_field "$1" <<< "$answer"
}

# field_is NAME VALUE / field_at_least NAME N / field_at_most NAME N:
# conditions for wait_for.
field_is() {
	[ "$(field "$1")" = "$2" ]
}

field_at_least() {
	local value
	value=$(field "$1")
	[ -n "$value" ] && [ "${value%.*}" -ge "$2" ]
}

field_at_most() {
	local value
	value=$(field "$1")
	[ -n "$value" ] && [ "${value%.*}" -le "$2" ]
}

# wait_field TIMEOUT NAME VALUE DESCRIPTION: one TAP result: NAME reaches
# VALUE within TIMEOUT seconds.
wait_field() {
	if wait_for "$1" field_is "$2" "$3"; then
		pass "$4"
	else
		fail "$4"
		diag "  $2 is '$(field "$2")', expected '$3' within $1 s"
	fi
}

# wait_pool TIMEOUT: wait for the background pooltop to exit; its exit
# status in $pool_status (999 and a kill when it outlives TIMEOUT).  The
# test's own $status is left alone.
wait_pool() {
	local status
	wait_exit "$pool_pid" "$1" || diag "pooltop still ran after $1 s: killed it"
	pool_status=$status
}

# stop_pool: ask it to quit, killing its jobs, and wait for it.
stop_pool() {
	"$POOLTOP" ctl "$SOCK" quit kill > /dev/null 2>&1
	wait_pool 20
}

#!/bin/bash
# tests/tuning/tuning_socket.sh - the control socket end to end: every verb
# through `pooltop ctl`, its exit statuses, the socket's mode, and the
# socket file's life: created private, refused when taken, reused when
# stale, removed on every way out.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"

slow_item='sleep 2; echo {}'
# The same, noting each start's sequence number.
noted_item="echo {#} >> '$TEST_DIR/started'; $slow_item"

# --- verbs ----------------------------------------------------------------

start_pool -j1 --max-jobs=8 --range=1..1000 --shell "$noted_item" || bail_out "pooltop did not start"
ok '[ -S "$SOCK" ]' "--control creates a socket"
is "$(stat -c %a "$SOCK")" 600 "only its owner may use it (mode 0600)"

ctl status
is "$ctl_status" 0 "pooltop ctl status exits with 0"
like "$reply" '^ok \{.*\}$' "status answers ok and one JSON object"
for name in target running done failed queued total items_per_s paused autotune; do
	like "$reply" "\"$name\":" "the status has $name"
done
like "$reply" '"target":1,' "the status shows the target of -j1"

ctl jobs 4
is "$reply" "ok jobs 4" "jobs 4 answers ok jobs 4"
wait_field 10 running 4 "then four jobs run"
ctl jobs +2
is "$reply" "ok jobs 6" "jobs +2 adds two"
ctl jobs -3
is "$reply" "ok jobs 3" "jobs -3 takes three away"
ctl jobs 50
is "$reply" "ok jobs 8 (clamped to 1..8)" "a count over --max-jobs is clamped, and the reply says so"
is "$ctl_status" 0 "a clamped count is still ok"
ctl jobs 0
is "$reply" "ok jobs 1 (clamped to 1..8)" "a count under --min-jobs is clamped too"

ctl pause
is "$reply" "ok paused" "pause answers ok paused"
is "$(field paused)" true "status shows paused"
ctl resume
is "$reply" "ok resumed" "resume answers ok resumed"
is "$(field paused)" false "status shows running again"

ctl frobnicate
is "$ctl_status" 1 "an unknown command exits with 1"
like "$reply" "^error unknown command 'frobnicate'" "and the reply says error"
ctl jobs many
is "$ctl_status" 1 "jobs with a word exits with 1"
like "$reply" "^error jobs wants N, \+N or -N" "and says what jobs wants"

ctl autotune on
is "$reply" "ok autotune on" "autotune on works without --autotune"
is "$(field autotune)" true "status shows autotune on"
ctl jobs 2
is "$(field autotune)" false "a manual change turns autotune off"
ctl autotune off
is "$reply" "ok autotune off" "autotune off answers ok"

# kill SEQ: the job of a running item is killed; the item fails.  With
# the pool paused, the items started last are the ones still running.
ctl pause
for seq_to_kill in $(tail -n 8 "$TEST_DIR/started" | tac); do
	ctl kill "$seq_to_kill"
	[ "$ctl_status" = 0 ] && break
done
is "$reply" "ok killed $seq_to_kill" "kill SEQ kills the job running that item"
wait_for 10 field_at_least failed 1
ok $? "and the item counts as failed"
ctl kill 999999
is "$ctl_status" 1 "kill of an item that does not run is an error"
ctl resume

ctl quit
is "$reply" "ok quitting when running jobs finish" "quit answers before pooltop leaves"
wait_pool 20
is "$pool_status" 1 "pooltop ends after quit (one item failed: exit status 1)"
ok '[ ! -e "$SOCK" ]' "the socket is removed when pooltop ends"

# --- the client's own errors ------------------------------------------------

run "$POOLTOP" ctl "$SOCK" status
is "$status" 255 "ctl exits with 255 when there is no socket"
like "$errors" "^pooltop: ctl: no socket at" "and says there is no socket"
run "$POOLTOP" ctl "$SOCK"
is "$status" 255 "ctl without a command is a usage error (255)"
like "$errors" "usage: pooltop ctl SOCKET COMMAND" "and shows the usage"
long_path=$TEST_DIR/$(printf 'd%.0s' {1..120})
run "$POOLTOP" ctl "$long_path" status
is "$status" 255 "ctl refuses a socket path too long for a Unix socket"

# --- the socket file's life ---------------------------------------------------

# A regular file at the path is refused and left alone.
echo "precious" > "$SOCK"
run "$POOLTOP" --batch --control="$SOCK" --range=1..3 echo
is "$status" 255 "an existing file at the --control path is refused"
like "$errors" "exists and is not a socket" "the error says why"
is "$(cat "$SOCK")" "precious" "the file is left untouched"
is "$output" "" "no item runs"
rm -f "$SOCK"

# A path too long for a socket is an error before anything runs.
run "$POOLTOP" --batch --control="$long_path" --range=1..3 echo
is "$status" 255 "a --control path too long is refused"
like "$errors" "too long" "and the error says so"

# A socket another pooltop listens on is refused; the first keeps serving.
start_pool -j1 --range=1..1000 --shell "$slow_item" || bail_out "pooltop did not start"
first_pid=$pool_pid
run "$POOLTOP" --batch --control="$SOCK" --range=1..3 echo
is "$status" 255 "a socket in use by another pooltop is refused"
like "$errors" "in use" "and the error says it is in use"
ctl status
is "$ctl_status" 0 "the first pooltop still answers"

# Killed with SIGKILL, pooltop leaves its socket behind: the next run
# sees nobody listens on it and takes it over.
kill -9 "$first_pid"
wait "$first_pid" 2> /dev/null
ok '[ -S "$SOCK" ]' "SIGKILL leaves a stale socket"
run "$POOLTOP" ctl "$SOCK" status
is "$status" 255 "ctl on a stale socket exits with 255"
like "$errors" "nothing listens" "and says nothing listens"
start_pool -j1 --range=1..1000 --shell "$slow_item"
ok $? "a new pooltop reuses the stale socket"
ctl status
is "$ctl_status" 0 "and answers on it"

# SIGTERM twice: the jobs are killed and the socket removed.
kill -TERM "$pool_pid"
kill -TERM "$pool_pid"
wait_pool 20
is "$pool_status" 143 "SIGTERM ends pooltop with 143"
ok '[ ! -e "$SOCK" ]' "the socket is removed after SIGTERM"

# A run that ends by itself removes its socket too.
run "$POOLTOP" --batch --control="$SOCK" --range=1..3 echo
is "$status" 0 "a short run with --control succeeds"
is "$(sort <<< "$output")" $'1\n2\n3' "its items ran"
ok '[ ! -e "$SOCK" ]' "and its socket is gone"

# An error at start (here: no such command) still removes the socket.
run "$POOLTOP" --batch --control="$SOCK" --worker --range=1..3 -- /nonexistent/worker
isnt "$status" 0 "a run whose worker cannot start fails"
ok '[ ! -e "$SOCK" ]' "and leaves no socket behind"

done_testing

#!/bin/bash
# tests/tui/tuning.sh - live tuning while the terminal interface runs:
# signals, the control socket and the key a change the pool the view
# shows, and the view marks each change of the pool size.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"
require_tmux

tui_start 100 30 "$POOLTOP" -j1 --control="$SOCK" --range=1..1000 -- sh -c 'sleep 2'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 "1/1 jobs"
ok $? "the view starts with one worker"
wait_for 10 _socket_answers
ok $? "the control socket answers while the view runs"

kill -USR1 "$pooltop_pid"
tui_wait_text 10 "2/2 jobs"
ok $? "SIGUSR1 adds a worker in the view"
kill -USR2 "$pooltop_pid"
wait_field 10 target 1 "SIGUSR2 takes one away"

ctl jobs 3
is "$reply" "ok jobs 3" "jobs 3 through the socket"
tui_wait_text 10 "3/3 jobs"
ok $? "shows in the view"
tui_wait_text 5 "→3 at"
ok $? "and the history line marks the change of pool size"

tui_keys a
tui_wait_text 5 "ok autotune on"
ok $? "the key a turns autotune on"
is "$(field autotune)" true "as the status says"
tui_keys +
wait_for 10 field_is autotune false
ok $? "the key + is a manual change: autotune goes off"

ctl quit kill
tui_wait_exit 20
ok $? "quit kill through the socket ends the view"
ok '[ ! -e "$SOCK" ]' "and the socket is removed"

done_testing

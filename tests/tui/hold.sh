#!/bin/bash
# tests/tui/hold.sh - what is left when the run ends: without --hold the
# TUI closes by itself and the held output follows a summary line; with
# --hold the final screen stays until q; with stdout in a file the TUI
# shows and the file gets every result.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# --- output held while the TUI owns the terminal --------------------------------

tui_start 100 24 "$POOLTOP" -j 2 --range=1..6 -- sh -c 'sleep 0.3; echo "result of $0"'
tui_wait_text 10 "SLOT"
ok $? "the TUI shows while the items run"
unlike "$(tui_screen)" "^result of" "no job output is written over the TUI"
tui_wait_exit 30
ok $? "when every item is done, pooltop exits by itself"
is "$(tui_exit_status)" 0 "with status 0"
screen=$(tui_screen)
like "$screen" "pooltop: 6 done, 0 failed" "a summary line is left in the terminal"
after_summary=$(sed -n '/pooltop: 6 done/,$p' <<< "$screen" | grep -c '^result of [1-6]$')
is "$after_summary" 6 "the held output of all six items follows the summary"
unlike "$screen" "SLOT" "the TUI is gone from the terminal"

# --- --hold ------------------------------------------------------------------------

tui_stop
tui_start 100 24 "$POOLTOP" --hold -j 2 --range=1..4 -- sh -c 'test $0 != 3'
tui_wait_text 15 "press q to quit"
ok $? "with --hold, the final screen says the run is done"
screen=$(tui_screen)
like "$screen" "4/4" "it shows all four items done"
like "$screen" "1 failed" "and the one that failed"
ok '! _tui_exited' "pooltop waits for q"
tui_keys q
tui_wait_exit 10
ok $? "q leaves"
is "$(tui_exit_status)" 1 "the exit status counts the failed item"

# A held screen is no reason to outlive a stop signal or a lost terminal.
tui_stop
tui_start 100 24 "$POOLTOP" --hold -j 2 --range=1..2 -- true
tui_wait_text 15 "press q to quit"
held_pid=$(tui_pid)
kill -TERM "$held_pid"
tui_wait_exit 10
ok $? "SIGTERM closes a held final screen"
is "$(tui_exit_status)" 143 "with status 143"

tui_stop
tui_start 100 24 "$POOLTOP" --hold -j 2 --range=1..2 -- true
tui_wait_text 15 "press q to quit"
held_pid=$(tui_pid)
tui_stop
wait_for 10 has_exited "$held_pid"
ok $? "when its terminal goes away, a held pooltop exits instead of waiting forever"
kill -KILL "$held_pid" 2> /dev/null

# --- stdout to a file: the TUI still shows, the file gets the output ---------------

tui_stop
tui_start 100 24 bash -c "seq 20 | '$POOLTOP' -j 3 -- sh -c 'sleep 0.2; echo {}' > '$TEST_DIR/out.txt'"
tui_wait_text 10 "SLOT"
ok $? "with stdout in a file, the TUI shows on the terminal"
tui_wait_exit 30
ok $? "and pooltop exits when done"
is "$(sort -n "$TEST_DIR/out.txt" | tr '\n' ' ')" "$(seq 20 | tr '\n' ' ')" \
	"the file holds the output of all twenty items"
unlike "$(tui_screen)" "^1[0-9]$" "none of the output went to the terminal"

done_testing

#!/bin/bash
# tests/tui/results.sh - the results pane: newest first, failures told
# apart, scrolling with the keys, and a bounded memory of the last 1,000
# results, so a long run does not grow pooltop.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# One worker, so results arrive in input order; every seventh item fails.
tui_start 100 20 "$POOLTOP" --hold -j 1 --range=1..1500 -- sh -c 'test $(($0 % 7)) != 0'
tui_wait_text 60 "press q to quit"
ok $? "1,500 quick items finish and the screen holds"

screen=$(tui_screen)
like "$screen" "results \(1500\)" "the pane counts every result"
first_result=$(grep -m1 -E '^ *#[0-9]+ ' <<< "$screen" | awk '{ print $1 }')
is "$first_result" "#1500" "the newest result is at the top"
like "$screen" "#1497 +1497 +exit 0" "a success says exit 0"
like "$screen" "#1491 +1491 +exit 1" "a failure says exit 1"

tui_keys Tab End
tui_wait_text 10 "#501 "
ok $? "End in the results goes to the oldest result kept"
unlike "$(tui_screen)" "#500 " "results older than the last 1,000 are not kept"
tui_keys Home
tui_wait_text 10 "#1500 "
ok $? "Home goes back to the newest"
tui_keys PageDown
tui_wait_gone 10 "#1500 "
ok $? "PgDn scrolls the results"

tui_keys q
tui_wait_exit 10
ok $? "q leaves"
is "$(tui_exit_status)" 101 "more than 100 failures give status 101"

done_testing

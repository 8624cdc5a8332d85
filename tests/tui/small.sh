#!/bin/bash
# tests/tui/small.sh - small and changing terminals: at 40x10 the TUI drops
# columns and panes but shows the header and running rows; it follows the
# terminal when it grows and shrinks, and survives a tiny one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

running_rows() {
	tui_screen | awk '$1 ~ /^[0-9]+$/ && / run /' | wc -l
}
has_running_rows() { [ "$(running_rows)" -ge "$1" ]; }
# The display width of the widest line on screen.
widest_line() { tui_screen | LC_ALL=C.UTF-8 wc -L; }
fits_in() { [ "$(widest_line)" -le "$1" ]; }

tui_start 40 10 "$POOLTOP" -j 6 --range=1001..1010 -- sleep
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

tui_wait_text 10 "6/6 jobs"
ok $? "at 40x10 the header shows the jobs"
wait_for 10 has_running_rows 2
ok $? "at 40x10 the worker table shows running rows" || diag "$(tui_screen)"
screen=$(tui_screen)
like "$screen" "CPU%" "the CPU% column stays at 40 columns"
unlike "$screen" "FAIL" "the least important columns are dropped"
ok 'fits_in 40' "no line is wider than the terminal"

# Six workers, room for three rows: the table scrolls with the cursor.
slot_shown() { tui_screen | awk -v slot="$1" '$1 == slot && / run /' | grep -q .; }
tui_keys End
wait_for 5 slot_shown 6
ok $? "End scrolls the table down to the last slot"
ok '! slot_shown 1' "the first slot scrolled out of view"
tui_keys Home
wait_for 5 slot_shown 1
ok $? "Home scrolls back to the first"

tui_resize 120 30
tui_wait_text 10 "FAIL"
ok $? "grown to 120x30, every column shows"
tui_wait_text 10 "results"
ok $? "and the results pane is there"

tui_resize 20 5
tui_wait_gone 10 "RSS"
wait_for 10 has_running_rows 2
ok $? "at 20x5 the header and two rows still show" || diag "$(tui_screen)"
tui_resize 12 2
tui_wait_text 10 "pooltop"
ok $? "at 12x2 pooltop says what it can"
ok '! _tui_exited' "pooltop keeps running in a tiny terminal"

tui_resize 40 10
tui_wait_text 10 "SLOT"
ok $? "back at 40x10, the table is drawn again"

tui_keys F1
tui_wait_text 5 "keys"
ok $? "the help fits a 40x10 terminal"
tui_keys Escape
tui_wait_gone 5 "keys"
tui_keys Q
tui_wait_exit 15
ok $? "Q quits"

done_testing

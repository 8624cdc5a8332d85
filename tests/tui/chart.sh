#!/bin/bash
# tests/tui/chart.sh - a tall terminal shows a chart of several rows
# (items/s and the pool's CPU, with pool size marks) where a short one
# shows the one-row sparkline.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# Row N (1-based) of the screen.
screen_row() {
	tui_screen | sed -n "$1p"
}

# Items of 0.2 s, two at a time: the throughput is never zero for long.
tui_start 100 45 "$POOLTOP" --no-config -j 2 --range=1..100000 -- sleep 0.2
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 "pool CPU"
ok $? "on a terminal of 45 rows the chart's title shows items/s and the pool's CPU"
like "$(screen_row 2)" "items/s \(top [0-9.]+/s\) +. pool CPU \(top [0-9]+%\)" \
	"the title gives the top of both scales"
heading=$(tui_screen | grep -n "SLOT *PID" | cut -d: -f1)
ok '[ "$heading" -ge 9 ]' "the chart takes several rows above the worker table" ||
	diag "the table's heading is on row $heading"
has_bars() { tui_screen | sed -n '3,9p' | grep -q '[▁▂▃▄▅▆▇█]'; }
wait_for 5 has_bars
ok $? "bars of items/s are drawn in the chart's rows"
tui_keys +
has_mark() { tui_screen | sed -n '3,9p' | grep -q '│'; }
wait_for 5 has_mark
ok $? "a change of pool size is marked across the chart"
tui_wait_text 5 "pool size 2→3"
ok $? "and told in its title"

tui_resize 100 30
tui_wait_gone 5 "pool CPU"
ok $? "on 30 rows the chart gives way"
like "$(screen_row 2)" "items/s" "to the one-row sparkline"
tui_resize 100 45
tui_wait_text 5 "pool CPU"
ok $? "and comes back when the terminal grows again"
tui_keys Q
tui_wait_exit 10
ok $? "Q ends pooltop"
tui_stop

tui_start 100 30 "$POOLTOP" --no-config -j 2 --range=1..100000 -- sleep 0.2
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 "items/s"
ok $? "a short terminal shows the sparkline"
ok '! tui_screen | grep -q "pool CPU"' "and no chart"
tui_keys Q
tui_wait_exit 10
ok $? "Q ends pooltop"

done_testing

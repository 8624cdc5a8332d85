#!/bin/bash
# tests/tui/output_lines.sh - with --line-buffer and --tag the TUI still
# owns the terminal while jobs run: their lines are held, and every one of
# them, tagged, follows the summary line once the TUI has closed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

tui_start 100 30 "$POOLTOP" -j 2 --lb --tag --range=1..4 -- \
	sh -c 'echo "first line of $0"; sleep 0.5; echo "last line of $0"'
tui_wait_text 10 "SLOT"
ok $? "the TUI shows while the items run"
unlike "$(tui_screen)" "line of" "no job line is written over the TUI"
tui_wait_exit 30
ok $? "when every item is done, pooltop exits by itself"
is "$(tui_exit_status)" 0 "with status 0"
screen=$(tui_screen)
after_summary=$(sed -n '/pooltop: 4 done/,$p' <<< "$screen")
is "$(grep -cE '^[1-4] +(first|last) line of [1-4]$' <<< "$after_summary")" 8 \
	"all eight lines follow the summary, each after its tag"
for n in 1 2 3 4; do
	ok 'grep -qE "^$n +first line of $n$" <<< "$after_summary" && grep -qE "^$n +last line of $n$" <<< "$after_summary"' \
		"item $n's lines carry its own tag"
done
unlike "$screen" "SLOT" "the TUI is gone from the terminal"

done_testing

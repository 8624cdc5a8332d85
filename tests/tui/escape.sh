#!/bin/bash
# tests/tui/escape.sh - untrusted text never reaches the terminal raw: an
# item or an output line holding escape sequences neither retitles the
# pane nor colours it, and shows escaped; wide characters take their
# real width, so the columns after them stay in place.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

title_before=
pane_title() {
	_tmux display-message -p -t "$TUI_TARGET" '#{pane_title}'
}

# The first item keeps running (it shows in the worker table); the second
# prints itself and fails (it shows in the results pane).
running=$'\e]2;PWNED\a\e[31mred-run'
printed=$'\e]2;OWNED\a\e[32mgreen-out'
wide=$'\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e'   # three Japanese characters, two columns each
tui_start 100 24 "$POOLTOP" -j 3 --no-color -- \
	sh -c 'case $1 in *run*|*'"$wide"'*) exec sleep 60 ;; esac; printf "%s\n" "$1"; exit 3' sh \
	::: "$running" "$printed" "$wide"
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

tui_wait_text 10 '\x1b]2;PWNED\x07\x1b[31mred-run'
ok $? "the item with escape sequences shows escaped in the worker table"
tui_wait_text 10 '\x1b]2;OWNED\x07\x1b[32mgreen-out'
ok $? "the output line with escape sequences shows escaped in the results"
title=$(pane_title)
unlike "$title" "PWNED|OWNED" "the pane's title is unchanged"
# With --no-color pooltop itself sets no colour: any colour on the pane
# would have come from the untrusted text.
colours=$(_tmux capture-pane -p -e -t "$TUI_TARGET" | grep -cE $'\e\\[([0-9;]*;)?3[0-7](;[0-9;]*)?m')
is "$colours" 0 "no line of the pane is coloured"

# Every row ends where the heading ends (its last column is right-aligned),
# the row with wide characters too: they are measured as two columns.
heading_end=$(tui_screen | grep -m1 'SLOT' | LC_ALL=C.UTF-8 wc -L)
wide_end=$(tui_screen | grep -m1 "$wide" | LC_ALL=C.UTF-8 wc -L)
is "$wide_end" "$heading_end" "a row with wide characters keeps the columns in place"

tui_keys Q
tui_wait_exit 15
ok $? "Q quits"

done_testing

#!/bin/bash
# tests/tui/fallback.sh - no usable terminal means batch mode, never a
# broken screen: TERM=dumb, or no controlling terminal at all.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

tui_start 80 24 env TERM=dumb "$POOLTOP" -j 2 --range=1..3 -- echo "plain output"
tui_wait_exit 15
ok $? "with TERM=dumb pooltop runs to the end by itself"
screen=$(tui_screen)
is "$(grep -c '^plain output [1-3]$' <<< "$screen")" 3 "its output goes straight to the terminal"
unlike "$screen" "SLOT" "and no table is drawn"

tui_stop
tui_start 80 24 setsid -w "$POOLTOP" -j 2 --range=1..3 -- echo "no tty"
tui_wait_exit 15
ok $? "without a controlling terminal pooltop runs to the end by itself"
screen=$(tui_screen)
is "$(grep -c '^no tty [1-3]$' <<< "$screen")" 3 "its output is written as it comes"
unlike "$screen" "SLOT" "and no table is drawn"

done_testing

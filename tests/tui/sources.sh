#!/bin/bash
# tests/tui/sources.sh - an item of several arguments (one per input
# source) reads as its arguments joined by spaces, escaped, everywhere it
# is shown: the worker table, the detail view, the results and the status
# JSON of the control socket.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux
cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

make_hold_job hold.sh
sock=$TEST_DIR/pool.sock
tui_start 100 30 "$POOLTOP" --no-config --hold -j 2 --control="$sock" -- ./hold.sh \
	::: alpha "$(printf 'esc\033[31m')" ::: 'one two'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

both_started() { [ -e started.alpha ] && [ -e "$(printf 'started.esc\033[31m')" ]; }
wait_for 15 both_started
ok $? "both jobs started, each with the first source's item as its first argument"
tui_wait_text 10 "alpha one two"
ok $? "the worker table shows the item's arguments joined by spaces"
screen=$(tui_screen)
like "$screen" 'esc\\x1b\[31m one two' "an escape sequence in one argument is shown escaped" ||
	diag "$screen"

reply=$("$POOLTOP" ctl "$sock" status 2>&1)
items=$(python3 -c '
import json, sys
text = sys.stdin.read()
status = json.loads(text[text.index("{"):])
print("\n".join(sorted(w["item"] for w in status["workers"] if w["item"])))' <<< "$reply")
is "$items" "$(printf '%s\n' 'alpha one two' 'esc\x1b[31m one two')" \
	"the status JSON gives each worker's item joined by spaces and escaped"

tui_keys Enter
tui_wait_text 5 "job detail"
ok $? "Enter opens the detail view"
like "$(tui_screen)" "Item.*alpha one two" "the detail view's Item field joins the arguments"
tui_keys Escape

touch go
tui_wait_text 15 "#1 alpha one two"
ok $? "the results list the finished item with its arguments joined by spaces" ||
	diag "$(tui_screen)"
tui_keys q
tui_wait_exit 15
is "$(tui_exit_status)" 0 "the run ends with status 0"

done_testing

#!/bin/bash
# tests/tui/settings.sh - c chooses the worker table's columns; the choice
# is kept in $XDG_CONFIG_HOME/pooltop/pooltoprc and is there again at the
# next start, --no-config ignores the file, and a broken file is reported
# with its line number while pooltop runs on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

config=$TEST_DIR/config
rc=$config/pooltop/pooltoprc

# The worker table's heading row.
table_heading() {
	tui_screen | grep -E "^ *SLOT +PID" | head -n 1
}

heading_has_peak() { [[ $(table_heading) == *PEAK* ]]; }
heading_lacks_peak() { [[ -n $(table_heading) && $(table_heading) != *PEAK* ]]; }

start_pooltop() {
	tui_start 100 30 env XDG_CONFIG_HOME="$config" "$POOLTOP" "$@" -j 2 --range=1..2 -- sleep 100
	pooltop_pid=$(tui_pid)
	at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
	tui_wait_text 10 "SLOT"
}

stop_pooltop() {
	tui_keys Q
	tui_wait_exit 10
}

# --- c: the columns, on and off ------------------------------------------------------

start_pooltop
ok '[ ! -e "$rc" ] && heading_has_peak' "with no settings file every column shows, PEAK among them"
tui_keys c
tui_wait_text 5 "[x] PEAK"
ok $? "c lists the worker table's columns, each on or off"
# SLOT PID HOST STATE ITEM TIME CPU% RSS PEAK: PEAK is the ninth.
tui_keys Down Down Down Down Down Down Down Down Space
tui_wait_text 5 "[ ] PEAK"
ok $? "Space turns the column under the cursor off"
tui_keys Right
tui_wait_text 5 "refresh every 2 s"
ok $? "Right makes the refresh interval longer"
tui_keys c
tui_wait_text 5 "settings saved in $rc"
ok $? "closing the list saves the choice in \$XDG_CONFIG_HOME/pooltop/pooltoprc"
wait_for 5 heading_lacks_peak
ok $? "the worker table no longer shows PEAK"
ok 'grep -qx "columns=SLOT,PID,HOST,STATE,ITEM,TIME,CPU%,RSS,DONE,FAIL" "$rc"' \
	"the file names the columns shown" || diag "$(cat "$rc")"
ok 'grep -qx "refresh=2" "$rc"' "and the refresh interval"
stop_pooltop
ok $? "Q ends pooltop"

start_pooltop
wait_for 5 heading_lacks_peak
ok $? "after a restart PEAK stays off"
stop_pooltop

start_pooltop --no-config
wait_for 5 heading_has_peak
ok $? "--no-config ignores the settings file: PEAK shows"
tui_keys c
tui_wait_text 5 "[x] PEAK"
tui_keys End Up Up Up Space c
tui_wait_text 5 "changed for this run only (--no-config)"
ok $? "with --no-config a change is not saved"
ok 'grep -q "columns=SLOT,PID,HOST,STATE,ITEM,TIME,CPU%,RSS,DONE,FAIL" "$rc"' \
	"and the file is left as it was"
stop_pooltop

# --- a broken file ------------------------------------------------------------------

printf '# my settings\ncolumns=SLOT,ITEM\nrefresh is one second\n' > "$rc"
start_pooltop
tui_wait_text 5 "pooltoprc:3: expected key=value"
ok $? "a broken settings file is reported with its line number"
tui_wait_text 5 "settings ignored"
ok $? "and ignored"
wait_for 5 heading_has_peak
ok $? "the whole file is ignored: every column shows"
runs_items() { tui_screen | grep -Eq "   1 +[0-9]+ run "; }
wait_for 10 runs_items
ok $? "pooltop runs the items" || diag "$(tui_screen)"
stop_pooltop
ok $? "and Q ends it"
is "$(tui_exit_status)" 2 "with the status of its two killed items, as after any Q"

done_testing

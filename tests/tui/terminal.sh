#!/bin/bash
# tests/tui/terminal.sh - the terminal is given back as it was found on
# every way out: q (answering kill or wait), Ctrl-C twice, and Ctrl-Z then
# fg; `stty -g` before and after must be the same.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# Runs pooltop between two readings of the terminal's settings.  The trap
# keeps this shell alive when Ctrl-C reaches the whole foreground group.
cat > "$TEST_DIR/wrapper" <<WRAPPER
#!/bin/bash
trap : INT
stty -g > "$TEST_DIR/stty.before"
"$POOLTOP" "\$@"
echo \$? > "$TEST_DIR/status"
stty -g > "$TEST_DIR/stty.after"
WRAPPER
chmod +x "$TEST_DIR/wrapper"

has_file() { [ -s "$1" ]; }

# start_wrapped ARG...: pooltop ARG... in a fresh terminal, readings reset.
start_wrapped() {
	tui_stop
	rm -f "$TEST_DIR"/stty.* "$TEST_DIR/status"
	tui_start 100 24 "$TEST_DIR/wrapper" "$@"
	tui_wait_text 10 "SLOT"
}

settings_kept() {       # settings_kept DESCRIPTION
	wait_for 15 has_file "$TEST_DIR/stty.after"
	is "$(cat "$TEST_DIR/stty.after" 2> /dev/null)" "$(cat "$TEST_DIR/stty.before")" "$1"
}

# --- q, then k: kill the running jobs -----------------------------------------

start_wrapped -j 2 --range=1001..1010 -- sleep
tui_keys q
tui_wait_text 5 "Quit with 2 jobs running?"
ok $? "q asks what to do with the two running jobs"
tui_keys k
settings_kept "after q and k, the terminal settings are as before"
is "$(cat "$TEST_DIR/status")" 2 "the two killed items count as failed"

# --- q, then c: cancel; then q, w: wait for the running jobs ----------------------

start_wrapped -j 2 --range=1..10 -- sh -c 'sleep 1; echo finished {}'
tui_keys q
tui_wait_text 5 "w wait for them"
tui_keys c
tui_wait_gone 5 "w wait for them"
ok $? "c cancels the question"
tui_keys q
tui_wait_text 5 "w wait for them"
tui_keys w
settings_kept "after q and w, the terminal settings are as before"
screen=$(tui_screen)
like "$screen" "finished 1" "the items that were running finished, their output shown after the TUI"
unlike "$screen" "finished 10" "no new item started after q"

# --- Ctrl-C twice -------------------------------------------------------------------

start_wrapped -j 2 --range=1001..1010 -- sleep
tui_keys C-c
tui_wait_text 5 "stopping"
ok $? "the first Ctrl-C lets running jobs finish, and says so"
tui_keys C-c
settings_kept "after Ctrl-C twice, the terminal settings are as before"
is "$(cat "$TEST_DIR/status")" 130 "pooltop ends with status 130"

# --- Ctrl-Z, then fg, in an interactive shell ----------------------------------------

tui_stop
tui_start 100 24 bash --norc --noprofile -i
tui_keys -l "stty -g > $TEST_DIR/z.before; $POOLTOP -j 2 --range=1001..1010 -- sleep"
tui_keys Enter
tui_wait_text 10 "SLOT"
pooltop_pid=$(pgrep -P "$(tui_pid)" -x pooltop)
at_exit "kill -CONT $pooltop_pid; kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
jobs_of_pooltop=$(pgrep -P "$pooltop_pid" | tr '\n' ' ')

tui_keys C-z
tui_wait_text 10 "Stopped"
ok $? "Ctrl-Z stops pooltop and gives the shell back"
tui_keys -l "stty -g > $TEST_DIR/z.stopped"
tui_keys Enter
wait_for 10 has_file "$TEST_DIR/z.stopped"
is "$(cat "$TEST_DIR/z.stopped")" "$(cat "$TEST_DIR/z.before")" \
	"while stopped, the terminal settings are the shell's"
all_stopped() {
	local pid
	for pid in $jobs_of_pooltop; do
		[ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat")" = T ] || return 1
	done
}
wait_for 5 all_stopped
ok $? "its jobs are stopped too"

tui_keys -l "fg"
tui_keys Enter
tui_wait_text 10 "SLOT"
ok $? "fg brings the TUI back"
all_running() { ! all_stopped; }
wait_for 5 all_running
ok $? "and the jobs run again"
tui_keys Q
wait_for 15 has_exited "$pooltop_pid"
ok $? "Q ends pooltop after the round trip"
tui_keys -l "stty -g > $TEST_DIR/z.after"
tui_keys Enter
wait_for 10 has_file "$TEST_DIR/z.after"
is "$(cat "$TEST_DIR/z.after")" "$(cat "$TEST_DIR/z.before")" \
	"after Ctrl-Z, fg and Q, the terminal settings are as before"

done_testing

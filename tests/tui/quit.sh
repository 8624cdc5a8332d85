#!/bin/bash
# tests/tui/quit.sh - Ctrl-\ (SIGQUIT) in the interface ends the run in
# order, as the other fatal signals do: the terminal is given back as it
# was, the control socket is removed, the held output is written, the jobs
# and their children are stopped, and the status is 131.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

# Runs pooltop between two readings of the terminal's settings.  The traps
# keep this shell alive when Ctrl-\ reaches the whole foreground group.
cat > wrapper << WRAPPER
#!/bin/bash
trap : INT QUIT
stty -g > "$TEST_DIR/stty.before"
"$POOLTOP" "\$@"
echo \$? > "$TEST_DIR/status"
stty -g > "$TEST_DIR/stty.after"
WRAPPER
chmod +x wrapper

# A job whose own child would outlive it: pids go to pid.ITEM, child.ITEM.
cat > tree.sh << 'EOF'
#!/bin/sh
sleep 300 &
echo $! > "child.$1"
echo $$ > "pid.$1"
sleep 300
EOF
chmod +x tree.sh

has_file() { [ -s "$1" ]; }

pids_gone() {
	local file
	for file in "$@"; do
		has_exited "$(cat "$file")" || return 1
	done
	return 0
}

sock=$TEST_DIR/pool.sock
tui_start 100 24 ./wrapper -j 3 --control="$sock" \
	--shell 'if [ {} = early ]; then echo held $((6 * 7)); else ./tree.sh {}; fi' ::: early a b
tui_wait_text 10 "SLOT"
wait_for 10 has_file child.a && wait_for 10 has_file child.b
ok $? "two jobs run, each with a child of its own"
tui_wait_text 10 "1/3"
ok $? "the first item is done; its output is held"
ok '[ -S "$sock" ]' "the control socket is there"

tui_keys 'C-\'
wait_for 20 has_file stty.after
is "$(cat status 2> /dev/null)" 131 "Ctrl-\\ ends pooltop with status 131"
is "$(cat stty.after 2> /dev/null)" "$(cat stty.before)" "the terminal settings are as before"
ok '[ ! -e "$sock" ]' "the control socket is removed"
wait_for 5 pids_gone pid.a pid.b child.a child.b
ok $? "the jobs and their children are stopped"
screen=$(tui_screen)
ok 'grep -qx "held 42" <<< "$screen"' "the held output is written, on a line of its own"
unlike "$screen" "SLOT" "the interface is gone from the terminal"
for file in child.a child.b pid.a pid.b; do
	kill -KILL "$(cat "$file")" 2> /dev/null
done

done_testing

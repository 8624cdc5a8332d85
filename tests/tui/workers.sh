#!/bin/bash
# tests/tui/workers.sh - the worker table shows what really runs: the PIDs
# on screen exist and are pooltop's own children, each row shows the item
# its job got, and + / - change the number of running jobs at once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# Rows of the worker table on screen as "SLOT PID STATE ITEM" lines.
table_rows() {
	tui_screen | awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ &&
		$3 ~ /^(run|idle|retire|stop)$/ { print $1, $2, $3, $4 }'
}

rows_in_state() {          # rows_in_state STATE: how many rows show STATE
	table_rows | awk -v state="$1" '$3 == state' | wc -l
}

has_rows_in_state() {      # has_rows_in_state COUNT STATE
	[ "$(rows_in_state "$2")" -eq "$1" ]
}

# Each item is a sleep length, so the job's command line names its item.
tui_start 100 30 "$POOLTOP" -j 3 --range=1001..1020 -- sleep
pooltop_pid=$(tui_pid)
# However the test ends, no sleep outlives it: two TERMs kill the jobs.
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

wait_for 15 has_rows_in_state 3 run
ok $? "with -j 3, three workers show as running" || diag "$(tui_screen)"

children_ok=0 items_ok=0 rows=0 job_pids=()
while read -r slot pid state item; do
	rows=$((rows + 1))
	job_pids+=("$pid")
	stat=$(cat "/proc/$pid/stat" 2> /dev/null)
	# The parent PID is the fourth field, after the "(comm)" one.
	parent=$(awk '{ sub(/^.*\) /, ""); print $2 }' <<< "$stat")
	if [ "$parent" = "$pooltop_pid" ]; then
		children_ok=$((children_ok + 1))
	else
		diag "slot $slot: pid $pid has parent '${parent:-none}', not pooltop ($pooltop_pid)"
	fi
	command_line=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)
	if [ "$command_line" = "sleep $item " ]; then
		items_ok=$((items_ok + 1))
	else
		diag "slot $slot shows item '$item' but pid $pid runs '$command_line'"
	fi
done < <(table_rows)
is "$children_ok/$rows" "3/3" "every PID shown is a live child of pooltop"
is "$items_ok/$rows" "3/3" "every row shows the item its job was given"

tui_keys +
wait_for 10 has_rows_in_state 4 run
ok $? "+ starts a fourth job at once" || diag "$(tui_screen)"
tui_wait_text 5 "4/4 jobs"
ok $? "the header counts four running of four wanted"
tui_wait_text 5 "ok jobs 4"
ok $? "the reply of the jobs verb shows in the message line"

tui_keys -
wait_for 10 has_rows_in_state 1 retire
ok $? "- retires one worker, which finishes its item" || diag "$(tui_screen)"
tui_wait_text 5 "/3 jobs"
ok $? "the header shows three jobs wanted"

tui_keys j
tui_wait_text 5 "Jobs (N, +N or -N)"
ok $? "j asks for a number of jobs"
tui_keys -l 5
tui_keys Enter
wait_for 10 has_rows_in_state 5 run
ok $? "typing 5 and Enter runs five jobs" || diag "$(tui_screen)"

tui_keys Q
tui_wait_exit 15
ok $? "Q quits, killing the jobs"
ok '[ ! -d "/proc/$pooltop_pid" ] || [ "$(awk "{print \$3}" /proc/$pooltop_pid/stat)" = Z ]' \
	"pooltop is gone"
job_alive() {
	local pid
	for pid in "${job_pids[@]}"; do
		[ -d "/proc/$pid" ] && return 0
	done
	return 1
}
! job_alive
ok $? "and so are the jobs it showed"

done_testing

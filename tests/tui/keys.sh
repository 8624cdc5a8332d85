#!/bin/bash
# tests/tui/keys.sh - the keys a person uses besides + and -: pause, help,
# the detail of a job, switching panes, killing the selected job, requeue
# and suspend; each runs a command verb and shows its reply.  The help
# lists one binding a line, from the key table.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

job_state() {          # job_state PID: R, S, T...
	awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2> /dev/null
}

tui_start 100 30 "$POOLTOP" -j 2 --range=1001..1010 -- sh -c 'echo "note about $0" >&2; exec sleep $0'
pooltop_pid=$(tui_pid)
# Two TERMs kill the jobs, stopped ones too (KILL follows after the grace).
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 "1002"

tui_keys p
tui_wait_text 5 "paused"
ok $? "p pauses starting items"
tui_keys p
tui_wait_text 5 "ok resumed"
ok $? "p again resumes"

tui_keys F1
tui_wait_text 5 "pooltop keys"
ok $? "F1 opens the help"
screen=$(tui_screen)
like "$screen" "requeue failed items" "the help lists the keys"
like "$screen" "│ h \? F1  +show this help" "one binding a line: its keys, two spaces or more, what it does"
like "$screen" "│ Enter  +item, command line" "a key sent as several codes is named once"
tui_keys x
tui_wait_gone 5 "pooltop keys"
ok $? "any key closes the help"
tui_keys '?'
tui_wait_text 5 "pooltop keys"
ok $? "? opens it too"
tui_keys Escape

tui_keys Home Enter
tui_wait_text 5 "job detail"
ok $? "Enter shows the detail of the selected job"
screen=$(tui_screen)
like "$screen" "sh -c 'echo" "the detail shows its command line"
like "$screen" "note about 1001" "and the last lines of its stderr"
tui_keys Escape
tui_wait_gone 5 "job detail"

# The first slot's job: k kills it; the item fails (no --retries).
first_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
tui_keys k
tui_wait_text 5 "ok killed 1"
ok $? "k kills the selected job, through the kill verb"
tui_wait_text 5 "signal TERM"
ok $? "the killed item shows in the results as ended by a signal"
ok '[ ! -d /proc/$first_pid ] || [ "$(job_state $first_pid)" = Z ]' "the job is gone"

tui_keys Tab Enter
tui_wait_text 5 "result detail"
ok $? "Tab then Enter shows the detail of the newest result"
like "$(tui_screen)" "item #1 " "it is the killed item"
tui_keys Escape
tui_keys Tab

tui_keys r
tui_wait_text 5 "ok requeued 1"
ok $? "r requeues the failed item"

running=$(tui_screen | awk '$1 ~ /^[0-9]+$/ && $3 == "run" { print $2 }')
tui_keys S
tui_wait_text 5 "ok suspended"
all_in_state() {        # all_in_state STATE
	local pid
	for pid in $running; do
		[ "$(job_state "$pid")" = "$1" ] || return 1
	done
}
wait_for 5 all_in_state T
ok $? "S stops the running jobs"
like "$(tui_screen)" " stop " "their rows say stop"
tui_keys S
tui_wait_text 5 "ok continued"
wait_for 5 all_in_state S
ok $? "S again lets them go on"

tui_keys =
tui_wait_text 5 "ok jobs 3"
ok $? "= adds a worker, as + does"
tui_keys -
tui_wait_text 5 "ok jobs 2"
ok $? "- takes one away"

tui_keys Q
tui_wait_exit 15
ok $? "Q quits"

done_testing

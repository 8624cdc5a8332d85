#!/bin/bash
# tests/tui/detail.sh - the detail view (Enter) looks inside a job: its live
# process tree, indented as a tree view is, its stdout and stderr tails, and
# k, which signals the one process of that tree the cursor is on, after
# checking again that it still belongs to the job.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# The row of the tree for PID, as the detail view shows it.
tree_row() {
	tui_screen | grep -E "│ +$1 " | head -n 1
}

process_is_gone() {
	has_exited "$1"
}

# The children of PID, from /proc, as a list of pids.
children_of() {
	cat /proc/"$1"/task/*/children 2> /dev/null
}

# --- a job that is a pipeline --------------------------------------------------

tui_start 100 30 "$POOLTOP" --no-config -j 1 -- \
	sh -c 'echo started-$1; echo warned-$1 >&2; sleep 100 | sleep 200; sleep 300' sh ::: pipe
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 " run "
job_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
has_two_children() { [ "$(children_of "$job_pid" | wc -w)" = 2 ]; }
wait_for 10 has_two_children
ok $? "the job (a shell running a pipeline) has started its two sides"
read -r first second <<< "$(children_of "$job_pid" | tr ' ' '\n' | sort -n | tr '\n' ' ')"

tui_keys Enter
tui_wait_text 5 "job detail"
ok $? "Enter opens the detail view of the selected job"
has_row() { [ -n "$(tree_row "$1")" ]; }
wait_for 5 has_row "$second"
ok $? "the detail view lists the processes of the job's tree, one row each"
like "$(tree_row "$job_pid")" "│ +$job_pid S +([0-9.]+|-) +[0-9.]+[KMG]? +sh -c " \
	"the job's own process is a row: pid, state, CPU%, RSS, command"
like "$(tree_row "$first")" "├─ sleep 100" "the pipeline's first side is indented under it"
like "$(tree_row "$second")" "└─ sleep 200" "the last side closes the tree's branch"
screen=$(tui_screen)
like "$screen" "Last lines of stdout.*│ started-pipe" "the job's stdout tail is shown" ||
	diag "$screen"
like "$(tui_screen | tr -d '\n')" "Last lines of stderr.*│ warned-pipe" "and its stderr tail"

# --- k: one process of the tree ---------------------------------------------------

tui_keys Down
tui_keys k
tui_wait_text 5 "Send a signal to pid $first (sleep 100): TERM"
ok $? "k on the second row asks which signal to send its process, TERM proposed"
tui_keys Enter
tui_wait_text 5 "sent TERM to pid $first"
ok $? "Enter sends it"
wait_for 5 process_is_gone "$first"
ok $? "that process is gone"
ok '! has_exited "$job_pid" && ! has_exited "$second"' "the rest of the job's tree lives on"
row_gone() { [ -z "$(tree_row "$1")" ]; }
wait_for 5 row_gone "$first"
ok $? "the tree is read again: the process has left it"

# The cursor is on `sleep 200` now; KILL it, typed by name.
tui_keys k
tui_wait_text 5 "Send a signal to pid $second (sleep 200)"
tui_keys -l kill
tui_wait_text 5 "KILL_"
ok $? "another signal may be typed instead of TERM"
tui_keys Enter
tui_wait_text 5 "sent KILL to pid $second"
ok $? "and is sent"
wait_for 5 process_is_gone "$second"
ok $? "the process it was sent to is gone"
tui_keys Escape
tui_wait_gone 5 "job detail"
tui_keys Q
tui_wait_exit 10
ok $? "Q ends pooltop"
tui_stop

# --- a process that left the tree before the answer is not signalled -------------

tui_start 100 30 "$POOLTOP" --no-config -j 1 -- sh -c 'sleep 100 & sleep 200; true' sh ::: left
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 " run "
job_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
wait_for 10 has_two_children
read -r first second <<< "$(children_of "$job_pid" | tr ' ' '\n' | sort -n | tr '\n' ' ')"
tui_keys Enter
tui_wait_text 5 "sleep 200"
tui_keys Down
tui_keys k
tui_wait_text 5 "Send a signal to pid $first"
kill -KILL "$first"
wait_for 5 process_is_gone "$first"
tui_keys Enter
tui_wait_text 5 "pid $first is no longer in this job's tree: nothing sent"
ok $? "a process gone from the job's tree by the time of the answer gets no signal"
tui_keys Escape
tui_wait_gone 5 "job detail"
ok $? "Esc closes the detail view"
tui_keys Q
tui_wait_exit 10
ok $? "Q ends pooltop"

done_testing

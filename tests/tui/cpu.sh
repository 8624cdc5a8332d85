#!/bin/bash
# tests/tui/cpu.sh - CPU% is counted as top counts it: a busy loop reads
# high within two refreshes, and a job that is a pipeline counts every
# process in it, not just the shell that started them.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

# The CPU% of slot 1 as shown, or nothing while it shows "-".
slot_cpu() {
	tui_screen | awk '$1 == 1 && $3 == "run" && $6 ~ /^[0-9.]+$/ { print $6 }'
}

has_cpu_figure() {
	[ -n "$(slot_cpu)" ]
}

# Clock ticks used so far by a process (utime + stime).
process_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2> /dev/null || echo 0
}

# CPU% of the given processes over `seconds`, as /proc tells it.
measured_cpu() {        # measured_cpu SECONDS PID...
	local seconds=$1 pid before=0 after=0
	shift
	for pid in "$@"; do before=$((before + $(process_ticks "$pid"))); done
	local start=$(now_ms)
	sleep "$seconds"
	for pid in "$@"; do after=$((after + $(process_ticks "$pid"))); done
	local elapsed=$(( $(now_ms) - start ))
	echo $(( (after - before) * 100 * 1000 / $(getconf CLK_TCK) / elapsed ))
}

# --- one busy loop -----------------------------------------------------------

tui_start 100 20 "$POOLTOP" -j 1 --refresh=1 -- sh -c 'while :; do :; done' ::: busy
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

wait_for 5 has_cpu_figure
ok $? "a busy job gets a CPU figure within two refreshes" || diag "$(tui_screen)"
job_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
# What the machine really gave it; on a loaded box that may be well under 100.
got=$(measured_cpu 2 "$job_pid")
shown=$(slot_cpu)
shown=${shown%.*}
diag "busy loop: shown ${shown}%, measured ${got}% from /proc"
if [ "$got" -ge 60 ]; then
	ok '[ "$shown" -ge 50 ]' "a busy loop reads high (at least 50%)"
else
	# The job itself got little CPU: the figure must still follow it.
	ok '[ "$shown" -ge $((got / 2)) ]' "a busy loop reads what it got on a loaded machine"
fi
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the busy job and pooltop"
tui_stop

# --- a pipeline: the shell and both of its children --------------------------

tui_start 100 20 "$POOLTOP" -j 1 --refresh=1 -- \
	sh -c 'while :; do :; done | while :; do :; done' ::: pipe
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
wait_for 5 has_cpu_figure
ok $? "a pipeline job gets a CPU figure" || diag "$(tui_screen)"
job_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
members=$(cat /proc/"$job_pid"/task/*/children 2> /dev/null)
count=$(wc -w <<< "$members")
is "$count" 2 "the pipeline's shell has its two sides as children"
# Wait for a refresh that covers only the time both sides ran.
sleep_until_refresh() { tui_screen > "$TEST_DIR/before"; wait_for 3 screen_changed; }
screen_changed() { ! tui_screen | cmp -s - "$TEST_DIR/before"; }
sleep_until_refresh
one_side=0
for member in $members; do
	side=$(measured_cpu 1 "$member")
	[ "$side" -gt "$one_side" ] && one_side=$side
done
shown=$(slot_cpu)
shown=${shown%.*}
diag "pipeline: shown ${shown}%, busiest single side ${one_side}%"
ok '[ "$shown" -gt $((one_side * 13 / 10)) ]' \
	"the pipeline's CPU% counts both sides (more than either one alone)"
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the pipeline"

done_testing

#!/bin/bash
# tests/tui/cpu.sh - CPU% is counted as top counts it: a busy loop reads
# high within two refreshes, jobs shorter than a refresh and long-lived
# workers count whole in the header, and a job that is a pipeline counts
# every process in it, not just the shell that started them.
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

screen_changed() { ! tui_screen | cmp -s - "$TEST_DIR/screen"; }
next_refresh() { tui_screen > "$TEST_DIR/screen"; wait_for 3 screen_changed; }

# average_over_refreshes PID...: over the next four refreshes, sets shown
# (the average CPU% slot 1 showed), readings (how many figures it showed),
# measured (the CPU% of the PIDs together, from /proc, over the same time)
# and busiest (that of the busiest PID alone).  The figures move on a loaded
# machine, so both sides are read over the same seconds.
average_over_refreshes() {
	local pid figure refresh start elapsed used sum=0
	local -A before
	next_refresh
	for pid in "$@"; do before[$pid]=$(process_ticks "$pid"); done
	start=$(now_ms)
	readings=0
	for refresh in 1 2 3 4; do
		next_refresh
		figure=$(slot_cpu)
		[ -n "$figure" ] || continue
		sum=$((sum + ${figure%.*}))
		readings=$((readings + 1))
	done
	elapsed=$(( $(now_ms) - start ))
	measured=0 busiest=0
	for pid in "$@"; do
		used=$(( ($(process_ticks "$pid") - before[$pid]) * 100 * 1000 / $(getconf CLK_TCK) / elapsed ))
		measured=$((measured + used))
		[ "$used" -gt "$busiest" ] && busiest=$used
	done
	shown=$((readings ? sum / readings : 0))
}

# --- one busy loop -----------------------------------------------------------

tui_start 100 20 "$POOLTOP" -j 1 --refresh=1 -- sh -c 'while :; do :; done' ::: busy
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

wait_for 5 has_cpu_figure
ok $? "a busy job gets a CPU figure within two refreshes" || diag "$(tui_screen)"
job_pid=$(tui_screen | awk '$1 == 1 && $3 == "run" { print $2 }')
# What the machine really gave it, over the same refreshes; on a loaded box
# that may be well under 100.
average_over_refreshes "$job_pid"
diag "busy loop: shown ${shown}% on average, measured ${measured}% from /proc"
if [ "$measured" -ge 60 ]; then
	ok '[ "$shown" -ge 50 ]' "a busy loop reads high (at least 50%)"
else
	ok '[ $((shown * 100)) -ge $((measured * 75)) ]' \
		"a busy loop reads what it got on a loaded machine"
fi
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the busy job and pooltop"
tui_stop

# --- jobs shorter than a refresh, and workers ---------------------------------

# The pool's CPU% the header shows, or nothing while it shows "-".
header_cpu() {
	tui_screen | head -n 1 | sed -n 's/.* CPU \([0-9.]*\)%.*/\1/p'
}
has_header_cpu() { [ -n "$(header_cpu)" ]; }

# CPU used so far by the jobs pooltop reaped (its cutime + cstime), in ticks.
reaped_ticks() {
	awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0
}

# Ticks the processes given used so far (utime + stime), summed.
processes_ticks() {
	local pid total=0
	for pid in "$@"; do total=$((total + $(process_ticks "$pid"))); done
	echo "$total"
}

# header_against TICKS_COMMAND...: over the next four refreshes, sets shown
# (the header's average CPU%), readings (refreshes that showed one) and
# measured (the CPU% TICKS_COMMAND's tick count grew by, over the same time).
header_against() {
	local before start sum=0 figure refresh
	next_refresh
	before=$("$@")
	start=$(now_ms)
	readings=0
	for refresh in 1 2 3 4; do
		next_refresh
		figure=$(header_cpu)
		[ -n "$figure" ] || continue
		sum=$((sum + ${figure%.*}))
		readings=$((readings + 1))
	done
	measured=$(( ($("$@") - before) * 100 * 1000 / $(getconf CLK_TCK) / ($(now_ms) - start) ))
	shown=$((readings ? sum / readings : 0))
}

# Within 30% of what was used, or 10 points when little was.
agrees() {
	local slack=$((measured * 30 / 100 > 10 ? measured * 30 / 100 : 10))
	[ "$shown" -ge $((measured - slack)) ] && [ "$shown" -le $((measured + slack)) ]
}

# Busy loops of a few hundredths of a second each, two at a time: no job
# lives through a refresh, yet the header counts all of their CPU.
tui_start 100 20 "$POOLTOP" -j 2 --refresh=1 --range=1..100000 -- \
	sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
wait_for 5 has_header_cpu
header_against reaped_ticks "$pooltop_pid"
diag "short jobs: the header showed ${shown}% on average, the jobs reaped used ${measured}%"
is "$readings" 4 "the header shows the pool's CPU at every refresh, though no job outlives one"
ok agrees "it agrees with the CPU the jobs used (within 30%)"
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the short jobs"
tui_stop

# Long-lived workers that burn a few hundredths of a second per item.
cat > "$TEST_DIR/burn.py" << 'WORKER'
import sys
for line in sys.stdin:
    i = 0
    while i < 200000:
        i += 1
    print(line.strip(), flush=True)
WORKER
tui_start 100 20 "$POOLTOP" -j 2 --refresh=1 --worker --range=1..1000000 -- python3 "$TEST_DIR/burn.py"
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
wait_for 5 has_header_cpu
workers=$(tui_screen | awk '($1 == 1 || $1 == 2) && $2 ~ /^[0-9]+$/ { print $2 }')
is "$(wc -w <<< "$workers")" 2 "two workers show with their pids"
# shellcheck disable=SC2086 # one argument per pid
header_against processes_ticks $workers
diag "worker mode: the header showed ${shown}% on average, the workers used ${measured}%"
ok '[ "$readings" -eq 4 ] && agrees' "in worker mode the header agrees with the workers' CPU (within 30%)"
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the workers"
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
average_over_refreshes $members
diag "pipeline: shown ${shown}% on average, both sides ${measured}% together, the busier ${busiest}%"
ok '[ "$readings" -ge 3 ]' "the pipeline's CPU% is shown at every refresh"
ok '[ $((shown * 100)) -ge $((measured * 75)) ]' \
	"the pipeline's CPU% counts both sides (close to their sum, not to one)"
tui_keys Q
tui_wait_exit 15
ok $? "Q ends the pipeline"

done_testing

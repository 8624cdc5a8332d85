#!/bin/bash
# tui_cpu.sh - what watching costs: pooltop's own CPU time per minute with
# its TUI on (1 s refresh) over 64 and 1,000 sleeping jobs, measured side by
# side with `htop -d 10` (also 1 s) running at the same time in another
# terminal of the same tmux server.  pooltop reads only its own process
# trees; htop reads all of /proc, so pooltop should cost at most half as
# much at both sizes.
#
# What runs, in two tmux windows of 120x40:
#   pooltop -j N --range=1..N -- sleep 1000      (N = 64, then 1000)
#   htop -d 10
# and the CPU time of each comes from utime + stime in /proc/PID/stat,
# read at the start and the end of the same window.
#
# BENCH_TUI_SECONDS (default 24) is the measuring window per size;
# BENCH_TUI_SIZES (default "64 1000") the job counts.

. "$(dirname "$0")/bench_lib.sh"

window=${BENCH_TUI_SECONDS:-24}
sizes=${BENCH_TUI_SIZES:-64 1000}
hertz=$(getconf CLK_TCK)

bench_need "$POOLTOP" tmux htop sleep

bench_machine
echo "window:  ${window} s per size, TUI and htop both refreshing every second"
echo

socket=pooltop-bench-$$
tmux_private() {
	tmux -L "$socket" -f /dev/null "$@"
}
trap 'tmux_private kill-server > /dev/null 2>&1; rm -rf "$BENCH_DIR"' EXIT

# CPU ticks (utime + stime) a process has used so far.
process_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# Gone, or a zombie its parent (the tmux server) has not reaped yet.
process_gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat")" = Z ]
}

# wait_until SECONDS COMMAND...: bounded polling, as the tests do.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}

pane_has() {           # pane_has WINDOW TEXT
	tmux_private capture-pane -p -t "bench:$1" | grep -qF -- "$2"
}

# CPU milliseconds per minute from a tick count over `window` seconds.
per_minute_ms() {
	awk -v t="$1" -v hz="$hertz" -v s="$2" 'BEGIN { printf "%.0f", t * 1000 / hz * 60 / s }'
}

results=()
table=$'sleeping jobs\tpooltop ms CPU / min\thtop ms CPU / min\tpooltop / htop\n'
for jobs in $sizes; do
	tmux_private kill-server > /dev/null 2>&1
	tmux_private start-server \; set-option -g status off \; \
		new-session -d -s bench -n pooltop -x 120 -y 40 -e HOME="$BENCH_DIR" -- \
		"$POOLTOP" -j "$jobs" --range=1.."$jobs" -- sleep 1000 ||
		bench_fail "tmux could not start pooltop"
	tmux_private new-window -d -t bench -n htop -e HOME="$BENCH_DIR" -- htop -d 10 ||
		bench_fail "tmux could not start htop"
	pooltop_pid=$(tmux_private display-message -p -t bench:pooltop '#{pane_pid}')
	htop_pid=$(tmux_private display-message -p -t bench:htop '#{pane_pid}')

	wait_until 120 pane_has pooltop "$jobs/$jobs jobs" ||
		bench_fail "pooltop did not start $jobs jobs in 120 s"
	# Let both settle: every job started and sampled once, htop's first scans done.
	sleep 3

	pooltop_before=$(process_ticks "$pooltop_pid")
	htop_before=$(process_ticks "$htop_pid")
	start=$EPOCHREALTIME
	sleep "$window"
	pooltop_after=$(process_ticks "$pooltop_pid")
	htop_after=$(process_ticks "$htop_pid")
	seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')

	pane_has pooltop "$jobs/$jobs jobs" || bench_fail "pooltop lost jobs while measured"
	pooltop_ms=$(per_minute_ms $((pooltop_after - pooltop_before)) "$seconds")
	htop_ms=$(per_minute_ms $((htop_after - htop_before)) "$seconds")
	ratio=$(bench_ratio "$pooltop_ms" "$htop_ms")
	echo "$jobs jobs: pooltop $pooltop_ms ms CPU / min, htop $htop_ms ms CPU / min"
	table+=$(printf '%s\t%s\t%s\t%s' "$(bench_group "$jobs")" "$(bench_group "$pooltop_ms")" \
		"$(bench_group "$htop_ms")" "$ratio")$'\n'
	results+=("$jobs $pooltop_ms $htop_ms $ratio")

	# Q quits and kills the jobs; wait until they are gone before the next size.
	tmux_private send-keys -t bench:pooltop Q
	wait_until 30 process_gone "$pooltop_pid" || bench_fail "pooltop did not quit"
	tmux_private kill-server > /dev/null 2>&1
done

echo
printf '%s' "$table" | bench_table
bench_results tui_cpu jobs pooltop_ms_per_min htop_ms_per_min pooltop_x_htop
for result in "${results[@]}"; do
	bench_record $result
done
echo

echo "targets:"
for result in "${results[@]}"; do
	read -r jobs _ _ ratio <<< "$result"
	bench_target "pooltop / htop CPU, $jobs sleeping jobs (issue 11: half)" "$ratio" "<=" 0.5
done
bench_finish

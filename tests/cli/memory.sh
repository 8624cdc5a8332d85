#!/bin/bash
# tests/cli/memory.sh - items are read as they are needed: an endless input
# (yes) runs for seconds with pooltop's resident memory flat, in command
# mode, in worker mode and as the first of two sources; SIGTERM then ends the run with status 143.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"

rss_kib() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2> /dev/null
}

# done_count FILE: the done count of the last --progress line in FILE.
done_count() {
	local count
	count=$(sed -n 's/^pooltop: \([0-9]*\)\/? done.*/\1/p' "$1" | tail -n 1)
	echo "${count:-0}"
}

# endless_run NAME ARG...: pooltop ARG... fed by `yes` for a few seconds;
# checks that items flow, that RSS stays flat, and that SIGTERM (twice if
# need be) ends the run with status 143.
endless_run() {
	local name=$1
	shift
	"$POOLTOP" --batch --progress --refresh=0.2 "$@" < <(yes) > /dev/null 2> "$name.err" &
	local pid=$! first samples=() sample i highest

	# Warm up: buffers and the allocator settle while the first items run.
	wait_for 20 eval '[ "$(done_count "$name.err")" -ge 200 ]'
	ok $? "$name: items flow from an endless input"
	first=$(done_count "$name.err")

	# Sample the RSS every 0.35 s for about 2 s: the pauses are the
	# measurement period, not a wait for anything.
	for i in 1 2 3 4 5 6; do
		sample=$(rss_kib "$pid")
		[ -n "$sample" ] && samples+=("$sample")
		sleep 0.35
	done
	highest=${samples[0]:-0}
	for sample in "${samples[@]}"; do
		[ "$sample" -gt "$highest" ] && highest=$sample
	done
	is "${#samples[@]}" 6 "$name: pooltop ran through every sample"
	if memory_is_pooltops; then
		ok '[ $((highest - ${samples[0]:-0})) -lt 2048 ]' \
			"$name: RSS stays flat (${samples[*]} KiB: less than 2 MiB growth)"
	else
		skip "$name: RSS is the sanitizer's or the wrapper's, not pooltop's"
	fi
	ok '[ "$(done_count "$name.err")" -gt "$first" ]' \
		"$name: items kept flowing while sampled ($first, then $(done_count "$name.err") done)"

	kill -TERM "$pid"
	wait_for 10 grep -q stopping "$name.err"
	kill -TERM "$pid" 2> /dev/null
	wait_exit "$pid" 20
	is "$status" 143 "$name: SIGTERM ends the endless run with status 143"
}

endless_run "command mode" -j 2 true
endless_run "worker mode" -j 2 --worker cat
# Several sources: the first is streamed, the others held.
endless_run "two sources" -j 2 true :::: - ::: a b

done_testing

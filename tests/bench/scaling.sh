#!/bin/bash
# scaling.sh - items/s against the worker count, -j 1 to 16, for a
# CPU-bound workload (busy_job burning 20 ms of CPU per item) and a
# sleep-bound one (`sleep 0.1` per item), pooltop --batch next to
# xargs -P at each count, with the ideal rate beside them.
#
# The ideal is, for sleep, j items per 0.1 s; for the CPU-bound jobs, the
# rate of the bare spawn loop running them one at a time, times the cores
# that j jobs can use.  BENCH_SCALING_JOBS (default "1 2 ... 16") lists the
# counts; BENCH_SCALING_CPU_ITEMS (default 100) the CPU-bound items per run;
# BENCH_SCALING_WAVES (default 10) the sleeping items per worker per run;
# BENCH_REPEAT rounds, best of (default 2).

. "$(dirname "$0")/bench_lib.sh"

job_counts=${BENCH_SCALING_JOBS:-$(seq -s ' ' 1 16)}
cpu_items=${BENCH_SCALING_CPU_ITEMS:-100}
waves=${BENCH_SCALING_WAVES:-10}
rounds=${BENCH_REPEAT:-2}
busy_ms=20
sleep_seconds=0.1
cores=$(bench_cores)

bench_need "$POOLTOP" "$SPAWN_LOOP" "$BUSY_JOB" xargs sleep

bench_machine
echo "items:   cpu: $cpu_items x busy_job $busy_ms ms of CPU; sleep: $waves x j items of"
echo "         'sleep $sleep_seconds'; -j $job_counts; best of $rounds round(s),"
echo "         pooltop and xargs in turn"
echo

# Items the commands ignore: busy_job skips its items, sleep adds 0 s.
yes 0 | head -n $((cpu_items > waves * 16 ? cpu_items : waves * 16)) > "$BENCH_DIR/zeros"
for jobs in $job_counts; do
	[ "$jobs" -gt 16 ] && yes 0 | head -n $((waves * jobs)) > "$BENCH_DIR/zeros"
done
sleep_path=$(type -P sleep)

# run_one WORKLOAD RUNNER JOBS: times one run; sets bench_seconds and items.
run_one() {
	local workload=$1 runner=$2 jobs=$3 command
	if [ "$workload" = cpu ]; then
		items=$cpu_items
		command=("$BUSY_JOB" "$busy_ms")
	else
		items=$((waves * jobs))
		command=(sleep "$sleep_seconds")
	fi
	head -n "$items" "$BENCH_DIR/zeros" > "$BENCH_DIR/items"
	case $runner in
	pooltop) bench_time /dev/null "$POOLTOP" --batch -j "$jobs" "${command[@]}" < "$BENCH_DIR/items" ;;
	xargs) bench_time /dev/null xargs -P "$jobs" -n 1 "${command[@]}" < "$BENCH_DIR/items" ;;
	esac
}

declare -A best
runners=(pooltop xargs)
for ((round = 0; round < rounds; round++)); do
	# The anchor of the CPU-bound ideal: one job at a time, nothing else.
	bench_time /dev/null "$SPAWN_LOOP" "$cpu_items" 1 "$BUSY_JOB" "$busy_ms" ||
		bench_fail "spawn_loop $BUSY_JOB: exit status $?"
	best[single]=$(awk -v n="$cpu_items" -v s="$bench_seconds" -v b="${best[single]:-0}" \
		'BEGIN { r = n / s; printf "%.2f", (r > b ? r : b) }')
	for workload in cpu sleep; do
		for jobs in $job_counts; do
			for index in $(bench_order 2 $((round + jobs))); do
				runner=${runners[index]}
				status=0
				run_one "$workload" "$runner" "$jobs" || status=$?
				[ "$status" = 0 ] || bench_fail "$runner -j $jobs ($workload): exit status $status"
				key=$workload,$runner,$jobs
				best[$key]=$(bench_best_rate "$(bench_rate "$items" "$bench_seconds")" "${best[$key]:-}")
			done
		done
	done
done
single_rate=${best[single]}
echo "anchor:  busy_job $busy_ms ms, one at a time from the bare spawn loop: $single_rate items/s"
echo

bench_results scaling workload jobs pooltop_items_per_s xargs_items_per_s ideal_items_per_s
for workload in cpu sleep; do
	if [ "$workload" = cpu ]; then
		echo "CPU-bound: busy_job $busy_ms ms per item, $cores cores"
	else
		echo "sleep-bound: sleep $sleep_seconds per item"
	fi
	{
		printf -- '-j\tpooltop items/s\txargs items/s\tpooltop x xargs\tideal items/s\tpooltop x ideal\n'
		for jobs in $job_counts; do
			pooltop_rate=${best[$workload,pooltop,$jobs]}
			xargs_rate=${best[$workload,xargs,$jobs]}
			if [ "$workload" = cpu ]; then
				ideal=$(awk -v r="$single_rate" -v j="$jobs" -v c="$cores" \
					'BEGIN { printf "%.0f", r * (j < c ? j : c) }')
			else
				ideal=$(awk -v j="$jobs" -v s="$sleep_seconds" 'BEGIN { printf "%.0f", j / s }')
			fi
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$jobs" "$pooltop_rate" "$xargs_rate" \
				"$(bench_ratio "$pooltop_rate" "$xargs_rate")" "$ideal" \
				"$(bench_ratio "$pooltop_rate" "$ideal")"
			bench_record "$workload" "$jobs" "$pooltop_rate" "$xargs_rate" "$ideal"
		done
	} | bench_table
	echo
done
bench_finish

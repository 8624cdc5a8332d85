#!/bin/bash
# spawn_throughput.sh - command mode against its peers, in one run: one fresh
# `true` process per item, 2 at a time, from pooltop, xargs -P and GNU
# parallel, as items/s and ratios to xargs.
#
# BENCH_SPAWN_ITEMS=N sets the item count (default BENCH_ITEMS / 200, at
# least 100, so 5000 by default); BENCH_REPEAT rounds, best of (default 1).

. "$(dirname "$0")/bench_lib.sh"

items=${BENCH_SPAWN_ITEMS:-$(( ${BENCH_ITEMS:-1000000} / 200 ))}
[ "$items" -ge 100 ] || items=100
rounds=${BENCH_REPEAT:-1}
true_program=$(type -P true)

bench_need "$POOLTOP" xargs "$true_program"
have_parallel=0
# Debian's moreutils also ships a `parallel`; only GNU parallel speaks -j N.
if command -v parallel > /dev/null && parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
	have_parallel=1
fi

bench_machine
echo "items:   $items items, each a fresh '$true_program', 2 at a time, best of $rounds round(s)"
echo

seq 1 "$items" > "$BENCH_DIR/items"

run_names=("pooltop -j 2 --batch" "xargs -P 2 -n 1" "parallel -j 2")

run_one() {            # run_one INDEX: times run INDEX; sets bench_seconds
	case $1 in
	0) bench_time /dev/null "$POOLTOP" -j 2 --batch "$true_program" < "$BENCH_DIR/items" ;;
	1) bench_time /dev/null xargs -P 2 -n 1 "$true_program" < "$BENCH_DIR/items" ;;
	2) bench_time /dev/null parallel -j 2 "$true_program" < "$BENCH_DIR/items" ;;
	esac
}

declare -a rates
for ((round = 1; round <= rounds; round++)); do
	for index in "${!run_names[@]}"; do
		[ "$index" = 2 ] && [ "$have_parallel" = 0 ] && continue
		status=0
		run_one "$index" || status=$?
		[ "$status" = 0 ] || bench_fail "${run_names[index]}: exit status $status"
		rate=$(bench_rate "$items" "$bench_seconds")
		rates[index]=$(bench_best_rate "$rate" "${rates[index]:-}")
	done
done

xargs_rate=${rates[1]}
printf "| %-34s | %12s | %8s |\n" "run" "items/s" "x xargs"
printf "|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..14})" \
	"$(printf -- '-%.0s' {1..10})"
for index in "${!run_names[@]}"; do
	if [ -z "${rates[index]:-}" ]; then
		printf "| %-34s | %12s | %8s |\n" "${run_names[index]}" "not installed" "-"
		continue
	fi
	printf "| %-34s | %12s | %8s |\n" "${run_names[index]}" \
		"$(bench_group "${rates[index]}")" "$(bench_ratio "${rates[index]}" "$xargs_rate")"
done
bench_finish

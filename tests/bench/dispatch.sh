#!/bin/bash
# dispatch.sh - command mode at the machine's limit: one fresh `true` per
# item, 2 at a time, from pooltop --batch, xargs -P, GNU parallel and the
# bare posix_spawn-and-wait loop (the bound), as items/s and ratios to the
# bare loop and to xargs, all measured in the same run.
#
# BENCH_DISPATCH_ITEMS=N sets the item count (default BENCH_ITEMS / 250, at
# least 100, so 4,000 by default); BENCH_REPEAT rounds, best of (default 3).

. "$(dirname "$0")/bench_lib.sh"

items=${BENCH_DISPATCH_ITEMS:-$(( ${BENCH_ITEMS:-1000000} / 250 ))}
[ "$items" -ge 100 ] || items=100
rounds=${BENCH_REPEAT:-3}
jobs=2
# The runners are given the name, as a person types it, and search $PATH;
# the bare loop calls posix_spawn, which needs the path.
true_path=$(type -P true)

bench_need "$POOLTOP" "$SPAWN_LOOP" xargs "$true_path"
have_parallel=0
# Debian's moreutils also ships a `parallel`; only GNU parallel speaks -j N.
if command -v parallel > /dev/null && parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
	have_parallel=1
fi

bench_machine
echo "items:   $items items, each a fresh 'true', $jobs at a time, best of $rounds round(s), runners in turn"
echo

seq 1 "$items" > "$BENCH_DIR/items"

names=("bare spawn loop" "pooltop --batch -j$jobs" "xargs -P$jobs -n1" "parallel -j$jobs")
keys=(bare pooltop xargs parallel)

run_one() {            # run_one INDEX: times run INDEX; sets bench_seconds
	case $1 in
	0) bench_time /dev/null "$SPAWN_LOOP" "$items" "$jobs" "$true_path" ;;
	1) bench_time /dev/null "$POOLTOP" --batch -j "$jobs" true < "$BENCH_DIR/items" ;;
	2) bench_time /dev/null xargs -P "$jobs" -n 1 true < "$BENCH_DIR/items" ;;
	3) bench_time /dev/null parallel -j "$jobs" true < "$BENCH_DIR/items" ;;
	esac
}

declare -a rates
for ((round = 0; round < rounds; round++)); do
	for index in $(bench_order ${#names[@]} "$round"); do
		[ "$index" = 3 ] && [ "$have_parallel" = 0 ] && continue
		status=0
		run_one "$index" || status=$?
		[ "$status" = 0 ] || bench_fail "${names[index]}: exit status $status"
		rate=$(bench_rate "$items" "$bench_seconds")
		rates[index]=$(bench_best_rate "$rate" "${rates[index]:-}")
	done
done

bare_rate=${rates[0]}
xargs_rate=${rates[2]}
bench_results dispatch runner items_per_s x_bare x_xargs
{
	printf 'run\titems/s\tx bare loop\tx xargs\n'
	for index in "${!names[@]}"; do
		if [ -z "${rates[index]:-}" ]; then
			printf '%s\tnot installed\t-\t-\n' "${names[index]}"
			continue
		fi
		x_bare=$(bench_ratio "${rates[index]}" "$bare_rate")
		x_xargs=$(bench_ratio "${rates[index]}" "$xargs_rate")
		printf '%s\t%s\t%s\t%s\n' "${names[index]}" "$(bench_group "${rates[index]}")" "$x_bare" "$x_xargs"
		bench_record "${keys[index]}" "${rates[index]}" "$x_bare" "$x_xargs"
	done
} | bench_table
echo

echo "targets:"
bench_target "pooltop / bare spawn loop" "$(bench_ratio "${rates[1]}" "$bare_rate")" ">=" 0.85
bench_target "pooltop / xargs -P$jobs -n1" "$(bench_ratio "${rates[1]}" "$xargs_rate")" ">=" 1.3
if [ -n "${rates[3]:-}" ]; then
	bench_target "pooltop / parallel -j$jobs" "$(bench_ratio "${rates[1]}" "${rates[3]}")" ">=" 5
fi
bench_finish

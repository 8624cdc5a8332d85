#!/bin/bash
# worker_throughput.sh - trivial items through 2 persistent workers, in one
# run: pooltop --worker with 1 and 64 items in flight, Python's Pool imap
# (chunksize=1) and map, and the bare C reference loop; then pooltop's peak
# RSS over ten times as many items.
#
# BENCH_ITEMS=N (default 1000000) scales the run down for a quick look;
# BENCH_RSS_ITEMS (default 10 x BENCH_ITEMS), BENCH_REPEAT (rounds, best of,
# default 3), BENCH_FUNCTION (identity or square, for Python; default
# identity, which is what the echo worker computes).

. "$(dirname "$0")/bench_lib.sh"

items=${BENCH_ITEMS:-1000000}
rss_items=${BENCH_RSS_ITEMS:-$((items * 10))}
rounds=${BENCH_REPEAT:-3}
function=${BENCH_FUNCTION:-identity}
workers=2
python=${PYTHON:-python3}

bench_need "$POOLTOP" "$ECHO_WORKER" "$REFERENCE_LOOP" "$python"

bench_machine
echo "items:   $items trivial items, $workers workers (echo_worker), best of $rounds round(s), runs in turn"
echo

# Results must be right before their speed means anything: every item
# comes back once, matched to its item, at both depths of pipelining.
check_items=$((items < 10000 ? items : 10000))
seq 1 "$check_items" > "$BENCH_DIR/expected"
for inflight in 1 64; do
	"$POOLTOP" --batch --worker --inflight="$inflight" -k -j "$workers" \
		--range=1.."$check_items" -- "$ECHO_WORKER" > "$BENCH_DIR/got" ||
		bench_fail "pooltop --worker --inflight=$inflight exited with status $?"
	cmp -s "$BENCH_DIR/expected" "$BENCH_DIR/got" ||
		bench_fail "pooltop --worker --inflight=$inflight -k: results do not match items 1..$check_items"
done

# Each run: a name and a command. Python and the reference loop print the
# number of results they received, which is checked.
run_names=(
	"pooltop --worker --inflight 1"
	"pooltop --worker --inflight 64"
	"Pool($workers).imap(chunksize=1)"
	"Pool($workers).map"
	"C reference loop, 1 in flight"
	"C reference loop, 64 in flight"
)

run_one() {            # run_one INDEX: times run INDEX; sets bench_seconds
	local counted=$BENCH_DIR/stdout
	case $1 in
	0 | 1)
		local inflight=$((($1 == 0) ? 1 : 64))
		bench_time /dev/null "$POOLTOP" --batch --worker --inflight="$inflight" -j "$workers" \
			--range=1.."$items" -- "$ECHO_WORKER" ;;
	2) bench_time "$counted" "$python" "$BENCH_SRCDIR/pool_imap.py" "$workers" "$items" "$function" ;;
	3) bench_time "$counted" "$python" "$BENCH_SRCDIR/pool_map.py" "$workers" "$items" "$function" ;;
	4) bench_time "$counted" "$REFERENCE_LOOP" "$workers" "$items" 1 "$ECHO_WORKER" ;;
	5) bench_time "$counted" "$REFERENCE_LOOP" "$workers" "$items" 64 "$ECHO_WORKER" ;;
	esac
}

# pooltop's output goes nowhere; the others print their result count.
run_checked() {        # run_checked INDEX
	local status=0
	run_one "$1" || status=$?
	[ "$status" = 0 ] || bench_fail "${run_names[$1]}: exit status $status"
	if [ "$1" -ge 2 ]; then
		[ "$(cat "$BENCH_DIR/stdout")" = "$items" ] ||
			bench_fail "${run_names[$1]}: $(cat "$BENCH_DIR/stdout") results for $items items"
	fi
}

# Rounds interleave the runs, each round starting with a different one, so
# a burst of load elsewhere on the machine does not fall on one contender
# only; each keeps its best round.
keys=(pooltop_inflight1 pooltop_inflight64 imap map reference1 reference64)
declare -a rates
for ((round = 0; round < rounds; round++)); do
	for index in $(bench_order ${#run_names[@]} "$round"); do
		run_checked "$index"
		rate=$(bench_rate "$items" "$bench_seconds")
		rates[index]=$(bench_best_rate "$rate" "${rates[index]:-}")
	done
done

imap_rate=${rates[2]}
reference64_rate=${rates[5]}
bench_results worker_throughput run items_per_s x_imap x_reference64
{
	printf 'run\titems/s\tx imap\tx ref 64\n'
	for index in "${!run_names[@]}"; do
		x_imap=$(bench_ratio "${rates[index]}" "$imap_rate")
		x_reference=$(bench_ratio "${rates[index]}" "$reference64_rate")
		printf '%s\t%s\t%s\t%s\n' "${run_names[index]}" "$(bench_group "${rates[index]}")" \
			"$x_imap" "$x_reference"
		bench_record "${keys[index]}" "${rates[index]}" "$x_imap" "$x_reference"
	done
} | bench_table
echo

# Peak RSS over many items, without -k: memory must not grow with the
# number of items. GNU time reports the largest resident set of pooltop and
# of the workers it waited for, so the figure bounds pooltop's own.
rss_kib=
if [ -x /usr/bin/time ]; then
	start=$EPOCHREALTIME
	/usr/bin/time -f '%M' -o "$BENCH_DIR/rss" "$POOLTOP" --batch --worker --inflight=64 \
		-j "$workers" --range=1.."$rss_items" -- "$ECHO_WORKER" > /dev/null ||
		bench_fail "pooltop over $rss_items items: exit status $?"
	seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f", b - a }')
	rss_kib=$(tail -n 1 "$BENCH_DIR/rss")
	echo "pooltop --worker --inflight 64, $rss_items items: peak RSS $rss_kib KiB," \
		"$(bench_group "$(bench_rate "$rss_items" "$seconds")") items/s"
else
	echo "peak RSS: /usr/bin/time not found (Debian package 'time'); skipped"
fi
echo

echo "targets:"
bench_target "--inflight 1 / imap(chunksize=1)" "$(bench_ratio "${rates[0]}" "$imap_rate")" ">=" 0.9
bench_target "--inflight 64 / imap(chunksize=1)" "$(bench_ratio "${rates[1]}" "$imap_rate")" ">=" 10
bench_target "--inflight 64 / reference loop (64 in flight)" \
	"$(bench_ratio "${rates[1]}" "$reference64_rate")" ">=" 0.5
if [ -n "$rss_kib" ]; then
	bench_target "peak RSS in MiB, $rss_items items, no -k" \
		"$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')" "<" 16
fi
bench_finish

#!/bin/bash
# checksum.sh - a real workload in command mode: sha256sum of 6,000 files,
# one process per file, 2 at a time, output captured, from pooltop --batch
# and from xargs -P2 -n1, best of 3 rounds taken in turn.  Every output line
# must be the same from both (compared sorted), or the benchmark fails.
#
# The files are manual pages from /usr/share/man when there are enough,
# else small generated files.  BENCH_CHECKSUM_FILES=N sets the count
# (default BENCH_ITEMS * 6 / 1000, at least 100, so 6,000 by default);
# BENCH_REPEAT rounds (default 3).

. "$(dirname "$0")/bench_lib.sh"

files=${BENCH_CHECKSUM_FILES:-$(( ${BENCH_ITEMS:-1000000} * 6 / 1000 ))}
[ "$files" -ge 100 ] || files=100
rounds=${BENCH_REPEAT:-3}
jobs=2

bench_need "$POOLTOP" xargs sha256sum

# Manual pages with plain names only: xargs splits at blanks and quotes.
find /usr/share/man -type f 2> /dev/null | LC_ALL=C grep '^[A-Za-z0-9_./+-]*$' |
	LC_ALL=C sort | head -n "$files" > "$BENCH_DIR/items"
if [ "$(wc -l < "$BENCH_DIR/items")" -eq "$files" ]; then
	source="manual pages from /usr/share/man"
else
	# Too few: the same files on every machine, a few hundred bytes each.
	mkdir "$BENCH_DIR/files"
	awk -v n="$files" -v dir="$BENCH_DIR/files" 'BEGIN {
		for (i = 1; i <= n; i++) {
			path = sprintf("%s/file%05d", dir, i)
			for (line = 0; line < 8; line++)
				printf "file %d line %d: %d\n", i, line, (i * 7919 + line * 104729) % 1000003 > path
			close(path)
			print path
		}
	}' > "$BENCH_DIR/items"
	source="generated files (/usr/share/man has too few)"
fi
# Read them all once, so every round finds them in the page cache.
xargs cat < "$BENCH_DIR/items" > /dev/null

bench_machine
echo "items:   $files $source, sha256sum each, $jobs at a time, output captured,"
echo "         best of $rounds round(s), runners in turn"
echo

names=("pooltop --batch -j$jobs" "xargs -P$jobs -n1")
keys=(pooltop xargs)

run_one() {            # run_one INDEX: times run INDEX into BENCH_DIR/out.INDEX
	case $1 in
	0) bench_time "$BENCH_DIR/out.0" "$POOLTOP" --batch -j "$jobs" sha256sum < "$BENCH_DIR/items" ;;
	1) bench_time "$BENCH_DIR/out.1" xargs -P "$jobs" -n 1 sha256sum < "$BENCH_DIR/items" ;;
	esac
}

declare -a rates
for ((round = 0; round < rounds; round++)); do
	for index in $(bench_order ${#names[@]} "$round"); do
		status=0
		run_one "$index" || status=$?
		[ "$status" = 0 ] || bench_fail "${names[index]}: exit status $status"
		rate=$(bench_rate "$files" "$bench_seconds")
		rates[index]=$(bench_best_rate "$rate" "${rates[index]:-}")
		# Speed means nothing unless the output is whole and right.
		LC_ALL=C sort "$BENCH_DIR/out.$index" > "$BENCH_DIR/sorted.$index"
		lines=$(wc -l < "$BENCH_DIR/sorted.$index")
		[ "$lines" -eq "$files" ] || bench_fail "${names[index]}: $lines output lines for $files files"
	done
	cmp -s "$BENCH_DIR/sorted.0" "$BENCH_DIR/sorted.1" ||
		bench_fail "pooltop's and xargs' output lines differ (sorted): $(diff "$BENCH_DIR/sorted.0" \
			"$BENCH_DIR/sorted.1" | head -n 3 | tr '\n' ' ')"
done
echo "output:  $files lines from each runner, identical when sorted"
echo

xargs_rate=${rates[1]}
bench_results checksum runner files_per_s x_xargs
{
	printf 'run\tfiles/s\tx xargs\n'
	for index in "${!names[@]}"; do
		x_xargs=$(bench_ratio "${rates[index]}" "$xargs_rate")
		printf '%s\t%s\t%s\n' "${names[index]}" "$(bench_group "${rates[index]}")" "$x_xargs"
		bench_record "${keys[index]}" "${rates[index]}" "$x_xargs"
	done
} | bench_table
echo

echo "targets:"
bench_target "pooltop / xargs -P$jobs -n1, sha256sum" "$(bench_ratio "${rates[0]}" "$xargs_rate")" ">=" 1.2
bench_finish

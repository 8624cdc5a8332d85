#!/bin/bash
# tests/cli/demo.sh - pooltop --demo reproduces Pool(3).map(square,
# range(10)) with one-second items: a line per item naming its pid (three
# pids, reused), the list of squares in input order, and 4 s, not 10.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
skip_under_wrapper "--demo's workers re-execute /proc/self/exe, which is then the tool, not pooltop"

# item_lines: the "item X -> Y  (pid P)" lines of $output.
item_lines() {
	grep -E '^item -?[0-9]+ -> -?[0-9]+  \(pid [0-9]+\)$' <<< "$output"
}

started=$(now_ms)
run "$POOLTOP" --batch --demo
elapsed=$(( $(now_ms) - started ))
is "$status" 0 "the demo exits with status 0"
is "$errors" "" "the demo writes nothing on stderr in batch mode"
is "$(item_lines | wc -l)" 10 "the demo prints one line per item, 10 in all"
is "$(item_lines | sed -E 's/^item ([0-9]+) .*/\1/' | sort -n | tr '\n' ' ')" \
	"0 1 2 3 4 5 6 7 8 9 " "each item from 0 to 9 appears once"
squares_right=$(item_lines | awk '{ if ($4 != $2 * $2) bad = 1 } END { print bad ? "no" : "yes" }')
is "$squares_right" yes "each item line shows the item's square"
is "$(item_lines | sed -E 's/.*\(pid ([0-9]+)\)$/\1/' | sort -u | wc -l)" 3 \
	"exactly three distinct pids ran the ten items"
ok 'grep -qxF "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]" <<< "$output"' \
	"the results are listed in input order, as Pool.map returns them"
is "$(sed -n '$p' <<< "$output" | grep -cE '^total time: [0-9]+\.[0-9]+ s$')" 1 \
	"the last line is the total time"
ok '[ "$elapsed" -ge 3000 ] && [ "$elapsed" -le 5000 ]' \
	"10 one-second items on 3 workers take 4 s, plus or minus 1 ($elapsed ms)"
reported=$(sed -nE 's/^total time: ([0-9]+)\..*/\1/p' <<< "$output")
ok '[ "${reported:-0}" -ge 3 ] && [ "${reported:-0}" -le 5 ]' \
	"the reported total time is about 4 s too (${reported:-none} s)"

started=$(now_ms)
run "$POOLTOP" --batch --demo -j 5 --range 0..4
elapsed=$(( $(now_ms) - started ))
is "$status" 0 "the demo with -j 5 --range 0..4 exits with status 0"
is "$(item_lines | wc -l)" 5 "--range 0..4 gives five items"
is "$(item_lines | sed -E 's/.*\(pid ([0-9]+)\)$/\1/' | sort -u | wc -l)" 5 \
	"-j 5 runs them on five workers"
ok 'grep -qxF "[0, 1, 4, 9, 16]" <<< "$output"' "the list holds the five squares"
ok '[ "$elapsed" -ge 800 ] && [ "$elapsed" -le 2500 ]' \
	"five one-second items on five workers take about 1 s ($elapsed ms)"

done_testing

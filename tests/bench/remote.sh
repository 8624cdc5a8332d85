#!/bin/bash
# remote.sh - the cost of an item on a remote host: 200 tiny items (true)
# on one host through pooltop -S, against one ssh handshake per item, the
# host being the tests' private sshd on this machine (tests/sshd_lib.sh).
# With one control master per host an item costs a channel, not a
# handshake: the target is at most 0.3 x a handshake per item.
# BENCH_REMOTE_ITEMS=N sets the item count (default 200), BENCH_REPEAT the
# rounds (default 3, the best taken).

. "$(dirname "$0")/bench_lib.sh"
bench_dir=$BENCH_DIR
# The private sshd's helpers; their cleanup and the benchmark's both run.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
trap '_test_cleanup; rm -rf "$bench_dir"' EXIT

items=${BENCH_REMOTE_ITEMS:-200}
rounds=${BENCH_REPEAT:-3}
handshakes=10

bench_need "$POOLTOP" ssh
sshd_start testhost > /dev/null
bench_machine
echo "items:   $items x true on one host (a private sshd on 127.0.0.1), slots by its CPU count,"
echo "         best of $rounds round(s); a handshake: ssh -o ControlPath=none testhost true, mean of $handshakes"
echo

bench_time /dev/null bash -c "for ((i = 0; i < $handshakes; i++)); do $SSH -o ControlPath=none testhost true < /dev/null || exit 1; done" ||
	bench_fail "ssh testhost true failed"
handshake=$(awk -v s="$bench_seconds" -v n="$handshakes" 'BEGIN { printf "%.4f", s / n }')

best=
for ((round = 0; round < rounds; round++)); do
	seq 1 "$items" | bench_time /dev/null "$POOLTOP" --batch --ssh "$SSH" -S testhost true ||
		bench_fail "pooltop -S testhost failed"
	if [ -z "$best" ] || awk -v a="$bench_seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
		best=$bench_seconds
	fi
done
ratio=$(awk -v t="$best" -v h="$handshake" -v n="$items" 'BEGIN { printf "%.3f", t / (h * n) }')
per_item=$(awk -v t="$best" -v n="$items" 'BEGIN { printf "%.1f", 1000 * t / n }')

printf "  %-44s %10s\n" "one ssh handshake (ms)" "$(awk -v h="$handshake" 'BEGIN { printf "%.1f", 1000 * h }')"
printf "  %-44s %10s\n" "$items items through one master (s)" "$best"
printf "  %-44s %10s\n" "per item (ms)" "$per_item"
printf "  %-44s %10s\n" "ratio to a handshake per item" "$ratio"
echo
bench_results remote "handshake_s" "items" "seconds" "ratio"
bench_record "$handshake" "$items" "$best" "$ratio"
bench_target "remote: items vs a handshake per item" "$ratio" "<=" 0.3
bench_finish

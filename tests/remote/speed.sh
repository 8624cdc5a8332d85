#!/bin/bash
# One connection per host: 200 tiny items on one host cost a channel each,
# not a handshake.  They must finish in at most 0.3 x the time of one ssh
# handshake per item (a generous bound: it is usually far lower); the
# handshake is measured here, on the same loaded or idle machine.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/sshd_lib.sh"
sshd_start

handshakes=5
start=$(now_ms)
for ((i = 0; i < handshakes; i++)); do
	$SSH -o ControlPath=none testhost true < /dev/null || bail_out "ssh testhost true failed"
done
handshake_ms=$(( ($(now_ms) - start) / handshakes ))
diag "one handshake: $handshake_ms ms"

start=$(now_ms)
run "$POOLTOP" --batch --ssh "$SSH" -S testhost true ::: $(seq 1 200)
pool_ms=$(( $(now_ms) - start ))
is "$status" 0 "200 items on one host succeed"
bound_ms=$(( handshake_ms * 200 * 3 / 10 ))
diag "200 items: $pool_ms ms (bound $bound_ms ms; ratio to a handshake per item: $(( pool_ms * 1000 / (handshake_ms * 200) ))/1000)"
ok "[ $pool_ms -le $bound_ms ]" "200 items take at most 0.3 x a handshake per item"
# No connection but the master's: sshd logged one login for the run.
done_testing

#!/bin/bash
# tests/tui/machine.sh - the header shows the machine beside the pool: CPU
# busy out of all the cores, the load average and the memory available,
# dropped before the pool's own figures when the terminal narrows; a pool
# held back says why; and autotune's steps carry their reason in the
# history line.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_tmux

cores=$(getconf _NPROCESSORS_ONLN)
header() { tui_screen | head -n 1; }

tui_start 160 20 "$POOLTOP" -j 2 --refresh=0.5 --range=1..100000 --shell 'sleep 0.5; : {}'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"

tui_wait_text 10 "/$((cores * 100))%"
ok $? "the header shows the machine's CPU busy out of $((cores * 100))% ($cores cores, 100 = one core)"
like "$(header)" "busy [0-9.]+/$((cores * 100))%" "as busy N/$((cores * 100))%"
like "$(header)" "load [0-9]+\.[0-9][0-9]" "the header shows the load average"
shown_load=$(header | sed -n 's/.*load \([0-9.]*\).*/\1/p')
real_load=$(cut -d ' ' -f 1 /proc/loadavg)
ok "awk -v a='$shown_load' -v b='$real_load' 'BEGIN { d = a - b; exit !(d < 2 && d > -2) }'" \
	"and it is the machine's (shown $shown_load, /proc/loadavg $real_load)"
like "$(header)" "avail [0-9.]+[KMGT]" "the header shows the memory available"
like "$(header)" "[0-9]/2 jobs.* CPU [0-9.-]+%? .*busy" "the pool's CPU comes before the machine's"

# Narrower: the machine's figures go before the pool's.
tui_resize 80 20
wait_for 5 eval '! header | grep -q "avail"'
ok $? "at 80 columns the memory figure is dropped first"
like "$(header)" "[0-9]/2 jobs" "the pool's count stays"
tui_resize 60 20
wait_for 5 eval '! header | grep -q "busy\|load"'
ok $? "at 60 columns the machine's figures are gone"
like "$(header)" "[0-9]/2 jobs" "and the pool's count still shows"

# A pool held back says why.  Pausing holds it (its note says "paused");
# with --load, a machine above the limit holds it ("held: load").
tui_resize 160 20
tui_keys p
tui_wait_text 5 "paused"
ok $? "a paused pool says so in the header"
tui_keys p
tui_keys Q
tui_wait_exit 15
tui_stop

# A busy loop keeps one thread running, so --load 0 holds on any machine.
start_cpu_hog
tui_start 160 20 "$POOLTOP" -j 2 --load=0 --range=1..100000 --shell 'sleep 0.5; : {}'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 10 "held: load"
ok $? "a pool held by --load says \"held: load\" in the header"
tui_keys Q
tui_wait_exit 15
tui_stop
kill -9 "$hog" 2> /dev/null
wait "$hog" 2> /dev/null

# --- autotune's reasons in the history line -----------------------------------

tui_start 160 20 "$POOLTOP" -j 1 --refresh=0.5 --autotune=1..8 --range=1..100000 --shell 'sleep 0.2; : {}'
pooltop_pid=$(tui_pid)
at_exit "kill -TERM $pooltop_pid; kill -TERM $pooltop_pid"
tui_wait_text 30 "1→2 throughput at"
ok $? "autotune's first step is written out with its reason: 1→2 throughput"
sparkline=$(tui_screen | sed -n 2p | sed 's/  items\/s.*//')
like "$sparkline" "t" "and marked t (throughput) in the sparkline" || diag "sparkline: $sparkline"
tui_keys Q
tui_wait_exit 15
ok $? "Q ends it"

done_testing

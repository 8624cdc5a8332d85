#!/bin/bash
# tests/cli/throttle.sh - GNU parallel's throttles and the status for
# scripts: --load held by a CPU hog, an impossible --memfree, both lifted
# over the control socket; the status JSON's new fields for a CPU-bound
# job; watch streaming objects; --nice reaching the job.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tuning/tuning_lib.sh"
require_command python3

# json_get EXPRESSION: evaluate a Python expression over the status object
# `s` of a fresh status reply; empty when the reply is not JSON.
json_get() {
	"$POOLTOP" ctl "$SOCK" status 2> /dev/null | python3 -c '
import json, sys
line = sys.stdin.readline()
s = json.loads(line[3:])
print(eval(sys.argv[1]))' "$1" 2> /dev/null
}

json_is() {
	[ "$(json_get "$1")" = "$2" ]
}

# --- --load: a CPU hog keeps one thread running, so --load 0 holds -------

start_cpu_hog

SOCK=$TEST_DIR/load.sock
start_pool -j2 --load 0 --range=1..4 --shell "echo {} >> '$TEST_DIR/load.started'" ||
	bail_out "pooltop --load did not start"
ok 'wait_for 10 json_is "s[\"throttle\"]" load' "--load 0 with a hog running: status says throttle \"load\""
ok '[ ! -s "$TEST_DIR/load.started" ]' "and no job has started"
is "$(json_get 's["limits"]["load"]')" 0.01 "--load 0 means 0.01, as GNU parallel reads it"
ctl load off
is "$reply" "ok load off" "load off answers ok"
wait_pool 20
is "$pool_status" 0 "with the limit off, every item runs and pooltop exits with 0"
is "$(sort -n "$TEST_DIR/load.started" 2> /dev/null | tr '\n' ' ')" "1 2 3 4 " "all four items ran"
kill -9 "$hog" 2> /dev/null
wait "$hog" 2> /dev/null

# --- --memfree: more than the machine has holds every start --------------

SOCK=$TEST_DIR/memfree.sock
start_pool -j2 --memfree 1P --range=1..3 --shell "echo {} >> '$TEST_DIR/memfree.started'" ||
	bail_out "pooltop --memfree did not start"
ok 'wait_for 10 json_is "s[\"throttle\"]" memfree' "an impossible --memfree: status says throttle \"memfree\""
ok '[ ! -s "$TEST_DIR/memfree.started" ]' "and no job has started"
ctl memfree 2P
is "$reply" "ok memfree 2P" "memfree SIZE changes the limit live"
is "$(json_get 's["limits"]["memfree"]')" $((2 * 1125899906842624)) "P is a power of 1024, as GNU parallel's"
ctl memfree lots
is "$ctl_status" 1 "memfree wants a size"
ctl memfree off
wait_pool 20
is "$pool_status" 0 "memfree off lets the items run"
is "$(sort -n "$TEST_DIR/memfree.started" 2> /dev/null | tr '\n' ' ')" "1 2 3 " "all three items ran"

run "$POOLTOP" --batch --memfree=lots -- true ::: 1
is "$status" 255 "a --memfree that is no size is refused"
like "$errors" "invalid --memfree 'lots'" "with one line naming it"

# --- the status JSON for a CPU-bound job -----------------------------------

SOCK=$TEST_DIR/status.sock
start_pool -j1 --refresh=0.2 --range=1..2 --shell 'while :; do :; done; echo {}' ||
	bail_out "pooltop did not start"
wait_for 10 json_is 's["running"]' 1
status_json=$("$POOLTOP" ctl "$SOCK" status)
ok 'python3 -c "import json,sys; json.loads(sys.stdin.read()[3:])" <<< "$status_json"' "status is one valid JSON object"
for name in target running done failed queued total items_per_s paused autotune cpu_percent rss_bytes throttle workers; do
	like "$status_json" "\"$name\":" "the status has $name"
done
ok 'wait_for 10 json_is "s[\"cpu_percent\"] is not None and s[\"cpu_percent\"] > 0" True' \
	"a CPU-bound job: the pool's cpu_percent is above 0 within 10 s"
ok 'wait_for 10 json_is "s[\"rss_bytes\"] > 0" True' "rss_bytes counts the job's memory"
is "$(json_get 's["throttle"]')" None "nothing throttles: throttle is null"
is "$(json_get 'sorted(s["workers"][0])')" \
	"['cpu_percent', 'done', 'elapsed', 'failed', 'host', 'item', 'pid', 'rss_bytes', 'slot', 'state']" \
	"a worker has slot, pid, host, state, item, elapsed, cpu_percent, rss_bytes, done, failed"
is "$(json_get '[s["workers"][0][k] for k in ("slot", "state", "item")]')" "[1, 'run', '1']" \
	"the worker shows its slot, state and item"
ok 'wait_for 10 json_is "s[\"workers\"][0][\"cpu_percent\"] is not None and s[\"workers\"][0][\"cpu_percent\"] > 0" True' \
	"and so is its worker's"
ok 'wait_for 10 json_is "s[\"cpu_percent\"] <= 150" True' "and the pool's is not counted twice (one job: at most 150)"

# --- watch ---------------------------------------------------------------

timeout 5 "$POOLTOP" ctl "$SOCK" watch > "$TEST_DIR/watch.out" 2>&1 &
watcher=$!
at_exit "kill -9 $watcher"
watch_lines() {
	[ "$(grep -c '^{' "$TEST_DIR/watch.out")" -ge 3 ]
}
ok 'wait_for 4 watch_lines' "watch streams a status object per refresh (3 within 4 s at --refresh=0.2)"
is "$(head -n 1 "$TEST_DIR/watch.out")" "ok watching" "after one ok line"
kill -9 "$watcher" 2> /dev/null
wait "$watcher" 2> /dev/null
ok 'python3 -c "
import json, sys
for line in open(sys.argv[1]).read().splitlines()[1:4]:
    assert \"workers\" in json.loads(line)" "$TEST_DIR/watch.out"' "each streamed line is a status object"
ctl status
like "$reply" '^ok \{' "a watcher that leaves does not disturb the pool"
ctl quit kill
wait_pool 20

# --- --nice ----------------------------------------------------------------

run "$POOLTOP" --batch --nice 10 -- sh -c 'cut -d" " -f19 /proc/$$/stat' ::: 1
is "$output" 10 "--nice 10: the job runs at niceness 10 (/proc/PID/stat field 19)"
run "$POOLTOP" --batch --worker --nice 7 -j1 -- sh -c 'while read -r line; do cut -d" " -f19 /proc/$$/stat; done' ::: 1
is "$output" 7 "a persistent worker too"
run "$POOLTOP" --batch -- sh -c 'cut -d" " -f19 /proc/$$/stat' ::: 1
is "$output" "$(cut -d' ' -f19 /proc/$$/stat)" "without --nice, jobs keep pooltop's niceness"

done_testing

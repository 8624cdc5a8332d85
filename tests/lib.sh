# tests/lib.sh - shared helpers for pooltop's shell tests, sourced by each
# tests/cli/*.sh and tests/tui/*.sh: TAP output, a private temp dir, bounded
# polling, running the binary, and a private tmux server for TUI tests.
#
# A test looks like:
#
#   #!/bin/bash
#   . "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
#   run "$POOLTOP" --batch --range=1..3 echo
#   is "$status" 0 "three echo items succeed"
#   done_testing
#
# TAP goes to stdout, so keep the program's own output away from it: capture
# it with `run` or redirect it into "$TEST_DIR".

# --- locations -------------------------------------------------------------

# make check exports absolute top_srcdir, top_builddir and POOLTOP; when a
# test is run by hand, derive them from this file's place in the tree.
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POOLTOP:=$top_builddir/src/pooltop}"
export top_srcdir top_builddir POOLTOP

# --- TAP -------------------------------------------------------------------

tap_count=0        # results printed so far
tap_failed=0       # of which failed
tap_planned=       # number given to plan, if any

# plan N: announce N tests up front (or use done_testing at the end).
plan() {
	tap_planned=$1
	echo "1..$1"
}

# diag MESSAGE...: each line of each MESSAGE as a TAP comment line.
diag() {
	local message line
	for message in "$@"; do
		while IFS= read -r line; do
			echo "# $line"
		done <<< "$message"
	done
}

_tap_result() {        # _tap_result PASSED DESCRIPTION
	tap_count=$((tap_count + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_count - $2"
		return 0
	fi
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_count - $2"
	return 1
}

# ok COND DESCRIPTION: passes when COND succeeds. COND is either an exit
# status (0 passes) or a shell command string, evaluated:
#   ok '[ -s "$TEST_DIR/out" ]' "output is not empty"
#   some_command; ok $? "some_command succeeds"
ok() {
	# No locals besides _ok_status: the evaluated condition must see the
	# test's own variables ($status, $output...), not shadows of them.
	local _ok_status
	if [[ $1 =~ ^[0-9]+$ ]]; then
		_ok_status=$1
	else
		eval "$1" && _ok_status=0 || _ok_status=1
	fi
	_tap_result "$_ok_status" "$2" && return 0
	[[ $1 =~ ^[0-9]+$ ]] || diag "  condition: $1"
	return 1
}

# is GOT WANT DESCRIPTION: string equality.
is() {
	[ "$1" == "$2" ] && _tap_result 0 "$3" && return 0
	_tap_result 1 "$3"
	diag "       got: '$1'" "  expected: '$2'"
	return 1
}

# isnt GOT UNWANTED DESCRIPTION: string inequality.
isnt() {
	[ "$1" != "$2" ] && _tap_result 0 "$3" && return 0
	_tap_result 1 "$3"
	diag "       got: '$1'" "  expected anything else"
	return 1
}

# like GOT REGEX DESCRIPTION: GOT matches the extended regular expression.
like() {
	[[ $1 =~ $2 ]] && _tap_result 0 "$3" && return 0
	_tap_result 1 "$3"
	diag "       got: '$1'" "  expected to match: /$2/"
	return 1
}

# unlike GOT REGEX DESCRIPTION: GOT does not match the regular expression.
unlike() {
	! [[ $1 =~ $2 ]] && _tap_result 0 "$3" && return 0
	_tap_result 1 "$3"
	diag "       got: '$1'" "  expected not to match: /$2/"
	return 1
}

# pass DESCRIPTION / fail DESCRIPTION: an unconditional result.
pass() { _tap_result 0 "$1"; }
fail() { _tap_result 1 "$1"; }

# skip REASON [COUNT]: report COUNT tests (default 1) as skipped.
skip() {
	local reason=$1 count=${2:-1} i
	for ((i = 0; i < count; i++)); do
		tap_count=$((tap_count + 1))
		echo "ok $tap_count # SKIP $reason"
	done
}

# skip_all REASON: skip the whole file; only valid before any result.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# bail_out REASON: stop the whole file with an error the harness reports.
bail_out() {
	echo "Bail out! $1"
	exit 255
}

# done_testing: print the plan (unless given up front) and end the file.
# The exit status is the number of failures (capped), for runs by hand.
done_testing() {
	if [ -z "$tap_planned" ]; then
		echo "1..$tap_count"
	elif [ "$tap_planned" != "$tap_count" ]; then
		diag "planned $tap_planned tests but ran $tap_count"
	fi
	exit $((tap_failed > 254 ? 254 : tap_failed))
}

# require_command NAME...: skip the file unless every NAME is installed.
require_command() {
	local name
	for name in "$@"; do
		command -v "$name" > /dev/null 2>&1 ||
			skip_all "$name is not installed"
	done
}

# --- temp dir and cleanup --------------------------------------------------

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pooltop-test.XXXXXX") ||
	bail_out "cannot create a temporary directory"
export TEST_DIR

test_exit_hooks=()

# at_exit COMMAND: run COMMAND (a string, evaluated) when the test ends.
at_exit() {
	test_exit_hooks+=("$1")
}

# _process_group PID: set $process_group to the process group of PID.
_process_group() {
	local stat fields
	process_group=
	{ read -r stat < "/proc/$1/stat"; } 2> /dev/null || return 1
	read -r -a fields <<< "${stat##*) }"    # the fields after "pid (command) "
	process_group=${fields[2]}
}

# _group_members: pids of the other processes in this test's process group.
_group_members() {
	local stat pid process_group
	if command -v pgrep > /dev/null; then
		for pid in $(pgrep -g $$); do
			[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || echo "$pid"
		done
		return
	fi
	for stat in /proc/[0-9]*/stat; do
		pid=${stat#/proc/}
		pid=${pid%/stat}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
		_process_group "$pid" && [ "$process_group" = "$$" ] && echo "$pid"
	done
}

_group_is_gone() {
	[ -z "$(_group_members)" ]
}

# When the test leads its own process group (make check starts each test in
# a session of its own), whatever is still running in the group once the
# test is done is a leftover, however it was started (a subshell, a
# function run in the background...): ask it to stop, then kill it.
_stop_leftovers() {
	local pids process_group
	_process_group $$ && [ "$process_group" = "$$" ] || return 0
	pids=$(_group_members)
	[ -n "$pids" ] || return 0
	kill -TERM $pids 2> /dev/null
	wait_for 2 _group_is_gone && return 0
	pids=$(_group_members)
	[ -n "$pids" ] && kill -KILL $pids 2> /dev/null
}

_test_cleanup() {
	local hook pids
	for hook in "${test_exit_hooks[@]}"; do
		eval "$hook" > /dev/null 2>&1
	done
	tui_stop
	# Background jobs the test left running (e.g. a pooltop under test).
	pids=$(jobs -p)
	[ -n "$pids" ] && kill $pids 2> /dev/null
	disown -a
	_stop_leftovers
	rm -rf "$TEST_DIR"
}

trap _test_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'diag "stopped by SIGTERM (over the time limit of make check?)"; exit 143' TERM

# --- time and polling ------------------------------------------------------

# now_ms: wall-clock milliseconds, for measuring durations.
# make_hold_job FILE: a job script that records its pid (pid.ITEM), says
# it started (started.ITEM), and ends, writing "finished ITEM", only once
# the file "go" exists in the current directory, or after 20 s at most.
make_hold_job() {
	cat > "$1" << 'JOB'
#!/bin/sh
echo $$ > "pid.$1"
touch "started.$1"
tries=0
while [ ! -e go ] && [ $tries -lt 1000 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
echo "finished $1"
JOB
	chmod +x "$1"
}

# unknown_verb_reply: sets reply to what a running pooltop's control
# socket answers to a verb it does not know ("error unknown command 'X'
# (verbs: ...)"), from a pooltop started for it over long jobs and asked
# to quit afterwards; returns 0 when that pooltop quit.
unknown_verb_reply() {
	local sock=$TEST_DIR/verbs.sock pool_pid
	"$POOLTOP" --batch -j 1 --control="$sock" --range=1..1000 -- sleep 60 \
		< /dev/null > "$TEST_DIR/verbs.out" 2> "$TEST_DIR/verbs.err" &
	pool_pid=$!
	at_exit "kill -9 $pool_pid"
	_socket_answers() { [ -S "$sock" ] && "$POOLTOP" ctl "$sock" status > /dev/null 2>&1; }
	wait_for 15 _socket_answers ||
		diag "pooltop did not come up; its stderr:" "$(cat "$TEST_DIR/verbs.err")"
	reply=$("$POOLTOP" ctl "$sock" nosuchverb 2>&1)
	"$POOLTOP" ctl "$sock" quit kill > /dev/null 2>&1
	wait_exit "$pool_pid" 20
}

# start_cpu_hog: a busy loop in the background for two minutes at most,
# pid in hog, killed at exit; returns once it spins.  It is always
# runnable (state R), so the machine's count of running threads stays at
# one or more while it lives (what --load 0 needs to hold a pool).
start_cpu_hog() {
	bash -c 'end=$((SECONDS + 120)); while ((SECONDS < end)); do :; done' &
	hog=$!
	at_exit "kill -9 $hog"
	wait_for 10 _hog_spinning || diag "the CPU hog did not start spinning"
}

_hog_spinning() {
	local stat
	stat=$(< "/proc/$hog/stat") || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086 # the fields of /proc/PID/stat
	set -- $stat
	[ "$1" = R ] && [ "${12}" -gt 0 ]
}

# status_field NAME < REPLY: the top-level field NAME of a control socket
# status reply ("ok {...}"), as JSON writes it (true, 3, 0.5), or nothing.
# Read as JSON: the workers array holds fields of the same names.
status_field() {
	python3 -c '
import json, sys
text = sys.stdin.read()
try:
    value = json.loads(text[text.index("{"):]).get(sys.argv[1])
except ValueError:
    sys.exit(0)
if value is not None:
    print(json.dumps(value))
' "$1"
}

now_ms() {
	local micro=${EPOCHREALTIME/[.,]/}
	echo $((10#$micro / 1000))
}

_seconds_to_ms() {     # "2" -> 2000, "0.5" -> 500, "1.25" -> 1250
	local whole=${1%%.*} fraction=000
	[[ $1 == *.* ]] && fraction="${1#*.}000"
	echo $((10#${whole:-0} * 1000 + 10#${fraction:0:3}))
}

# wait_for TIMEOUT_SECONDS COMMAND...: run COMMAND every 50 ms until it
# succeeds (returns 0) or TIMEOUT_SECONDS pass (returns 1). Bounded always.
wait_for() {
	local deadline
	deadline=$(( $(now_ms) + $(_seconds_to_ms "$1") ))
	shift
	while true; do
		"$@" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# --- running the program ---------------------------------------------------

# run COMMAND...: run COMMAND, with stdin from /dev/null, and set $output
# (stdout), $errors (stderr) and $status. Trailing newlines are dropped as in
# $(...); the raw streams stay in $TEST_DIR/run.out and $TEST_DIR/run.err.
run() {
	"$@" < /dev/null > "$TEST_DIR/run.out" 2> "$TEST_DIR/run.err"
	status=$?
	output=$(< "$TEST_DIR/run.out")
	errors=$(< "$TEST_DIR/run.err")
}

# has_exited PID: PID is gone, or a zombie waiting to be reaped.
has_exited() {
	local state
	state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2> /dev/null)
	[ -z "$state" ] || [ "$state" = Z ]
}

# wait_exit PID SECONDS: wait at most SECONDS for PID (a background job of
# the test) to end and set $status to its exit status; a PID still running
# is killed (status 999).
wait_exit() {
	if wait_for "$2" has_exited "$1"; then
		wait "$1" 2> /dev/null
		status=$?
		return 0
	fi
	kill -KILL "$1" 2> /dev/null
	wait "$1" 2> /dev/null
	status=999
	return 1
}

# --- tmux: drive the TUI ---------------------------------------------------

# Each tui_start gets a tmux server of its own (a new socket name, so a
# server still shutting down is never reused) with no user configuration,
# no status line (the pane is the whole W x H), and panes that stay after
# their command exits, untouched by any "Pane is dead" line, so the last
# screen and the exit status can still be read.
TUI_SOCKET=pooltop-test-$$
TUI_TARGET=pooltop-test
tui_started=
tui_start_count=0
tui_pid_file=
tui_status_file=

_tmux() {
	tmux -u -L "$TUI_SOCKET" -f /dev/null "$@"
}

# require_tmux: skip the whole file when tmux is not installed.
require_tmux() {
	command -v tmux > /dev/null 2>&1 ||
		skip_all "tmux is not installed (Debian package tmux)"
}

# The program does not run as the pane's own process: tmux 3.3 often loses
# the exit status of a pane's process (pane_dead_status stays empty), so a
# small bash parent waits for it and writes its pid and status to files.
# The program stays in the terminal's foreground process group with the
# terminal as stdin, and gets SIGINT and SIGQUIT back (bash ignores them in
# background commands); the parent ignores the keyboard's signals.
_tui_parent='pid_file=$1 status_file=$2; shift 2
env --default-signal=INT,QUIT "$@" <&0 &
echo "$!" > "$pid_file"
trap "" INT QUIT TSTP TTIN TTOU
wait "$!"
echo "$?" > "$status_file"'

# In a build with --enable-sanitizers, LeakSanitizer's check at exit spins
# for ever when the SIGHUP of a terminal that goes away kills the task it
# stops the process with: under a terminal, leaks are left to valgrind
# (make check-valgrind).  Options given by the caller still come last.
_tui_asan_options="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

# tui_start W H COMMAND...: run COMMAND in a detached W x H terminal, in a
# UTF-8 locale (C.UTF-8 unless TUI_LOCALE names another). COMMAND is a
# program and its arguments; use `bash -c '...'` for a shell command line.
# A terminal started before is stopped first.
tui_start() {
	local width=$1 height=$2
	shift 2
	if ! command -v tmux > /dev/null 2>&1; then
		[ "$tap_count" = 0 ] && require_tmux
		bail_out "tmux is not installed (Debian package tmux)"
	fi
	tui_stop
	tui_start_count=$((tui_start_count + 1))
	TUI_SOCKET=pooltop-test-$$-$tui_start_count
	tui_pid_file=$TEST_DIR/tui-$tui_start_count.pid
	tui_status_file=$TEST_DIR/tui-$tui_start_count.status
	_tmux start-server \; \
		set-option -g status off \; \
		set-option -g remain-on-exit on \; \
		set-option -gq remain-on-exit-format '' \; \
		set-option -g history-limit 10000 \; \
		new-session -d -s "$TUI_TARGET" -x "$width" -y "$height" \
			-e "LC_ALL=${TUI_LOCALE:-C.UTF-8}" \
			-e "ASAN_OPTIONS=$_tui_asan_options" -- \
			bash -c "$_tui_parent" tui "$tui_pid_file" "$tui_status_file" "$@" ||
		bail_out "tmux could not start a session"
	tui_started=yes
	wait_for 10 test -s "$tui_pid_file" ||
		bail_out "the program in tmux did not start"
}

# tui_keys KEY...: type keys, as tmux send-keys names them (Enter, Up, F1,
# C-c...); use `tui_keys -l TEXT` for literal text.
tui_keys() {
	_tmux send-keys -t "$TUI_TARGET" "$@"
}

# tui_screen: print the visible screen, one line per row.
tui_screen() {
	_tmux capture-pane -p -t "$TUI_TARGET"
}

# tui_resize W H: resize the terminal (the program gets SIGWINCH).
tui_resize() {
	_tmux resize-window -t "$TUI_TARGET" -x "$1" -y "$2"
}

_tui_screen_has() {
	tui_screen | grep -qF -- "$1"
}

_tui_screen_lacks() {
	! _tui_screen_has "$1"
}

# tui_wait_text TIMEOUT TEXT: wait until TEXT (a fixed string) is on screen.
# On timeout the screen is shown as TAP comments and 1 is returned.
tui_wait_text() {
	wait_for "$1" _tui_screen_has "$2" && return 0
	diag "no '$2' on screen after $1 s; the screen was:" "$(tui_screen)"
	return 1
}

# tui_wait_gone TIMEOUT TEXT: wait until TEXT is no longer on screen.
tui_wait_gone() {
	wait_for "$1" _tui_screen_lacks "$2" && return 0
	diag "'$2' still on screen after $1 s; the screen was:" "$(tui_screen)"
	return 1
}

_tui_exited() {
	[ -s "$tui_status_file" ]
}

# tui_wait_exit TIMEOUT: wait until the program in the terminal has exited.
tui_wait_exit() {
	wait_for "$1" _tui_exited
}

# tui_exit_status: the exit status of the program once it has exited, as
# the shell gives it: 128 + N when signal N killed it.
tui_exit_status() {
	cat "$tui_status_file" 2> /dev/null
}

# tui_pid: the pid of the program running in the terminal.
tui_pid() {
	cat "$tui_pid_file"
}

# tui_stop: kill the terminal and the tmux server (also done at exit).
tui_stop() {
	[ -n "$tui_started" ] || return 0
	_tmux kill-server > /dev/null 2>&1
	tui_started=
}

[ -x "$POOLTOP" ] ||
	bail_out "pooltop binary not found at $POOLTOP: build it first (make)"

# --- running under a tool ----------------------------------------------------

# POOLTOP_WRAPPER="valgrind ..." (make check-valgrind sets it) runs every
# pooltop a test starts under that command: $POOLTOP becomes a small script
# that execs it, so the pid a test holds is still pooltop's.
if [ -n "${POOLTOP_WRAPPER:-}" ]; then
	mkdir "$TEST_DIR/.wrapper" || bail_out "cannot create $TEST_DIR/.wrapper"
	printf '#!/bin/sh\nexec %s %q "$@"\n' "$POOLTOP_WRAPPER" "$POOLTOP" > "$TEST_DIR/.wrapper/pooltop"
	chmod +x "$TEST_DIR/.wrapper/pooltop"
	POOLTOP=$TEST_DIR/.wrapper/pooltop
	export POOLTOP
fi

# memory_is_pooltops: true unless pooltop runs under a tool that changes
# its memory figures (a wrapper, or ASan with --enable-sanitizers, whose
# quarantine holds freed memory on purpose), when RSS checks must skip.
memory_is_pooltops() {
	[ -z "${POOLTOP_WRAPPER:-}" ] && [ -z "${POOLTOP_SANITIZERS:-}" ]
}

# skip_under_wrapper REASON: skip the whole file when a wrapper is in use.
skip_under_wrapper() {
	[ -z "${POOLTOP_WRAPPER:-}" ] || skip_all "not under POOLTOP_WRAPPER: $1"
}

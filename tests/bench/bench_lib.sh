# tests/bench/bench_lib.sh - helpers the benchmark scripts in tests/bench
# source: where the binaries are, wall-clock timing of one command, rates,
# ratios and a target check that prints "met" or "MISSED".
#
# A benchmark looks like:
#
#   #!/bin/bash
#   . "$(dirname "$0")/bench_lib.sh"
#   bench_time /dev/null "$POOLTOP" --batch --range=1..1000 true || bench_fail "pooltop failed"
#   echo "$(bench_rate 1000 "$bench_seconds") items/s"
#   bench_target "pooltop beats xargs" "$ratio" ">=" 1.0
#   bench_finish
#
# Figures vary from run to run on a shared machine: compare ratios measured
# in one run, never absolute numbers from different runs.

# --- locations -------------------------------------------------------------

# make bench exports absolute paths; a script run by hand finds the build
# from its place in the source tree (an in-tree build) or from $top_builddir.
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${POOLTOP:=$top_builddir/src/pooltop}"
: "${BENCH_BINDIR:=$top_builddir/tests/bench}"
: "${BENCH_SRCDIR:=$top_srcdir/tests/bench}"
: "${ECHO_WORKER:=$BENCH_BINDIR/echo_worker}"
: "${REFERENCE_LOOP:=$BENCH_BINDIR/reference_loop}"
export top_srcdir top_builddir POOLTOP BENCH_BINDIR BENCH_SRCDIR ECHO_WORKER REFERENCE_LOOP

# A private scratch directory, removed on exit.
BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pooltop-bench.XXXXXX") || exit 1
trap 'rm -rf "$BENCH_DIR"' EXIT

bench_targets_met=0     # targets checked and met so far
bench_targets_missed=0  # targets checked and missed so far

# bench_need PROGRAM...: stop with a clear message if one is not executable.
bench_need() {
	local program
	for program in "$@"; do
		if [ ! -x "$program" ] && ! command -v "$program" > /dev/null; then
			echo "benchmark: $program not found (run it through 'make bench')" >&2
			exit 1
		fi
	done
}

# bench_fail MESSAGE: one line on stderr, then stop.
bench_fail() {
	echo "benchmark: $*" >&2
	exit 1
}

# bench_time OUTPUT COMMAND...: runs COMMAND with its stdout in the file
# OUTPUT (/dev/null, say) and sets bench_seconds to its wall-clock time.
# Returns COMMAND's status.
bench_time() {
	local output=$1 start status
	shift
	start=$EPOCHREALTIME
	"$@" > "$output"
	status=$?
	bench_seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f", b - a }')
	return "$status"
}

# bench_rate COUNT SECONDS: COUNT per second, rounded to a whole number.
bench_rate() {
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'
}

# bench_ratio A B: A / B with two decimals ("-" when B is zero or empty).
bench_ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "-" }'
}

# bench_best_rate RATE CURRENT: the larger of two rates (CURRENT may be empty).
bench_best_rate() {
	awk -v a="$1" -v b="${2:-0}" 'BEGIN { printf "%.0f", (a > b ? a : b) }'
}

# bench_group NUMBER: 1234567 -> 1,234,567, so large rates read at a glance.
bench_group() {
	printf "%s" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

# bench_target DESCRIPTION VALUE OP LIMIT: prints one target line and counts
# it met or missed. OP is ">=" or "<".
bench_target() {
	local verdict=MISSED
	if awk -v v="$2" -v l="$4" -v op="$3" \
		'BEGIN { exit !((op == ">=" && v + 0 >= l + 0) || (op == "<" && v + 0 < l + 0)) }'; then
		verdict=met
		bench_targets_met=$((bench_targets_met + 1))
	else
		bench_targets_missed=$((bench_targets_missed + 1))
	fi
	printf "  %-52s %10s %-2s %-8s %s\n" "$1" "$2" "$3" "$4" "$verdict"
}

# bench_finish: the targets summary. Missed targets are reported, not
# fatal, unless BENCH_STRICT=1: one loaded run proves little either way.
bench_finish() {
	local checked=$((bench_targets_met + bench_targets_missed))
	[ "$checked" -gt 0 ] && echo "targets: $bench_targets_met met, $bench_targets_missed missed"
	if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$bench_targets_missed" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

# bench_machine: one line on where the figures come from.
bench_machine() {
	local cpu cores
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)
	cores=$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo '?')
	echo "machine: ${cpu:-unknown CPU}, $cores cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
}

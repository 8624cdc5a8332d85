# tests/bench/bench_lib.sh - helpers the benchmark scripts in tests/bench
# source: where the binaries are, wall-clock timing of one command, rates,
# ratios, tables, the results files the plots read and a target check that
# prints "met" or "MISSED".
#
# A benchmark looks like:
#
#   #!/bin/bash
#   . "$(dirname "$0")/bench_lib.sh"
#   bench_time /dev/null "$POOLTOP" --batch --range=1..1000 true || bench_fail "pooltop failed"
#   echo "$(bench_rate 1000 "$bench_seconds") items/s"
#   bench_results mine "run" "items_per_s"; bench_record pooltop 1234
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
: "${SPAWN_LOOP:=$BENCH_BINDIR/spawn_loop}"
: "${BUSY_JOB:=$BENCH_BINDIR/busy_job}"
# Where each benchmark leaves its figures as TSV, for `make bench-plots`.
: "${BENCH_RESULTS:=$top_builddir/tests/bench/results}"
export top_srcdir top_builddir POOLTOP BENCH_BINDIR BENCH_SRCDIR ECHO_WORKER REFERENCE_LOOP
export SPAWN_LOOP BUSY_JOB BENCH_RESULTS

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
# it met or missed. OP is ">=", "<=" or "<"; a VALUE that is not a number ("-",
# "not reached") misses.
bench_target() {
	local verdict=MISSED
	if awk -v v="$2" -v l="$4" -v op="$3" \
		'BEGIN { exit !(v ~ /^[0-9]+(\.[0-9]*)?$/ &&
		                ((op == ">=" && v + 0 >= l + 0) || (op == "<=" && v + 0 <= l + 0) ||
		                 (op == "<" && v + 0 < l + 0))) }'; then
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

# bench_machine: two lines on where and when the figures come from; also
# kept in bench_machine_line and bench_date_line for the results files.
bench_machine() {
	local cpu cores
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)
	cores=$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo '?')
	bench_machine_line="${cpu:-unknown CPU}, $cores cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
	bench_date_line=$(date -u '+%Y-%m-%d %H:%M UTC')
	echo "machine: $bench_machine_line"
	echo "date:    $bench_date_line"
}

# bench_cores: the number of online CPUs.
bench_cores() {
	getconf _NPROCESSORS_ONLN 2> /dev/null || echo 1
}

# bench_order COUNT ROUND: the indices 0..COUNT-1 starting at a different
# one each round, so every contender runs first, last and between others
# as often, and a burst of load elsewhere does not fall on one of them only.
bench_order() {
	local index
	for ((index = 0; index < $1; index++)); do
		printf '%s ' $(((index + $2) % $1))
	done
}

# --- tables and results ----------------------------------------------------

# bench_table: tab-separated rows on stdin, the first the header, printed
# as an aligned Markdown table (first column left, the others right), so a
# run's output can be pasted into README.md as it is.
bench_table() {
	awk -F '\t' '
	{
		rows[NR] = $0
		if (NF > columns) columns = NF
		for (i = 1; i <= NF; i++) if (length($i) > width[i]) width[i] = length($i)
	}
	function row(text,    field, count, i, line) {
		count = split(text, field, "\t")
		line = "|"
		for (i = 1; i <= columns; i++)
			line = line sprintf(" %" (i == 1 ? "-" : "") width[i] "s |", i <= count ? field[i] : "")
		print line
	}
	function dashes(n,    text) { text = ""; while (n-- > 0) text = text "-"; return text }
	END {
		row(rows[1])
		line = "|"
		for (i = 1; i <= columns; i++)
			line = line (i == 1 ? dashes(width[i] + 2) : dashes(width[i] + 1) ":") "|"
		print line
		for (r = 2; r <= NR; r++) row(rows[r])
	}'
}

# bench_results NAME COLUMN...: starts $BENCH_RESULTS/NAME.tsv, replacing
# the last run's, with comment lines for the machine, the date and the
# column names; bench_record then appends rows to it.
bench_results() {
	local name=$1
	shift
	[ -n "${bench_machine_line:-}" ] || bench_machine > /dev/null
	mkdir -p "$BENCH_RESULTS" || bench_fail "cannot create $BENCH_RESULTS"
	bench_results_file=$BENCH_RESULTS/$name.tsv
	{
		echo "# machine: $bench_machine_line"
		echo "# date: $bench_date_line"
		local IFS=$'\t'
		echo "# $*"
	} > "$bench_results_file" || bench_fail "cannot write $bench_results_file"
}

# bench_record FIELD...: one tab-separated row of the results file.
bench_record() {
	local IFS=$'\t'
	echo "$*" >> "$bench_results_file"
}

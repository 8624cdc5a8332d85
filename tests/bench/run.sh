#!/bin/bash
# run.sh - what `make bench` runs: every benchmark in tests/bench, one after
# the other, each under a header line; the main ones first, then any other
# benchmark script, then the C benchmark programs the build made.  Each
# benchmark also leaves its figures in $BENCH_RESULTS for `make bench-plots`.
#
# Names given as arguments or in BENCH_ONLY (comma-separated, without .sh)
# run only those benchmarks. The exit status is 1 when a benchmark failed.

bench_srcdir=${BENCH_SRCDIR:-$(cd "$(dirname "$0")" && pwd)}
: "${top_builddir:=$(cd "$bench_srcdir/../.." && pwd)}"
bench_bindir=${BENCH_BINDIR:-$top_builddir/tests/bench}

# Scripts in tests/bench that are not benchmarks themselves.
not_benchmarks=" run bench_lib plots "
# The usual order: throughput of the pool first, then how it scales and
# tunes itself, then the front ends' costs.
preferred_order=(dispatch checksum worker_throughput scaling autotune tui_cpu resize_latency)
# Benchmarks written as C programs, run when the build made them.
program_benchmarks=(sample_cost)

selected=("$@")
if [ ${#selected[@]} -eq 0 ] && [ -n "${BENCH_ONLY:-}" ]; then
	IFS=, read -r -a selected <<< "$BENCH_ONLY"
fi

is_selected() {        # is_selected NAME: true when NAME should run
	[ ${#selected[@]} -eq 0 ] && return 0
	local name
	for name in "${selected[@]}"; do
		[ "$name" = "$1" ] && return 0
	done
	return 1
}

header() {             # header NAME: a line nobody misses in a long log
	printf '\n=== %s %s\n' "$1" "$(printf '=%.0s' $(seq 1 $((66 - ${#1}))))"
}

# The benchmark scripts, preferred ones first, each once.
scripts=()
for name in "${preferred_order[@]}"; do
	[ -f "$bench_srcdir/$name.sh" ] && scripts+=("$name")
done
for path in "$bench_srcdir"/*.sh; do
	[ -f "$path" ] || continue
	name=$(basename "$path" .sh)
	case "$not_benchmarks ${preferred_order[*]} " in *" $name "*) continue ;; esac
	scripts+=("$name")
done

ran=0
failed=()
for name in "${scripts[@]}"; do
	is_selected "$name" || continue
	header "$name"
	ran=$((ran + 1))
	bash "$bench_srcdir/$name.sh" || failed+=("$name")
done
for name in "${program_benchmarks[@]}"; do
	is_selected "$name" || continue
	[ -x "$bench_bindir/$name" ] || continue
	header "$name"
	ran=$((ran + 1))
	"$bench_bindir/$name" || failed+=("$name")
done

echo
if [ "$ran" -eq 0 ]; then
	echo "bench: no benchmark matched '${selected[*]}'" >&2
	exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: $ran run, failed: ${failed[*]}"
	exit 1
fi
echo "bench: $ran run, all completed"

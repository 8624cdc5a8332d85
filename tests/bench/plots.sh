#!/bin/bash
# plots.sh - what `make bench-plots` runs: draws the last results of
# `make bench` (TSV files in RESULTS) as SVG charts in OUTPUT with gnuplot.
# Usage: plots.sh RESULTS OUTPUT.  A chart whose results are missing is
# skipped with a note, so one benchmark can be run and drawn alone.

results=${1:?usage: plots.sh RESULTS OUTPUT}
output=${2:?usage: plots.sh RESULTS OUTPUT}

if ! command -v gnuplot > /dev/null; then
	echo "bench-plots: gnuplot not found (Debian: apt-get install gnuplot-nox)" >&2
	exit 1
fi
mkdir -p "$output" || exit 1
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pooltop-plots.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT

drawn=0
missing=()

# have NAME: true when results/NAME.tsv holds figures.
have() {
	if [ -s "$results/$1.tsv" ] && grep -qv '^#' "$results/$1.tsv"; then
		return 0
	fi
	missing+=("$1")
	return 1
}

# caption NAME: "machine, date" from the results file's comment lines, for
# the chart's subtitle (the load is left out: it changes within a run).
caption() {
	local machine date
	machine=$(sed -n 's/^# machine: //p' "$results/$1.tsv" | sed 's/, load .*//')
	date=$(sed -n 's/^# date: //p' "$results/$1.tsv")
	echo "$machine; $date"
}

# plot NAME [WIDTH]: runs the gnuplot program on stdin, writing
# OUTPUT/NAME.svg, WIDTH pixels wide (760 by default).
plot() {
	# One look for every chart: white background (readable in dark
	# themes too), a plain font, no enhanced text (names hold underscores).
	{
		echo "set terminal svg size ${2:-760},420 font 'sans,12' background rgb 'white' noenhanced"
		echo "set output '$output/$1.svg'"
		echo "set datafile separator '\t'"
		echo "set grid ytics lc rgb '#dddddd'"
		echo "set border 3; set tics nomirror"
		cat
	} > "$scratch/$1.gp"
	if gnuplot "$scratch/$1.gp"; then
		echo "  SVG      $output/$1.svg"
		drawn=$((drawn + 1))
	else
		echo "bench-plots: gnuplot failed on $1" >&2
		exit 1
	fi
}

# Throughput against -j: one panel per workload.
if have scaling; then
	grep -v '^#' "$results/scaling.tsv" | awk -F '\t' '$1 == "cpu"' > "$scratch/cpu.tsv"
	grep -v '^#' "$results/scaling.tsv" | awk -F '\t' '$1 == "sleep"' > "$scratch/sleep.tsv"
	plot throughput 960 <<-EOF
	set multiplot layout 1,2 title "Items/s against -j: pooltop --batch and xargs -P\n$(caption scaling)"
	set xlabel '-j (worker count)'
	set ylabel 'items/s'
	set key bottom right
	set xrange [0.5:*]; set yrange [0:*]
	set title 'CPU-bound: 20 ms of CPU per item'
	plot '$scratch/cpu.tsv' using 2:5 with lines dt 2 lw 2 lc rgb '#999999' title 'ideal', \
	     '' using 2:4 with linespoints pt 6 lw 2 lc rgb '#e69f00' title 'xargs -P', \
	     '' using 2:3 with linespoints pt 7 lw 2 lc rgb '#0072b2' title 'pooltop'
	set title 'sleep-bound: sleep 0.1 per item'
	plot '$scratch/sleep.tsv' using 2:5 with lines dt 2 lw 2 lc rgb '#999999' title 'ideal', \
	     '' using 2:4 with linespoints pt 6 lw 2 lc rgb '#e69f00' title 'xargs -P', \
	     '' using 2:3 with linespoints pt 7 lw 2 lc rgb '#0072b2' title 'pooltop'
	unset multiplot
	EOF
fi

# Dispatch: the four runners' rates, each bar labelled with its ratio to
# the bare spawn loop.
if have dispatch; then
	grep -v '^#' "$results/dispatch.tsv" | awk -F '\t' -v OFS='\t' '{
		label = $1
		if ($1 == "bare") label = "bare spawn loop"
		else if ($1 == "pooltop") label = "pooltop --batch -j2"
		else if ($1 == "xargs") label = "xargs -P2 -n1"
		else if ($1 == "parallel") label = "GNU parallel -j2"
		print label, $2, $3
	}' > "$scratch/dispatch.tsv"
	plot dispatch <<-EOF
	set title "Dispatch: 'true' per item, 2 at a time (items/s; label: x bare loop)\n$(caption dispatch)"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.85 border -1
	set boxwidth 0.8
	set xrange [-0.6:3.6]
	set yrange [0:*]
	set ylabel 'items/s'
	unset key
	plot '$scratch/dispatch.tsv' using 2:xtic(1) lc rgb '#0072b2', \
	     '' using 0:2:(sprintf('%.2f x', \$3)) with labels offset 0,0.8 notitle
	EOF
fi

# Watching: pooltop's CPU beside htop's at each job count.
if have tui_cpu; then
	grep -v '^#' "$results/tui_cpu.tsv" | awk -F '\t' -v OFS='\t' '{ print $1 " jobs", $2, $3, $4 }' \
		> "$scratch/tui_cpu.tsv"
	plot monitor_cpu <<-EOF
	set title "CPU used watching sleeping jobs, 1 s refresh (ms per minute)\n$(caption tui_cpu)"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.85 border -1
	set yrange [0:*]
	set ylabel 'ms CPU per minute'
	set key top left
	plot '$scratch/tui_cpu.tsv' using 2:xtic(1) lc rgb '#0072b2' title 'pooltop (TUI)', \
	     '' using 3 lc rgb '#999999' title 'htop -d 10'
	EOF
fi

# Autotune: the worker count over time, with each run's goal.
if have autotune_trace; then
	grep -v '^#' "$results/autotune_trace.tsv" | awk -F '\t' '$1 == "cpu"' > "$scratch/at_cpu.tsv"
	grep -v '^#' "$results/autotune_trace.tsv" | awk -F '\t' '$1 == "sleep"' > "$scratch/at_sleep.tsv"
	cpu_goal=$(awk -F '\t' '$1 == "cpu" { print $3 }' "$results/autotune.tsv" 2> /dev/null)
	plot autotune <<-EOF
	set title "--autotune: worker count over time\n$(caption autotune_trace)"
	set xlabel 'seconds'
	set ylabel 'workers'
	set key top left
	set yrange [0:*]
	$( [ -n "$cpu_goal" ] && echo "set arrow from graph 0, first $cpu_goal to graph 1, first $cpu_goal nohead dt 2 lc rgb '#0072b2'" )
	set arrow from graph 0, first 16 to graph 1, first 16 nohead dt 2 lc rgb '#e69f00'
	plot '$scratch/at_cpu.tsv' using 2:3 with steps lw 2 lc rgb '#0072b2' title 'CPU-bound 0.6 s jobs, from -j 8 (goal: cores + 1)', \
	     '$scratch/at_sleep.tsv' using 2:3 with steps lw 2 lc rgb '#e69f00' title 'sleeping 0.3 s jobs, from -j 1 (goal: 16)'
	EOF
fi

[ ${#missing[@]} -gt 0 ] && echo "bench-plots: no results yet for: ${missing[*]} (run make bench)"
[ "$drawn" -gt 0 ] || exit 1
exit 0

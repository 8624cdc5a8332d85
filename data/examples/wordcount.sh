#!/bin/sh
# wordcount.sh - a command-mode example: counts the lines and words of the
# file given as $1 and prints them with a label ($2, the file's name when
# not given), one line per file, so pooltop's output reads as a table.
#
#   find /usr/share/common-licenses -type f |
#     pooltop -j 2 --batch -k -- sh data/examples/wordcount.sh {} {/}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: wordcount.sh FILE [LABEL]" >&2
	exit 2
fi
file=$1
label=${2:-$1}
if [ ! -r "$file" ]; then
	echo "wordcount.sh: cannot read '$file'" >&2
	exit 1
fi
# wc pads its figures; read them into variables to print them our way.
counts=$(wc -l -w < "$file") || exit 1
set -- $counts
printf '%8s lines %9s words  %s\n' "$1" "$2" "$label"

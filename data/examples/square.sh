#!/bin/sh
# square.sh - the seed's square function as a pooltop worker in POSIX sh:
# one integer per line in, its square per line out. echo is a shell builtin
# that writes each line at once, so nothing waits in a buffer.
#
#   pooltop --worker -j 3 --range=0..9 -k -- sh data/examples/square.sh
#
# A line that is not an integer ends the worker with an error; pooltop
# records the item failed and starts a fresh worker for the rest.

while IFS= read -r item; do
	case ${item#-} in
	'' | *[!0-9]*)
		echo "square.sh: not an integer: '$item'" >&2
		exit 1
		;;
	esac
	echo $((item * item))
done

#!/usr/bin/env python3
# square.py - the seed's square function as a pooltop worker: reads one
# integer per line on stdin and writes its square on stdout, flushed at once,
# since pooltop waits for each item's result line before the next.
#
#   pooltop --worker -j 3 --range=0..9 -k -- python3 data/examples/square.py
#
# A line that is not an integer ends the worker with an error, as an
# exception in Pool.map's function would; pooltop records the item failed
# and starts a fresh worker for the rest.
import sys


def square(x):
    return x * x


def main():
    for line in sys.stdin:
        try:
            item = int(line)
        except ValueError:
            sys.exit(f"square.py: not an integer: {line.rstrip()!r}")
        print(square(item), flush=True)


if __name__ == "__main__":
    main()

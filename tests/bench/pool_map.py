#!/usr/bin/env python3
# pool_map.py - Python's multiprocessing Pool(WORKERS).map(f, range(N)),
# which ships items in large pickled chunks: shown for context next to
# pooltop --worker. Prints the number of results received.
import sys
from multiprocessing import Pool


def identity(x):
    return x


def square(x):
    return x * x


FUNCTIONS = {"identity": identity, "square": square}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in FUNCTIONS:
        sys.exit("usage: pool_map.py WORKERS ITEMS identity|square")
    workers, items = int(sys.argv[1]), int(sys.argv[2])
    function = FUNCTIONS[sys.argv[3]]
    with Pool(workers) as pool:
        results = len(pool.map(function, range(items)))
    print(results)
    sys.exit(0 if results == items else 1)


if __name__ == "__main__":
    main()

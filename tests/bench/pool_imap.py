#!/usr/bin/env python3
# pool_imap.py - Python's multiprocessing Pool(WORKERS).imap(f, range(N),
# chunksize=1): one item per round trip, the peer pooltop --worker is
# measured against. Prints the number of results received.
import sys
from multiprocessing import Pool


def identity(x):
    return x


def square(x):
    return x * x


FUNCTIONS = {"identity": identity, "square": square}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in FUNCTIONS:
        sys.exit("usage: pool_imap.py WORKERS ITEMS identity|square")
    workers, items = int(sys.argv[1]), int(sys.argv[2])
    function = FUNCTIONS[sys.argv[3]]
    results = 0
    with Pool(workers) as pool:
        for _ in pool.imap(function, range(items), chunksize=1):
            results += 1
    print(results)
    sys.exit(0 if results == items else 1)


if __name__ == "__main__":
    main()

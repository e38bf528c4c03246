#!/usr/bin/env python3
"""What the disk under a database file costs per page read at a random place, one after another
and with several in flight: the floor under an upload into a books' index larger than memory.

Usage (root, to evict): python3 Benchmarks/storage/random-reads.py FILE [READS] [THREADS]
Evicts FILE from the page cache (posix_fadvise DONTNEED), reads READS (default 2,000) random
4 KiB pages one after another, evicts again, and reads as many others from THREADS (default 8)
threads at once; prints microseconds per read for each.
"""
import os
import random
import sys
import threading
import time

path = sys.argv[1]
reads = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
pages = os.path.getsize(path) // 4096
fd = os.open(path, os.O_RDONLY)


def evict():
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def read(offsets):
    for offset in offsets:
        os.pread(fd, 4096, offset)


offsets = [random.randrange(pages) * 4096 for _ in range(2 * reads)]
evict()
start = time.monotonic()
read(offsets[:reads])
print(f"one at a time: {(time.monotonic() - start) / reads * 1e6:.1f} us a read")
evict()
rest = offsets[reads:]
workers = [threading.Thread(target=read, args=(rest[i::threads],)) for i in range(threads)]
start = time.monotonic()
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(f"{threads} in flight: {(time.monotonic() - start) / reads * 1e6:.1f} us a read")

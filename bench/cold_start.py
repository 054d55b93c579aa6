#!/usr/bin/env python3
"""Median wall time of one `onboard checklist` from a cold process, over many runs.

The process start of the Python driver itself is measured with /bin/true and
subtracted, so the figure is the cost of `onboard`.
"""
import statistics
import subprocess
import sys
import time

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
checklist = [binary, "checklist", "--role", "strategic-account-leader",
             "--name", "Ada Lovelace", "--start", "2026-12-07"]


def median_ms(command):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


baseline = median_ms(["/bin/true"])
total = median_ms(checklist)
print(f"cold start: {total - baseline:.2f} ms median over {runs} runs "
      f"({total:.2f} ms measured, minus {baseline:.2f} ms to start /bin/true)")

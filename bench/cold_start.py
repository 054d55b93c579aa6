#!/usr/bin/env python3
"""Cold start of one `onboard checklist` to stdout, as a ratio to
`onboard --version` (the process start and nothing else) measured in the
same run: the two are interleaved run by run, so the machine's noise falls
on both alike.   bench/cold_start.py BINARY [RUNS]
"""
import statistics
import subprocess
import sys
import time

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
commands = {
    "checklist": [binary, "checklist", "--role", "strategic-account-leader",
                  "--name", "Ada Lovelace", "--start", "2026-12-07"],
    "--version": [binary, "--version"],
    "/bin/true": ["/bin/true"],
}
times = {name: [] for name in commands}
for _ in range(runs):
    for name, command in commands.items():
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True,
                       env={"ONBOARD_TODAY": "2026-12-02", "PATH": "/usr/bin:/bin"})
        times[name].append(time.perf_counter() - start)
median = {name: statistics.median(t) * 1000 for name, t in times.items()}
spawn = median["/bin/true"]
checklist = median["checklist"] - spawn
version = median["--version"] - spawn
print(f"checklist {checklist:.2f} ms, --version {version:.2f} ms "
      f"(medians over {runs} interleaved runs, each minus {spawn:.2f} ms to start /bin/true): "
      f"{checklist / version:.1f}x --version")

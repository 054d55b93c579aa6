#!/usr/bin/env bash
# Rendering benchmark:  bench/render.sh [HIRES] [ROUNDS] [BASELINE_BINARY]
#
# Writes HIRES checklists (default 10000, the mixed roster of bench/roster.py)
# with `onboard batch` into a fresh folder on a tmpfs (/dev/shm), ROUNDS
# times (default 5), each round also timing the floor: examples/write_floor.rs
# writing as many files of the same average size on two threads with no
# template work. Each figure is reported as a ratio to the floor of its own
# round, so a noisy machine moves both alike. With BASELINE_BINARY (say, a
# build of an older commit), its runs are interleaved with the current
# binary's, A then B then A...
set -euo pipefail
cd "$(dirname "$0")/.."
HIRES=${1:-10000}
ROUNDS=${2:-5}
BASELINE=${3:-}
cargo build --release --quiet --bin onboard --example write_floor
BIN=$PWD/target/release/onboard
FLOOR=$PWD/target/release/examples/write_floor
WORK=$(mktemp -d -p /dev/shm onboard-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 bench/roster.py "$HIRES" --mixed > "$WORK/roster.csv"
export ONBOARD_TODAY=2026-12-02

run() { # label binary -> "wall rss_kib"
  rm -rf "$WORK/out"
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$2" batch "$WORK/roster.csv" --out "$WORK/out" > /dev/null
  cat "$WORK/time"
}
size=$( { run probe "$BIN" >/dev/null; du -sb "$WORK/out" | cut -f1; } )
avg=$(( size / HIRES ))
echo "hires: $HIRES, average checklist: $avg bytes, tmpfs: $WORK"
printf '%-6s %-10s %8s %8s %9s\n' round what wall ratio "peak RSS"
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORK/floor"
  floor=$("$FLOOR" "$WORK/floor" "$HIRES" "$avg" 2)
  rm -rf "$WORK/floor"
  printf '%-6s %-10s %8s %8s\n' "$round" floor "$floor" 1.00
  bins=("current:$BIN")
  [ -n "$BASELINE" ] && bins=("baseline:$BASELINE" "current:$BIN")
  (( round % 2 == 0 )) && [ -n "$BASELINE" ] && bins=("current:$BIN" "baseline:$BASELINE")
  for entry in "${bins[@]}"; do
    read -r wall rss < <(run "${entry%%:*}" "${entry#*:}")
    printf '%-6s %-10s %8s %8s %6s MiB\n' "$round" "${entry%%:*}" "$wall" \
      "$(python3 -c "print(f'{$wall / $floor:.2f}')")" "$(( rss / 1024 ))"
  done
done

#!/usr/bin/env bash
# Requests per hire and wall time of filing access requests for N hires at
# 30 ms per request, onboard against a python-gitlab loop (search, then
# create), interleaved round by round on fresh fakes:
#   bench/api_cost.sh [HIRES...]     (default: 100 1000)
# Needs cargo and python3 with venv/pip (python-gitlab goes into a throwaway venv).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)

cargo build --release --quiet --bin onboard --example fake_gitlab
BIN=$PWD/target/release/onboard
FAKE=$PWD/target/release/examples/fake_gitlab
WORK=$(mktemp -d -p /dev/shm)
FAKES=()
trap 'kill "${FAKES[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export NO_PROXY=127.0.0.1,localhost GITLAB_TOKEN=glpat-good ONBOARD_TODAY=2026-12-02
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet python-gitlab

start_fake() { # starts a fake with 30 ms per request that logs requests; sets URL and LOG
  LOG="$WORK/fake.${#FAKES[@]}"
  "$FAKE" --latency-ms 30 --log-requests > "$LOG.url" 2> "$LOG" &
  FAKES+=($!)
  until [ -s "$LOG.url" ]; do sleep 0.05; done
  URL=$(head -1 "$LOG.url")
}
stop_fake() { # waits for the log to catch up, stops the fake; prints its request count
  sleep 0.3
  kill "${FAKES[-1]}" 2>/dev/null || true
  wait "${FAKES[-1]}" 2>/dev/null || true
  grep -cE '^[0-9]+ (GET|POST|PUT|DELETE) ' "$LOG" || true
}
now() { echo "$EPOCHREALTIME"; } # no process started, so nothing is added to what is timed

for hires in "${sizes[@]}"; do
  python3 bench/roster.py "$hires" > "$WORK/roster.csv"
  echo "== $hires hires, 30 ms per request"
  for round in 1 2; do
    start_fake
    rm -rf "$WORK/state" "$WORK/out"
    started=$(now)
    XDG_STATE_HOME="$WORK/state" "$BIN" batch "$WORK/roster.csv" --out "$WORK/out" \
      --file-access --yes --jobs 8 --gitlab-url "$URL" > /dev/null 2>&1
    ended=$(now)
    sent=$(stop_fake)
    onboard=$(python3 -c "print(f'{$ended - $started:.2f}')")
    start_fake
    started=$(now)
    "$WORK/venv/bin/python" bench/file_sequential.py "$URL" glpat-good "$WORK/roster.csv" > /dev/null
    ended=$(now)
    baseline_sent=$(stop_fake)
    baseline=$(python3 -c "print(f'{$ended - $started:.2f}')")
    python3 -c "
o, b = $onboard, $baseline
print(f'round $round: onboard {o:.2f} s, {$sent} requests ({$sent / $hires:.2f} a hire); '
      f'python-gitlab {b:.2f} s, {$baseline_sent} requests ({$baseline_sent / $hires:.2f} a hire); '
      f'onboard {b / o:.1f}x faster')"
  done
done

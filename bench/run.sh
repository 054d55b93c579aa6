#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md:  bench/run.sh
# Needs cargo, python3 with venv/pip (python-gitlab is installed into a
# throwaway venv), and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin onboard --example fake_gitlab
BIN=$PWD/target/release/onboard
FAKE=$PWD/target/release/examples/fake_gitlab
WORK=$(mktemp -d)
# The rosters start on 2026-12-07: measure from a fixed today, so no run
# spends its time warning that the starts are past.
export ONBOARD_TODAY=2026-12-02
trap 'kill "${FAKES[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== Rendering 10,000 hires (onboard batch, no filing)"
python3 bench/roster.py 10000 > "$WORK/roster10k.csv"
/usr/bin/time -v "$BIN" batch "$WORK/roster10k.csv" --out "$WORK/out" > /dev/null 2> "$WORK/time.txt"
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$WORK/time.txt"
echo "files written: $(ls "$WORK/out" | grep -c '\.md$')"

echo "== Cold start of one onboard checklist"
python3 bench/cold_start.py "$BIN" 300

echo "== Filing 100 hires against the fake GitLab with 30 ms latency per request"
python3 bench/roster.py 100 > "$WORK/roster100.csv"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet python-gitlab
FAKES=()
start_fake() { # starts a fake GitLab with the given flags; sets URL
  local out="$WORK/fake.${#FAKES[@]}"
  "$FAKE" "$@" > "$out" 2>/dev/null &
  FAKES+=($!)
  until [ -s "$out" ]; do sleep 0.05; done
  URL=$(head -1 "$out")
}
export NO_PROXY=127.0.0.1,localhost GITLAB_TOKEN=glpat-good XDG_STATE_HOME="$WORK/state"
file_onboard() { # url label
  rm -rf "$WORK/state" "$WORK/out100"
  local started ended
  started=$(date +%s.%N)
  "$BIN" batch "$WORK/roster100.csv" --out "$WORK/out100" --file-access --yes --jobs 8 --gitlab-url "$1" > "$WORK/batch.txt" 2>/dev/null
  ended=$(date +%s.%N)
  echo "onboard batch --jobs 8 ($2): $(grep Requests "$WORK/batch.txt" | sed 's/ \+/ /g'), $(python3 -c "print(f'{$ended - $started:.2f}')") s"
}
start_fake --latency-ms 30
file_onboard "$URL" "30 ms latency"
start_fake --latency-ms 30
"$WORK/venv/bin/python" bench/file_sequential.py "$URL" glpat-good "$WORK/roster100.csv"

echo "== The same 100 hires with a server rate limit of 50 requests/second"
start_fake --latency-ms 30 --rate-limit 50
file_onboard "$URL" "30 ms latency, 50 requests/s"
echo "(203 requests at 50/s cannot take less than about 4 s)"

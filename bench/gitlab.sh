#!/usr/bin/env bash
# Reproduces the filing figures of BENCHMARKS.md that need a rate limit or
# latency, against the standalone fake GitLab:  bench/gitlab.sh [herd|status]
#
#   herd    30 hires against GitLab's header-less 429 (4 requests/s),
#           --jobs 1 against --jobs 8, interleaved, with the floor the limit
#           allows (requests sent / 4 per second).
#   status  onboard status over 200 hires at 30 ms per request, --jobs 8
#           against the same reads one by one (--jobs 1), interleaved.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}

cargo build --release --quiet --bin onboard --example fake_gitlab
BIN=$PWD/target/release/onboard
FAKE=$PWD/target/release/examples/fake_gitlab
WORK=$(mktemp -d)
FAKES=()
trap 'kill "${FAKES[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export NO_PROXY=127.0.0.1,localhost GITLAB_TOKEN=glpat-good
# The rosters start on 2026-12-07: measure from a fixed today, so no run
# spends its time warning that the starts are past.
export ONBOARD_TODAY=2026-12-02

start_fake() { # starts a fake GitLab with the given flags; sets URL
  local out="$WORK/fake.${#FAKES[@]}"
  "$FAKE" "$@" > "$out" 2>/dev/null &
  FAKES+=($!)
  until [ -s "$out" ]; do sleep 0.05; done
  URL=$(head -1 "$out")
}
now() { python3 -c 'import time; print(time.monotonic())'; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

if [ "$which" = all ] || [ "$which" = herd ]; then
  echo "== 30 hires, header-less 429s at 4 requests/s"
  python3 bench/roster.py 30 | sed 's/sales-development-representative\|technical-account-manager\|commercial-account-executive/strategic-account-leader/' > "$WORK/roster30.csv"
  for round in 1 2; do
    for jobs in 1 8; do
      start_fake --rate-limit 4 --429-without-headers
      rm -rf "$WORK/state" "$WORK/out30"
      started=$(now)
      XDG_STATE_HOME="$WORK/state" "$BIN" batch "$WORK/roster30.csv" --out "$WORK/out30" \
        --file-access --yes --jobs "$jobs" --gitlab-url "$URL" > "$WORK/herd.txt" 2> "$WORK/herd.err"
      ended=$(now)
      sent=$(grep -c '^' "$WORK/herd.err" || true)
      created=$(grep -o 'Requests    [0-9]* created' "$WORK/herd.txt" | grep -o '[0-9]*')
      echo "round $round --jobs $jobs: $(secs "$started" "$ended") s, $created requests created"
    done
  done
  echo "(each new SAL costs 4 requests: a lookup by key, one by the first version's key, the create, the lookup after it;"
  echo " with the token check, the project and the manager's id, 123 requests; at 4 per fixed one-second window they need"
  echo " 31 windows, the first of which may be partial: the floor is 30 s)"
fi

if [ "$which" = all ] || [ "$which" = status ]; then
  echo "== onboard status over 200 hires, 30 ms per request"
  python3 bench/roster.py 200 > "$WORK/roster200.csv"
  start_fake --latency-ms 30
  XDG_STATE_HOME="$WORK/state" "$BIN" batch "$WORK/roster200.csv" --out "$WORK/out200" \
    --file-access --file-onboarding --yes --jobs 8 --gitlab-url "$URL" > /dev/null 2>&1
  for round in 1 2; do
    for jobs in 1 8; do
      started=$(now)
      XDG_STATE_HOME="$WORK/state" "$BIN" status "$WORK/roster200.csv" --as-of 2026-12-10 \
        --jobs "$jobs" --json --gitlab-url "$URL" > "$WORK/status.json"
      ended=$(now)
      hires=$(python3 -c "import json; print(len(json.load(open('$WORK/status.json'))['hires']))")
      echo "round $round --jobs $jobs: $(secs "$started" "$ended") s for $hires hires"
    done
  done
  echo "(each hire costs 2 lookups, one for its onboarding issue and one for its access requests; with the token check"
  echo " and the two projects, 403 reads at 30 ms: the floor is 12.1 s one by one, 1.51 s eight at a time)"
fi

#!/usr/bin/env bash
# get-session with an active organization vs without one (issue 5: within 10%).
#
#   cmake -S . -B /work/build-orgperf -DCMAKE_BUILD_TYPE=Release -DCROW_SANITIZE=OFF
#   cmake --build /work/build-orgperf --target crow-auth crow-backend-sqlite crow-plugin-organization -j2
#   CROW_BIN=/work/build-orgperf/bin/crow-auth bench/organization.sh
#
# What runs, exactly: `crow-auth serve` on a fresh SQLite file with plugins: [organization]; one
# user signs up (session A) and signs in again (session B), both with curl; session A creates an
# organization, which makes it A's active one (session.activeOrganizationId set); B keeps none.
# Both sessions belong to the same user, so the only difference is the active organization. Then
#   wrk -t$THREADS -c$CONNS -d$DURATION --latency -H "Cookie: <A or B>" http://127.0.0.1:<port>/api/v1/auth/get-session
# $ROUNDS times each, alternating B, A, B, A, ... after one $WARMUP warm-up run of each; the
# figure per case is the mean of its rounds' Requests/sec, and ratio = active / none (goal >= 0.90).
#
# Environment (defaults in brackets):
#   CROW_BIN [build/bin/crow-auth]  THREADS [2]  CONNS [32]  DURATION [10s]  WARMUP [2s]  ROUNDS [3]
#   OUT_DIR [/tmp/crow-organization-<epoch>] (server log, wrk outputs, results.md)
# Needs wrk, curl.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CROW_BIN=${CROW_BIN:-$ROOT/build/bin/crow-auth}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
OUT_DIR=${OUT_DIR:-/tmp/crow-organization-$(date +%s)}
SECRET=bench-secret-0123456789abcdef0123456789abcdef
mkdir -p "$OUT_DIR"
say() { echo "organization.sh: $*" >&2; }
for tool in wrk curl; do command -v "$tool" >/dev/null || { say "$tool is not installed"; exit 2; }; done
[[ -x $CROW_BIN ]] || { say "no crow-auth at $CROW_BIN"; exit 2; }

CROW_PID=
cleanup() { [[ -n $CROW_PID ]] && kill "$CROW_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"  # free_port

CPORT=$(free_port)
BASE="http://127.0.0.1:$CPORT/api/v1/auth"
ORIGIN="http://127.0.0.1:$CPORT"
cat >"$OUT_DIR/crow-auth.yaml" <<YAML
environment: local
server: {host: 127.0.0.1, port: $CPORT, threads: 64}
baseURL: $ORIGIN
secret: $SECRET
database: {url: "sqlite://$OUT_DIR/organization.db"}
logging: {level: warn, accessLog: false}
plugins:
  - id: organization
YAML
"$CROW_BIN" serve --config "$OUT_DIR/crow-auth.yaml" >"$OUT_DIR/crow.log" 2>&1 &
CROW_PID=$!
until curl -s -o /dev/null -m 1 "$ORIGIN/ready"; do
  kill -0 "$CROW_PID" 2>/dev/null || { say "crow-auth exited; see $OUT_DIR/crow.log"; exit 1; }
  sleep 0.02
done

cookie_of() { # path json
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $ORIGIN" -d "$2" "$BASE/$1" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(better-auth.session_token=[^;]*\).*/\1/p' | head -1
}
CREDENTIALS='{"email":"bench@example.com","password":"password1234","name":"Bench"}'
WITH_ORG=$(cookie_of sign-up/email "$CREDENTIALS")
WITHOUT_ORG=$(cookie_of sign-in/email "$CREDENTIALS")
[[ -n $WITH_ORG && -n $WITHOUT_ORG ]] || { say "sign-up/sign-in gave no session cookie"; exit 1; }
created=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "Origin: $ORIGIN" \
  -H "Cookie: $WITH_ORG" -d '{"name":"Bench Org","slug":"bench-org"}' "$BASE/organization/create")
[[ $created == 200 ]] || { say "organization/create answered $created"; exit 1; }
# Check what each session carries before measuring it.
active_of() { curl -s -H "Cookie: $1" "$BASE/get-session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["activeOrganizationId"])'; }
[[ $(active_of "$WITH_ORG") != None ]] || { say "session A has no active organization"; exit 1; }
[[ $(active_of "$WITHOUT_ORG") == None ]] || { say "session B has an active organization"; exit 1; }

run_wrk() { # cookie duration output
  wrk -t"$THREADS" -c"$CONNS" -d"$2" --latency -H "Cookie: $1" "$BASE/get-session" >"$3"
  if grep -q 'Non-2xx' "$3"; then say "non-2xx answers in $3"; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$3"
}
run_wrk "$WITHOUT_ORG" "$WARMUP" "$OUT_DIR/warmup-none.txt" >/dev/null
run_wrk "$WITH_ORG" "$WARMUP" "$OUT_DIR/warmup-active.txt" >/dev/null
none=() active=()
for ((i = 1; i <= ROUNDS; i++)); do
  none+=("$(run_wrk "$WITHOUT_ORG" "$DURATION" "$OUT_DIR/none-$i.txt")")
  active+=("$(run_wrk "$WITH_ORG" "$DURATION" "$OUT_DIR/active-$i.txt")")
  say "round $i: without ${none[-1]} req/s, with active organization ${active[-1]} req/s"
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.0f", s / NR}'; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
NONE=$(mean "${none[@]}")
ACTIVE=$(mean "${active[@]}")
RATIO=$(awk -v a="$ACTIVE" -v n="$NONE" 'BEGIN {printf "%.3f", a / n}')
{
  echo "# get-session with and without an active organization ($(date -u +%FT%TZ))"
  echo
  echo "crow-auth: $CROW_BIN; $(nproc) cores; wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS alternating rounds"
  echo
  echo "| case | req/s (mean) | rounds | p99 last round |"
  echo "|---|---|---|---|"
  echo "| no active organization | $NONE | ${none[*]} | $(p99 "$OUT_DIR/none-$ROUNDS.txt") |"
  echo "| active organization | $ACTIVE | ${active[*]} | $(p99 "$OUT_DIR/active-$ROUNDS.txt") |"
  echo
  echo "ratio active / none: $RATIO (goal >= 0.90)"
} >"$OUT_DIR/results.md"
cat "$OUT_DIR/results.md"

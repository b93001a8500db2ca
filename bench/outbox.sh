#!/usr/bin/env bash
# Outbox figures (issue 5 item 2): how fast the outbox worker delivers to a local receiver, and how
# fast organizations are created (each writes two outbox messages in its transaction) on SQLite.
#
#   cmake -S . -B /work/build-rel-outbox -DCMAKE_BUILD_TYPE=Release
#   cmake --build /work/build-rel-outbox --target crow-auth crow-backend-sqlite crow-plugin-organization \
#         bench-outbox-receiver -j2
#   CROW_BIN=/work/build-rel-outbox/bin/crow-auth bench/outbox.sh
#
# What runs, exactly:
#   delivery   $RECEIVER $RPORT                       (bench-outbox-receiver: 200 at once, counts POSTs)
#              $CROW_BIN migrate --config <tmp>/crow-auth.yaml
#              sqlite3 <tmp>/delivery.db  < one transaction inserting $EVENTS pending crow_outbox rows
#                                           (destination notification, each its own aggregate)
#              $CROW_BIN serve --config <tmp>/crow-auth.yaml, started after the insert; the clock
#              runs from the start of serve until GET http://127.0.0.1:$RPORT/count reaches
#              $EVENTS (polled every 50 ms); rate = EVENTS / that time (start-up included).
#   org-create a fresh database; plugins: [organization], services.organization and .user point
#              at the receiver; one user signed up with curl (its session cookie), then
#              wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/outbox/org-create.lua \
#                  http://127.0.0.1:<port>/api/v1/auth/organization/create
#              (the script makes a unique slug per request), after a $WARMUP warm-up run.
#
# Environment (defaults in brackets):
#   CROW_BIN [build/bin/crow-auth]  RECEIVER [<CROW_BIN dir>/bench-outbox-receiver]
#   EVENTS [20000]  THREADS [2]  CONNS [16]  DURATION [10s]  WARMUP [2s]
#   CASES ["delivery org-create"]  OUT_DIR [/tmp/crow-outbox-<epoch>] (logs, wrk outputs, results.md)
#   OUTBOX_EXTRA  YAML lines appended under `outbox:` (e.g. "  batchSize: 64")
# Needs wrk, curl, sqlite3.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CROW_BIN=${CROW_BIN:-$ROOT/build/bin/crow-auth}
RECEIVER=${RECEIVER:-$(dirname "$CROW_BIN")/bench-outbox-receiver}
EVENTS=${EVENTS:-20000}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CASES=${CASES:-delivery org-create}
OUT_DIR=${OUT_DIR:-/tmp/crow-outbox-$(date +%s)}
OUTBOX_EXTRA=${OUTBOX_EXTRA:-}
SECRET=bench-secret-0123456789abcdef0123456789abcdef
mkdir -p "$OUT_DIR"
say() { echo "outbox.sh: $*" >&2; }
for tool in wrk curl sqlite3; do command -v "$tool" >/dev/null || { say "$tool is not installed"; exit 2; }; done
[[ -x $CROW_BIN ]] || { say "no crow-auth at $CROW_BIN"; exit 2; }
[[ -x $RECEIVER ]] || { say "no receiver at $RECEIVER (build target bench-outbox-receiver)"; exit 2; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"  # free_port
now_ms() { date +%s%3N; }
count() { curl -s -m 2 "http://127.0.0.1:$RPORT/count" || echo 0; }

RPORT=$(free_port)
"$RECEIVER" "$RPORT" 16 >"$OUT_DIR/receiver.log" 2>&1 &
PIDS+=($!)
until [[ $(count) =~ ^[0-9]+$ ]]; do sleep 0.05; done

config() { # database-file plugins-yaml
  cat <<YAML
environment: local
server: {host: 127.0.0.1, port: $CPORT, threads: 64}
baseURL: http://127.0.0.1:$CPORT
secret: $SECRET
database: {url: "sqlite://$1"}
logging: {level: warn, accessLog: false}
services:
  notification: {url: "http://127.0.0.1:$RPORT", apiKey: bench}
  organization: {url: "http://127.0.0.1:$RPORT", apiKey: bench}
  user: {url: "http://127.0.0.1:$RPORT", apiKey: bench}
outbox:
  pollIntervalMs: 200
$OUTBOX_EXTRA
$2
YAML
}

start_crow() { # config log
  "$CROW_BIN" serve --config "$1" >"$2" 2>&1 &
  CROW_PID=$!
  PIDS+=($CROW_PID)
  until curl -s -o /dev/null -m 1 "http://127.0.0.1:$CPORT/ready"; do sleep 0.02; done
}
stop_crow() { kill "$CROW_PID"; wait "$CROW_PID" 2>/dev/null || true; }

RESULTS="$OUT_DIR/results.md"
{
  echo "# Outbox figures ($(date -u +%FT%TZ))"
  echo
  echo "crow-auth: $CROW_BIN; $(nproc) cores; $(uname -r)"
  echo
  echo "| case | result | goal |"
  echo "|---|---|---|"
} >"$RESULTS"

delivery() {
  CPORT=$(free_port)
  local db="$OUT_DIR/delivery.db" cfg="$OUT_DIR/delivery.yaml"
  rm -f "$db"*
  config "$db" "" >"$cfg"
  "$CROW_BIN" migrate --config "$cfg" >/dev/null
  local before; before=$(count)
  # One transaction, ids in age order (as enqueue() makes them), each message its own aggregate.
  sqlite3 "$db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS)
INSERT INTO crow_outbox (id, destination, path, aggregateId, eventType, payload, idempotencyKey, status,
                         attempts, nextAttemptAt, createdAt, updatedAt)
SELECT printf('000000000000%08dbench', i), 'notification', '/v1/emails', printf('agg-%08d', i), 'bench.event',
       '{"to":"user' || i || '@example.com","template":"verification"}', printf('key-%08d', i), 'pending', 0,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM n;
COMMIT;
SQL
  local target=$((before + EVENTS)) t0 t1
  t0=$(now_ms)
  start_crow "$cfg" "$OUT_DIR/delivery-crow.log"
  local started; started=$(now_ms)
  while (($(count) < target)); do
    sleep 0.05
    if (($(now_ms) - t0 > 600000)); then say "delivery did not finish in 10 minutes"; break; fi
  done
  t1=$(now_ms)
  local got=$(($(count) - before)) ms=$((t1 - t0))
  local rate=$((got * 1000 / (ms > 0 ? ms : 1)))
  local left; left=$(sqlite3 "$db" "select status || ':' || count(*) from crow_outbox group by status" | tr '\n' ' ')
  stop_crow
  say "delivery: $got events in ${ms} ms (start-up $((started - t0)) ms) = $rate/s; table: $left"
  echo "| delivery of $EVENTS queued events | $rate events/s ($got in ${ms} ms incl. $((started - t0)) ms start-up; rows: $left) | >= 1,000/s |" >>"$RESULTS"
}

org_create() {
  CPORT=$(free_port)
  local db="$OUT_DIR/org.db" cfg="$OUT_DIR/org.yaml"
  rm -f "$db"*
  config "$db" "plugins:
  - id: organization" >"$cfg"
  start_crow "$cfg" "$OUT_DIR/org-crow.log"
  local base="http://127.0.0.1:$CPORT/api/v1/auth"
  local cookie
  cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$CPORT" \
    -d '{"email":"bench@example.com","password":"password1234","name":"Bench"}' "$base/sign-up/email" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(better-auth.session_token=[^;]*\).*/\1/p' | head -1)
  [[ -n $cookie ]] || { say "sign-up gave no session cookie"; stop_crow; return 1; }
  local check
  check=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$CPORT" \
    -H "Cookie: $cookie" -d '{"name":"Check","slug":"check-slug"}' "$base/organization/create")
  [[ $check == 200 ]] || { say "organization/create answered $check"; stop_crow; return 1; }
  export BENCH_COOKIE=$cookie BENCH_ORIGIN="http://127.0.0.1:$CPORT"
  if [[ $WARMUP != 0 ]]; then
    BENCH_PREFIX=w wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$ROOT/bench/outbox/org-create.lua" "$base/organization/create" \
      >"$OUT_DIR/org-create-warmup.txt"
  fi
  BENCH_PREFIX=m wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/outbox/org-create.lua" \
    "$base/organization/create" | tee "$OUT_DIR/org-create.txt" >&2
  local rps non2xx p99
  rps=$(awk '/Requests\/sec/ {print int($2)}' "$OUT_DIR/org-create.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT_DIR/org-create.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT_DIR/org-create.txt")
  sleep 2
  local left; left=$(sqlite3 "$db" "select status || ':' || count(*) from crow_outbox group by status" | tr '\n' ' ')
  stop_crow
  echo "| organization/create, wrk -t$THREADS -c$CONNS -d$DURATION | $rps req/s, p99 $p99, non-2xx ${non2xx:-0}; outbox rows 2 s later: $left | >= 1,000/s |" >>"$RESULTS"
}

for c in $CASES; do
  case $c in
    delivery) delivery ;;
    org-create) org_create ;;
    *) say "unknown case $c" ;;
  esac
done
cat "$RESULTS"
